using System.Security.Claims;
using System.Security.Cryptography;
using FluentValidation;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Security;

/// <summary>
/// Signs a person in by email and password and says why when it cannot, without telling a stranger which
/// accounts exist: an unknown email costs the same password hashing as a wrong password, and failures are
/// throttled (never locked) per client address and per account.
/// </summary>
public sealed class SignInService(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    IValidator<SignInInput> validator,
    SignInThrottle throttle,
    DummyPasswordHash dummy,
    IDataProtectionProvider protection,
    IHttpContextAccessor http,
    IOptionsMonitor<CookieAuthenticationOptions> cookies,
    ILogger<SignInService> logger)
{
    public const string WrongCredentials = "The email or password is not right. Check both and try again.";
    public const string Disabled = "This account is disabled. Ask an Admin to enable it.";

    /// <summary>The browser that signed in to an account before gets its own throttle bucket (decision 013).</summary>
    public const string DeviceCookieName = ".UnifyAdmin.Device";

    private static readonly TimeSpan DeviceCookieLifetime = TimeSpan.FromDays(180);

    private readonly IDataProtector deviceProtector = protection.CreateProtector("UnifyAdmin.SignIn.Device.v1");

    /// <summary>The message of a throttled attempt; the same whether or not the account exists.</summary>
    public static string Throttled(TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        return $"Too many failed sign-in attempts. Try again in {seconds} second{(seconds == 1 ? "" : "s")}.";
    }

    public async Task<OperationResult> SignInAsync(SignInInput input, bool remember)
    {
        var validation = await validator.ValidateAsync(input);
        if (!validation.IsValid)
        {
            return OperationResult.Fail(validation.Errors.Select(e => e.ErrorMessage).ToArray());
        }

        var email = input.Email.Trim();
        var normalized = users.NormalizeEmail(email) ?? email.ToUpperInvariant();
        var context = http.HttpContext;
        var partitions = SignInThrottle.Partitions(context?.Connection.RemoteIpAddress?.ToString(), normalized, TrustedDevice(context, normalized));
        if (throttle.RetryAfter(partitions) is { } wait)
        {
            logger.LogWarning("Throttled a sign-in attempt ({Partition})", partitions.Address ?? "trusted browser");
            return OperationResult.Fail(Throttled(wait));
        }

        var user = await users.FindByEmailAsync(email);
        var passwordOk = user is null
            ? dummy.Verify(input.Password)
            : await users.CheckPasswordAsync(user, input.Password);
        if (user is null || !passwordOk)
        {
            throttle.RecordFailure(partitions);
            return OperationResult.Fail(WrongCredentials);
        }

        // Only someone who knows the password learns that the account is disabled.
        if (user.IsDisabled)
        {
            logger.LogInformation("Refused sign-in of disabled user {UserId}", user.Id);
            return OperationResult.Fail(Disabled);
        }

        await signIn.SignInAsync(user, isPersistent: remember);
        RememberDevice(context, normalized);
        logger.LogInformation("User {UserId} signed in", user.Id);
        return OperationResult.Ok();
    }

    /// <summary>Ends the session, and with a new security stamp every other copy of its cookie too.</summary>
    public async Task SignOutAsync(ClaimsPrincipal principal)
    {
        if (await users.GetUserAsync(principal) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
            logger.LogInformation("User {UserId} signed out", user.Id);
        }

        await signIn.SignOutAsync();
    }

    private string? TrustedDevice(HttpContext? context, string normalizedEmail)
    {
        if (context?.Request.Cookies[DeviceCookieName] is not { Length: > 0 } cookie)
        {
            return null;
        }

        try
        {
            var parts = deviceProtector.Unprotect(cookie).Split('|');
            return parts.Length == 2 && parts[0] == SignInThrottle.AccountKey(normalizedEmail) ? parts[1] : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private void RememberDevice(HttpContext? context, string normalizedEmail)
    {
        if (context is null || context.Response.HasStarted)
        {
            return;
        }

        var deviceId = TrustedDevice(context, normalizedEmail) ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        context.Response.Cookies.Append(DeviceCookieName, deviceProtector.Protect($"{SignInThrottle.AccountKey(normalizedEmail)}|{deviceId}"), new CookieOptions
        {
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps || cookies.Get(IdentityConstants.ApplicationScheme).Cookie.SecurePolicy == CookieSecurePolicy.Always,
            Path = "/account",
            MaxAge = DeviceCookieLifetime,
        });
    }
}

/// <summary>A password hash of nobody, verified for unknown emails so they cost as much as a wrong password.</summary>
public sealed class DummyPasswordHash(IPasswordHasher<AppUser> hasher)
{
    private static readonly AppUser Nobody = new();
    private static string? hash;

    /// <summary>Runs the same hashing a real check runs, and always fails.</summary>
    public bool Verify(string password)
    {
        hash ??= hasher.HashPassword(Nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
        hasher.VerifyHashedPassword(Nobody, hash, password);
        return false;
    }
}
