using System.Net;
using System.Text.RegularExpressions;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Web.Security;

/// <summary>
/// A browser without JavaScript: one cookie jar, no automatic redirects, and optionally a client address
/// announced through <c>X-Forwarded-For</c> (believed only when the host trusts the loopback proxy).
/// </summary>
public sealed partial class HttpSession : IDisposable
{
    public HttpSession(AppHost host, string? clientAddress = null, bool viaHttps = false)
    {
        Http = new HttpClient(new CookieJar(Cookies) { InnerHandler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false } })
        {
            BaseAddress = host.BaseAddress,
        };
        if (clientAddress is not null)
        {
            Http.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        }

        if (viaHttps)
        {
            // As a TLS-terminating proxy in front of the app would say.
            Http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        }
    }

    /// <summary>The cookies the app set, by name (Secure ones included: the proxy in front would carry them over https).</summary>
    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    public HttpClient Http { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("data-testid=\"form-errors\">\\s*(?:<div>(?<error>[^<]*)</div>\\s*)+")]
    private static partial Regex FormErrors();

    /// <summary>The antiforgery token of a page's form (the matching cookie lands in the jar).</summary>
    public async Task<string> FormTokenAsync(string path)
    {
        var html = await Http.GetStringAsync(path, Ct);
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {path}");
        return WebUtility.HtmlDecode(match.Groups["token"].Value);
    }

    /// <summary>Posts the sign-in form as a browser would; <paramref name="token"/> may be reused between posts.</summary>
    public async Task<SignInAnswer> SignInAsync(string email, string password, string? token = null)
    {
        token ??= await FormTokenAsync("/account/login");
        using var response = await Http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Model.Email"] = email,
            ["Model.Password"] = password,
        }), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var errors = FormErrors().Match(html).Groups["error"].Captures.Select(c => WebUtility.HtmlDecode(c.Value.Trim())).ToList();
        var setCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        return new SignInAnswer(response.StatusCode, response.Headers.Location, errors, html, setCookies);
    }

    /// <summary>Signs in and checks that it worked.</summary>
    public async Task SignInOkAsync(string email, string password)
    {
        var answer = await SignInAsync(email, password);
        Assert.True(answer.SignedIn, $"Sign-in of {email} failed: {string.Join(" ", answer.Errors)}");
    }

    /// <summary>Presses Sign out on a page, with that page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> SignOutAsync()
    {
        var token = await FormTokenAsync("/sources");
        return await Http.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
        }), Ct);
    }

    /// <summary>The value of the sign-in cookie, as an attacker who copied it would hold it.</summary>
    public string AuthCookie()
        => Cookies.TryGetValue(".UnifyAdmin.Auth", out var value) ? value : throw new InvalidOperationException("Not signed in.");

    public void Dispose() => Http.Dispose();

    /// <summary>A cookie jar that ignores Secure, Path and expiry dates other than deletion: enough for one test.</summary>
    private sealed class CookieJar(Dictionary<string, string> cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (cookies.Count > 0 && !request.Headers.Contains("Cookie"))
            {
                request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var header in setCookies)
                {
                    var pair = header.Split(';')[0];
                    var name = pair[..pair.IndexOf('=', StringComparison.Ordinal)];
                    var value = pair[(name.Length + 1)..];
                    var deleted = value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)
                        || header.Contains("max-age=0", StringComparison.OrdinalIgnoreCase);
                    if (deleted)
                    {
                        cookies.Remove(name);
                    }
                    else
                    {
                        cookies[name] = value;
                    }
                }
            }

            return response;
        }
    }
}

/// <summary>What the sign-in form answered: a redirect when it worked, else the page with its error messages.</summary>
public sealed record SignInAnswer(HttpStatusCode Status, Uri? Location, IReadOnlyList<string> Errors, string Html, IReadOnlyList<string> SetCookies)
{
    public bool SignedIn => (int)Status is 302 or 303 && Errors.Count == 0;
}
