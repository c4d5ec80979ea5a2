using System.Security.Cryptography;

namespace UnifyAdmin.Security;

/// <summary>
/// Adds the headers that every response carries: no MIME sniffing, no referrer, a Content-Security-Policy
/// that Blazor Server and MudBlazor work under, and (set by the caller) HSTS.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    private const string NonceKey = "UnifyAdmin.CspNonce";

    /// <summary>The per-response nonce that lets the framework's inline import map run.</summary>
    public static string Nonce(HttpContext context)
        => context.Items.TryGetValue(NonceKey, out var nonce) && nonce is string value ? value : "";

    /// <summary>
    /// Scripts only from this origin (plus the nonce'd import map); styles may be inline because MudBlazor
    /// renders style attributes and a theme style element; the circuit's WebSocket is same-origin; no framing.
    /// Forms may post to this origin only; the OAuth hops to Salesforce are plain navigations, which form-action does not govern.
    /// </summary>
    public static string Policy(string nonce) => string.Join("; ",
        "default-src 'self'",
        $"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'");

    public Task InvokeAsync(HttpContext context)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = Policy(nonce);
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
