using System.Text.RegularExpressions;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Web.Security;

/// <summary>
/// The app behind a proxy on loopback, so each test can play clients at several addresses. Attempts are earned
/// back over an hour rather than a minute, so a slow machine cannot refill a bucket in the middle of a test.
/// </summary>
public sealed class ProxiedAppHost : AppHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("ForwardedHeaders:KnownProxies:0", "127.0.0.1"),
        new("SignInThrottle:Window", "01:00:00"),
    ];
}

/// <summary>Failed sign-ins are throttled per address and per account, never locked, over real HTTP.</summary>
public sealed partial class SignInThrottlingTests(ProxiedAppHost host) : IClassFixture<ProxiedAppHost>
{
    [GeneratedRegex(@"^Too many failed sign-in attempts\. Try again in (?<seconds>\d+) seconds?\.$")]
    private static partial Regex ThrottledMessage();

    private static int ThrottledSeconds(SignInAnswer answer)
    {
        var message = Assert.Single(answer.Errors);
        var match = ThrottledMessage().Match(message);
        Assert.True(match.Success, $"Expected the throttling message, got: {message}");
        return int.Parse(match.Groups["seconds"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_message_as_a_wrong_password()
    {
        await host.CreateUserAsync("known@example.com", "Known-Pass-123", Roles.Viewer);
        using var client = new HttpSession(host, "10.1.0.1");

        var unknown = await client.SignInAsync("nobody@example.com", "Whatever-Pass-1");
        var wrong = await client.SignInAsync("known@example.com", "Whatever-Pass-1");

        Assert.Equal([SignInService.WrongCredentials], unknown.Errors);
        Assert.Equal([SignInService.WrongCredentials], wrong.Errors);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_for_an_account_say_try_again_in_seconds_and_do_not_tell_whether_it_exists()
    {
        await host.CreateUserAsync("target@example.com", "Target-Pass-123", Roles.Viewer);
        using var attacker = new HttpSession(host, "10.2.0.1");
        using var other = new HttpSession(host, "10.2.0.2");

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal([SignInService.WrongCredentials], (await attacker.SignInAsync("target@example.com", "Wrong-Pass-" + i)).Errors);
            Assert.Equal([SignInService.WrongCredentials], (await other.SignInAsync("ghost@example.com", "Wrong-Pass-" + i)).Errors);
        }

        var real = await attacker.SignInAsync("target@example.com", "Target-Pass-123");
        var ghost = await other.SignInAsync("ghost@example.com", "Wrong-Pass-9");

        Assert.InRange(ThrottledSeconds(real), 1, 3600);
        Assert.InRange(ThrottledSeconds(ghost), 1, 3600);
        Assert.Equal(real.Errors, ghost.Errors);
        Assert.DoesNotContain("locked", real.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task One_address_guessing_many_accounts_is_throttled()
    {
        // Until an Admin exists every page leads to /setup, and test order differs between checkouts.
        await host.EnsureAdminAsync();
        using var sprayer = new HttpSession(host, "10.3.0.1");
        var token = await sprayer.FormTokenAsync("/account/login");
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal([SignInService.WrongCredentials], (await sprayer.SignInAsync($"user{i}@example.com", "Spring-2026-Pass", token)).Errors);
        }

        var next = await sprayer.SignInAsync("user10@example.com", "Spring-2026-Pass", token);

        Assert.InRange(ThrottledSeconds(next), 1, 3600);
    }

    [Fact]
    public async Task An_attacker_who_drains_the_only_Admins_attempts_cannot_keep_the_Admin_out_of_a_browser_that_signed_in_before()
    {
        await host.EnsureAdminAsync();
        using var adminBrowser = new HttpSession(host, "10.4.0.1");
        await adminBrowser.SignInOkAsync(AppHost.AdminEmail, AppHost.AdminPassword);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await adminBrowser.SignOutAsync()).StatusCode);

        // Wrong passwords from many addresses, so no address runs out of attempts, until the account is throttled.
        for (var i = 0; i < 6; i++)
        {
            using var attacker = new HttpSession(host, $"10.5.0.{i + 1}");
            await attacker.SignInAsync(AppHost.AdminEmail, "Not-The-Password-" + i);
        }

        using var newBrowser = new HttpSession(host, "10.6.0.1");
        var stranger = await newBrowser.SignInAsync(AppHost.AdminEmail, AppHost.AdminPassword);
        var admin = await adminBrowser.SignInAsync(AppHost.AdminEmail, AppHost.AdminPassword);

        Assert.InRange(ThrottledSeconds(stranger), 1, 3600);
        Assert.True(admin.SignedIn, string.Join(" ", admin.Errors));
    }
}
