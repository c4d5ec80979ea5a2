using Microsoft.AspNetCore.Hosting;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Web.Security;

/// <summary>The app in a chosen environment with chosen settings, for tests of what happens at start.</summary>
public sealed class ConfiguredAppHost(string environment, params (string Key, string? Value)[] settings) : AppHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => settings.Select(s => KeyValuePair.Create(s.Key, s.Value));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(environment);
    }
}

/// <summary>Production does not start with an unencrypted key ring unless told to, and then says so.</summary>
public sealed class KeyProtectionStartTests
{
    private static string Messages(Exception e)
    {
        var all = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            all.Add(x.Message);
            if (x is AggregateException aggregate)
            {
                all.AddRange(aggregate.InnerExceptions.Select(Messages));
            }
        }

        return string.Join(" | ", all);
    }

    [Fact]
    public async Task Production_refuses_to_start_without_key_encryption_and_names_the_setting()
    {
        await using var host = new ConfiguredAppHost("Production");

        var failure = Assert.ThrowsAny<Exception>(() => host.StartServer());

        Assert.Contains("DataProtection:Certificate:Path", Messages(failure), StringComparison.Ordinal);
        Assert.Contains("DataProtection:AllowUnencryptedKeys", Messages(failure), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_with_unencrypted_keys_allowed_starts_and_warns()
    {
        await using var host = new ConfiguredAppHost("Production", ("DataProtection:AllowUnencryptedKeys", "true"));

        host.StartServer();

        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("DataProtection:AllowUnencryptedKeys is true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Development_runs_without_key_encryption_and_says_so()
    {
        await using var host = new ConfiguredAppHost("Development");

        host.StartServer();

        Assert.Contains(host.Logs.Lines, l => l.Contains("Data Protection keys are stored unencrypted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_certificate_password_stops_the_start_without_showing_the_password()
    {
        var folder = Path.Combine(Path.GetTempPath(), "unifyadmin-tests", "cert-" + Guid.NewGuid().ToString("N"));
        var certificate = TestCertificate.Create(folder);
        await using var host = new ConfiguredAppHost("Production",
            ("DataProtection:Certificate:Path", certificate.PfxPath),
            ("DataProtection:Certificate:Password", "Not-The-Password-77"));

        var failure = Assert.ThrowsAny<Exception>(() => host.StartServer());

        Assert.Contains("DataProtection:Certificate:Path", Messages(failure), StringComparison.Ordinal);
        Assert.DoesNotContain("Not-The-Password-77", Messages(failure), StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }
}
