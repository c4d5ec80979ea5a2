namespace UnifyAdmin.Core.Salesforce;

/// <summary>Validates and combines Salesforce host URLs (login host, instance URL).</summary>
public static class SalesforceHosts
{
    /// <summary>The production login host.</summary>
    public static readonly Uri Production = new("https://login.salesforce.com");

    /// <summary>The login host of Salesforce sandbox orgs.</summary>
    public static readonly Uri Sandbox = new("https://test.salesforce.com");

    /// <summary>
    /// Parses a login host or instance URL: it must be an absolute http(s) URL without query or fragment.
    /// A path is kept (the demo org lives under one). Throws <see cref="SalesforceHostException"/> otherwise.
    /// </summary>
    public static Uri Validate(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)
            || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            throw new SalesforceHostException(url ?? "", $"\"{url}\" is not an absolute URL; use e.g. https://login.salesforce.com.");
        }

        return Validate(uri);
    }

    /// <summary>Checks a host URL; see <see cref="Validate(string?)"/>.</summary>
    public static Uri Validate(Uri uri)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
        {
            throw new SalesforceHostException(uri.OriginalString, $"\"{uri.OriginalString}\" is not an absolute http(s) URL; use e.g. https://login.salesforce.com.");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new SalesforceHostException(uri.GetLeftPart(UriPartial.Authority), $"The Salesforce host \"{uri.GetLeftPart(UriPartial.Path)}\" must not carry a query, fragment or user info.");
        }

        return uri;
    }

    /// <summary>
    /// Parses a My Domain URL an admin typed: https only, because the client secret and tokens travel to it.
    /// A loopback host (localhost, 127.0.0.1, [::1]) may use http, for an org running on this machine.
    /// </summary>
    public static Uri ValidateMyDomain(string? url)
    {
        var uri = Validate(url);
        if (!IsAllowedMyDomain(uri))
        {
            throw new SalesforceHostException(Display(uri), $"\"{Display(uri)}\" must use https, like https://acme.my.salesforce.com; only a loopback host may use http.");
        }

        return uri;
    }

    /// <summary>True for https URLs, and for http URLs of a loopback host.</summary>
    public static bool IsAllowedMyDomain(Uri uri)
        => uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri));

    /// <summary>The domains Salesforce serves orgs from: production, sandboxes, Government Cloud, the China instance.</summary>
    public static readonly IReadOnlyList<string> KnownDomains =
        ["salesforce.com", "force.com", "cloudforce.com", "database.com", "salesforce.mil", "sfcrmproducts.cn"];

    /// <summary>
    /// True when the host is one of <see cref="KnownDomains"/> or below one (e.g. acme.my.salesforce.com), or a
    /// loopback host. Anything else may be a look-alike that would receive the admin's sign-in.
    /// </summary>
    public static bool IsKnownSalesforceHost(Uri uri)
    {
        var host = uri.IdnHost.TrimEnd('.');
        return IsLoopback(uri) || KnownDomains.Any(d => host.Equals(d, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>localhost, 127.0.0.1 or [::1]; names that merely start like them do not count.</summary>
    public static bool IsLoopback(Uri uri)
        => string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase)
           || (System.Net.IPAddress.TryParse(uri.IdnHost, out var address) && System.Net.IPAddress.IsLoopback(address));

    /// <summary>Appends a path to a host URL, keeping the host's own path (no trailing slash doubling).</summary>
    public static Uri Combine(Uri host, string path)
        => new(host.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + path.TrimStart('/'));

    /// <summary>The host as used in messages and the JWT audience: no trailing slash.</summary>
    public static string Display(Uri host) => host.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
