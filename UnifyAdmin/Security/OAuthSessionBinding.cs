using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Security;

/// <summary>
/// Binds an OAuth <c>state</c> to the browser that started the connection: on the way out the browser gets an
/// HttpOnly nonce cookie for that state, and the callback is accepted only from a browser that carries it.
/// A callback opened in another session, even of the same user, is refused.
/// </summary>
public sealed class OAuthSessionBinding(IDataProtectionProvider protection, IOptionsMonitor<CookieAuthenticationOptions> cookies)
{
    public const string StartPath = "/sources/oauth/start";
    private const string CookiePath = "/sources/oauth";
    private const string CookiePrefix = ".UnifyAdmin.OAuth.";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly ITimeLimitedDataProtector protector = protection.CreateProtector("UnifyAdmin.OAuth.State.v1").ToTimeLimitedDataProtector();

    /// <summary>Where the browser goes to start signing in: this app first (to get the cookie), then the authorize URL.</summary>
    public static string StartUrl(Guid attemptId, Uri authorizeUrl)
        => $"{StartPath.TrimStart('/')}?attempt={attemptId}&to={Uri.EscapeDataString(authorizeUrl.ToString())}";

    public void Bind(HttpContext context, string state)
        => context.Response.Cookies.Append(CookieName(state), protector.Protect(state, Lifetime), Options(context, Lifetime));

    /// <summary>True when this browser started the sign-in that <paramref name="state"/> belongs to.</summary>
    public bool IsBound(HttpContext context, string? state)
    {
        if (string.IsNullOrEmpty(state) || context.Request.Cookies[CookieName(state)] is not { Length: > 0 } value)
        {
            return false;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(protector.Unprotect(value)), Encoding.UTF8.GetBytes(state));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Release(HttpContext context, string state)
        => context.Response.Cookies.Delete(CookieName(state), Options(context, TimeSpan.Zero));

    private CookieOptions Options(HttpContext context, TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        IsEssential = true,
        // Lax: the callback is a top-level navigation from Salesforce's site, which Lax cookies accompany.
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps || cookies.Get(IdentityConstants.ApplicationScheme).Cookie.SecurePolicy == CookieSecurePolicy.Always,
        Path = CookiePath,
        MaxAge = maxAge,
    };

    // One cookie per sign-in, so two connections started in two tabs do not overwrite each other.
    private static string CookieName(string state)
        => CookiePrefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(state)))[..16];
}
