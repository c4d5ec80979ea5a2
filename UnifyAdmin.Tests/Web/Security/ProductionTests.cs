using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Web.Security;

/// <summary>What an attacker probing a Production deployment over HTTP sees, and what a stolen database file gives away.</summary>
public sealed class ProductionTests(ProductionAppHost host) : IClassFixture<ProductionAppHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Raw() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress };

    /// <summary>A request as the TLS-terminating proxy forwards it for the public host.</summary>
    private static HttpRequestMessage ViaProxy(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = new Uri(ProductionAppHost.PublicBaseUrl).Host;
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        return request;
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/not-a-page")]
    [InlineData("/healthz")]
    public async Task Every_answer_carries_the_security_headers_and_no_Server_header(string path)
    {
        await host.EnsureAdminAsync();
        using var http = Raw();

        using var response = await http.SendAsync(ViaProxy(path), Ct);

        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.StartsWith("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"), "The Server header names the web server");
    }

    [Fact]
    public async Task HSTS_is_sent_only_over_https()
    {
        await host.EnsureAdminAsync();
        using var http = Raw();

        using var plain = await http.GetAsync("/healthz", Ct);

        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
        Assert.True(plain.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task A_plain_http_request_is_sent_to_the_public_https_address()
    {
        await host.EnsureAdminAsync();
        using var http = Raw();

        using var page = await http.GetAsync("/account/login?returnUrl=%2Fsources", Ct);
        using var post = await http.PostAsync("/account/logout", new FormUrlEncodedContent([]), Ct);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("https://unify.example.test/account/login?returnUrl=%2Fsources", page.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }

    [Fact]
    public async Task Cookies_are_Secure_because_the_public_address_is_https()
    {
        await host.EnsureAdminAsync();
        using var http = Raw();
        using var browser = new HttpSession(host, viaHttps: true);

        using var page = await http.SendAsync(ViaProxy("/account/login"), Ct);
        Assert.True(page.Headers.Contains("Set-Cookie"), "The sign-in page sets its antiforgery cookie");
        var signIn = await browser.SignInAsync(AppHost.AdminEmail, AppHost.AdminPassword);

        Assert.True(signIn.SignedIn, string.Join(" ", signIn.Errors));
        var cookies = page.Headers.GetValues("Set-Cookie").Concat(signIn.SetCookies).ToList();
        Assert.Contains(cookies, c => c.StartsWith(".UnifyAdmin.Auth=", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_callback_URL_to_register_is_on_the_public_address()
    {
        await host.EnsureAdminAsync();
        using var browser = new HttpSession(host, viaHttps: true);
        await browser.SignInOkAsync(AppHost.AdminEmail, AppHost.AdminPassword);

        var html = await browser.Http.GetStringAsync("/sources/new", Ct);

        Assert.Matches("set the callback URL to <b[^>]*>https://unify\\.example\\.test/sources/oauth/callback</b>", html);
    }

    [Fact]
    public async Task A_server_error_shows_the_error_page_without_a_stack_trace()
    {
        await host.EnsureAdminAsync();
        using var browser = new HttpSession(host, viaHttps: true);
        await browser.SignInOkAsync(AppHost.AdminEmail, AppHost.AdminPassword);

        using var response = await browser.Http.GetAsync(ProductionAppHost.ThrowPath, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Something went wrong", body, StringComparison.Ordinal);
        Assert.DoesNotContain("SomeSecretPlace", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_request_is_refused_with_413_and_no_stack_trace()
    {
        await host.EnsureAdminAsync();
        // Announce a body larger than Kestrel's limit; the server answers before reading it.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port, Ct);
        await using var stream = tcp.GetStream();
        // The demo org's token endpoint reads its form directly, as the probe that got a 413 with a stack trace did.
        var head = $"POST /demo/salesforce/services/oauth2/token HTTP/1.1\r\nHost: unify.example.test\r\nX-Forwarded-Proto: https\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200000000\r\nConnection: close\r\n\r\ngrant_type=a";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync(Ct);

        Assert.True(answer.StartsWith("HTTP/1.1 413", StringComparison.Ordinal), answer[..Math.Min(answer.Length, 200)] + string.Join("\n", host.Logs.Lines.Where(l => l.Contains("Exception", StringComparison.Ordinal)).TakeLast(3)));
        Assert.Contains("Something went wrong", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Microsoft.", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_database_file_alone_cannot_decrypt_a_saved_secret()
    {
        var secret = "write-key-" + Guid.NewGuid().ToString("N");
        var ciphertext = host.Services.GetRequiredService<SecretProtector>().Protect(secret)!;
        var stolen = Path.Combine(Path.GetTempPath(), "unifyadmin-tests", "stolen-" + Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(stolen)!);
        await using (var live = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "unifyadmin.db")}"))
        {
            await live.OpenAsync(Ct);
            await using var copy = live.CreateCommand();
            copy.CommandText = $"VACUUM INTO '{stolen}'";
            await copy.ExecuteNonQueryAsync(Ct);
        }

        try
        {
            // A thief with the file alone: same application name, same key table, no certificate.
            using var withoutCertificate = KeyRingFrom(stolen, null);
            Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(
                () => withoutCertificate.GetRequiredService<IDataProtectionProvider>().CreateProtector("UnifyAdmin.Secrets.v1").Unprotect(ciphertext));

            // The same file with the certificate decrypts it: the certificate is what was missing.
            using var withCertificate = KeyRingFrom(stolen, host.Certificate.Certificate);
            Assert.Equal(secret, withCertificate.GetRequiredService<IDataProtectionProvider>().CreateProtector("UnifyAdmin.Secrets.v1").Unprotect(ciphertext));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(stolen);
        }
    }

    [Fact]
    public async Task The_database_and_its_folder_are_readable_by_the_apps_user_only()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes only");
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await host.EnsureAdminAsync();

        var folder = File.GetUnixFileMode(host.DataDirectory);
        var database = File.GetUnixFileMode(Path.Combine(host.DataDirectory, "unifyadmin.db"));

        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, folder);
        Assert.Equal((UnixFileMode)0, database & others);
    }

    private static ServiceProvider KeyRingFrom(string databaseFile, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContext<SqliteAppDbContext>(o => o.UseSqlite($"Data Source={databaseFile}"));
        var builder = services.AddDataProtection().SetApplicationName(SecurityExtensions.ApplicationName).PersistKeysToDbContext<SqliteAppDbContext>();
        if (certificate is not null)
        {
            builder.UnprotectKeysWithAnyCertificate(certificate);
        }

        return services.BuildServiceProvider();
    }
}
