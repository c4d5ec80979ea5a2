using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Core.Security;

/// <summary>How the Data Protection key ring is encrypted at rest (section <c>DataProtection</c>).</summary>
public sealed class KeyProtectionOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>The certificate that encrypts new keys (and decrypts them).</summary>
    public CertificateSetting Certificate { get; set; } = new();

    /// <summary>Earlier certificates, kept after a rotation so keys they encrypted can still be read.</summary>
    public List<CertificateSetting> PreviousCertificates { get; set; } = [];

    /// <summary>Windows only: encrypt keys with DPAPI for the app's Windows account instead of a certificate.</summary>
    public bool UseWindowsDpapi { get; set; }

    /// <summary>Lets Production start with unencrypted keys; logged as a warning at every start.</summary>
    public bool AllowUnencryptedKeys { get; set; }
}

/// <summary>A PFX file and where its password comes from: the setting itself (e.g. an environment variable) or a file (e.g. a secret).</summary>
public sealed class CertificateSetting
{
    public string? Path { get; set; }

    public string? Password { get; set; }

    public string? PasswordFile { get; set; }

    public bool IsSet => !string.IsNullOrWhiteSpace(Path);
}

/// <summary>What the key ring is protected with, for the start-up log line.</summary>
public enum KeyProtectionMode
{
    Certificate,
    WindowsDpapi,
    Unencrypted,
}

/// <summary>The decision made at start, logged once the app runs.</summary>
public sealed record KeyProtectionState(KeyProtectionMode Mode, string? CertificateThumbprint, bool IsProduction);

/// <summary>Configures Data Protection's key encryption, refusing unencrypted keys in Production unless allowed.</summary>
public static class KeyProtection
{
    public static KeyProtectionState Configure(IDataProtectionBuilder builder, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(KeyProtectionOptions.SectionName).Get<KeyProtectionOptions>() ?? new KeyProtectionOptions();
        KeyProtectionState state;
        if (options.Certificate.IsSet)
        {
            var current = Load(options.Certificate, $"{KeyProtectionOptions.SectionName}:Certificate");
            var previous = options.PreviousCertificates
                .Select((c, i) => (c, i))
                .Where(x => x.c.IsSet)
                .Select(x => Load(x.c, $"{KeyProtectionOptions.SectionName}:PreviousCertificates:{x.i}"))
                .ToArray();
            builder.ProtectKeysWithCertificate(current);
            // Decryption does not search the machine's certificate store for these: hand them over explicitly.
            builder.UnprotectKeysWithAnyCertificate([current, .. previous]);
            state = new KeyProtectionState(KeyProtectionMode.Certificate, current.Thumbprint, environment.IsProduction());
        }
        else if (options.UseWindowsDpapi)
        {
            if (!OperatingSystem.IsWindows())
            {
                throw Invalid("UseWindowsDpapi", "DataProtection:UseWindowsDpapi is true, but DPAPI exists only on Windows. Use DataProtection:Certificate:Path instead.");
            }

            builder.ProtectKeysWithDpapi(protectToLocalMachine: false);
            state = new KeyProtectionState(KeyProtectionMode.WindowsDpapi, null, environment.IsProduction());
        }
        else if (environment.IsProduction() && !options.AllowUnencryptedKeys)
        {
            throw Invalid("Certificate:Path",
                "DataProtection:Certificate:Path is not set, so the keys that encrypt saved secrets would be stored unencrypted beside them in the database. " +
                "Give a PFX certificate (DataProtection:Certificate:Path with DataProtection:Certificate:Password or :PasswordFile; see the README), " +
                "or set DataProtection:AllowUnencryptedKeys=true to accept that risk.");
        }
        else
        {
            state = new KeyProtectionState(KeyProtectionMode.Unencrypted, null, environment.IsProduction());
        }

        builder.Services.AddSingleton(state);
        builder.Services.AddHostedService<KeyProtectionReport>();
        return state;
    }

    private static X509Certificate2 Load(CertificateSetting setting, string key)
    {
        var path = setting.Path!.Trim();
        string? password = setting.Password;
        if (string.IsNullOrEmpty(password) && !string.IsNullOrWhiteSpace(setting.PasswordFile))
        {
            try
            {
                // Secret files usually end with a newline that is not part of the password.
                password = File.ReadAllText(setting.PasswordFile.Trim()).TrimEnd('\r', '\n');
            }
            catch (IOException ex)
            {
                throw Invalid(key, $"{key}:PasswordFile could not be read: {ex.Message}");
            }
            catch (UnauthorizedAccessException ex)
            {
                throw Invalid(key, $"{key}:PasswordFile could not be read: {ex.Message}");
            }
        }

        X509Certificate2 certificate;
        try
        {
            // Ephemeral: the private key stays in memory and is not written to a key store on disk (unsupported on macOS).
            var flags = OperatingSystem.IsMacOS() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, flags);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            // Never echo the password; the file name and the reason are enough to act on.
            throw Invalid(key, $"{key}:Path '{path}' could not be opened as a PFX certificate with the given password: {ex.Message}");
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            throw Invalid(key, $"{key}:Path '{path}' holds no RSA private key; Data Protection needs one to decrypt its keys.");
        }

        return certificate;
    }

    private static OptionsValidationException Invalid(string key, string message)
        => new($"{KeyProtectionOptions.SectionName}:{key}", typeof(KeyProtectionOptions), [message]);
}

/// <summary>Says at every start how the key ring is protected, and warns when it is not.</summary>
internal sealed class KeyProtectionReport(KeyProtectionState state, ILogger<KeyProtectionReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        switch (state.Mode)
        {
            case KeyProtectionMode.Certificate:
                logger.LogInformation("Data Protection keys are encrypted at rest with certificate {Thumbprint}", state.CertificateThumbprint);
                break;
            case KeyProtectionMode.WindowsDpapi:
                logger.LogInformation("Data Protection keys are encrypted at rest with Windows DPAPI");
                break;
            case KeyProtectionMode.Unencrypted when state.IsProduction:
                logger.LogWarning("DataProtection:AllowUnencryptedKeys is true: the keys that encrypt saved secrets are stored unencrypted in the database, so anyone with a copy of the database can read every secret. Set DataProtection:Certificate:Path.");
                break;
            default:
                logger.LogWarning("Data Protection keys are stored unencrypted (allowed outside Production). Set DataProtection:Certificate:Path to encrypt them.");
                break;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
