using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace UnifyAdmin.Tests.Web.Security;

/// <summary>A key-encryption certificate made at test time (never committed): a PFX file and a password file beside it.</summary>
public sealed class TestCertificate
{
    private TestCertificate(string pfxPath, string passwordFile, X509Certificate2 certificate)
    {
        PfxPath = pfxPath;
        PasswordFile = passwordFile;
        Certificate = certificate;
    }

    public string PfxPath { get; }

    public string PasswordFile { get; }

    /// <summary>The loaded certificate with its private key, for proving what it can decrypt.</summary>
    public X509Certificate2 Certificate { get; }

    public static TestCertificate Create(string folder, string name = "dataprotection")
    {
        Directory.CreateDirectory(folder);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=UnifyAdmin {name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: false));
        using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var pfxPath = Path.Combine(folder, name + ".pfx");
        var passwordFile = Path.Combine(folder, name + ".password");
        File.WriteAllBytes(pfxPath, self.Export(X509ContentType.Pfx, password));
        // A secret file as a container platform mounts it, with a trailing newline.
        File.WriteAllText(passwordFile, password + "\n");
        return new TestCertificate(pfxPath, passwordFile, X509CertificateLoader.LoadPkcs12FromFile(pfxPath, password, X509KeyStorageFlags.EphemeralKeySet));
    }
}
