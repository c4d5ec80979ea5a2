using System.Net;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Security;

/// <summary>How the app is reached from outside: its public address and the proxies allowed to say who the client is.</summary>
public sealed class PublicUrlOptions
{
    /// <summary>Top-level key: the address people and Salesforce use, e.g. <c>https://unify.example.com/</c>.</summary>
    public const string PublicBaseUrlKey = "PublicBaseUrl";

    /// <summary>Section of the proxy settings.</summary>
    public const string ForwardedHeadersSection = "ForwardedHeaders";

    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Addresses of reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed.</summary>
    public List<IPAddress> KnownProxies { get; } = [];

    /// <summary>Networks (CIDR) of reverse proxies whose forwarded headers are believed.</summary>
    public List<System.Net.IPNetwork> KnownNetworks { get; } = [];

    public bool TrustsProxies => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>True when the public address is https, so every cookie must be Secure.</summary>
    public bool IsHttps => PublicBaseUrl?.Scheme == Uri.UriSchemeHttps;

    /// <summary>Reads and checks the settings; a bad value stops the app at start with a message that names the key.</summary>
    public static PublicUrlOptions Read(IConfiguration configuration)
    {
        var options = new PublicUrlOptions();
        var failures = new List<string>();
        var publicUrl = configuration[PublicBaseUrlKey];
        if (!string.IsNullOrWhiteSpace(publicUrl))
        {
            if (Uri.TryCreate(publicUrl.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
            {
                // A trailing slash makes relative paths resolve under the base rather than beside it.
                options.PublicBaseUrl = new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
            }
            else
            {
                failures.Add($"{PublicBaseUrlKey} is '{publicUrl}', but it must be an absolute http or https URL without query, like https://unify.example.com/.");
            }
        }

        var section = configuration.GetSection(ForwardedHeadersSection);
        foreach (var (key, value) in Values(section.GetSection("KnownProxies")))
        {
            if (IPAddress.TryParse(value, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                failures.Add($"{ForwardedHeadersSection}:KnownProxies:{key} is '{value}', but it must be an IP address like 10.0.0.5.");
            }
        }

        foreach (var (key, value) in Values(section.GetSection("KnownNetworks")))
        {
            if (System.Net.IPNetwork.TryParse(value, out var network))
            {
                options.KnownNetworks.Add(network);
            }
            else
            {
                failures.Add($"{ForwardedHeadersSection}:KnownNetworks:{key} is '{value}', but it must be a network in CIDR form like 10.0.0.0/8.");
            }
        }

        return failures.Count == 0
            ? options
            : throw new OptionsValidationException(PublicBaseUrlKey, typeof(PublicUrlOptions), failures);
    }

    // A list may be given as an array (KnownProxies:0=...) or, from one environment variable, comma-separated.
    private static IEnumerable<(string Key, string Value)> Values(IConfigurationSection list)
    {
        if (!string.IsNullOrWhiteSpace(list.Value))
        {
            return list.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (list.Key, v));
        }

        return list.GetChildren().Where(c => !string.IsNullOrWhiteSpace(c.Value)).Select(c => (c.Key, c.Value!.Trim()));
    }

    /// <summary>The app's base address for links that leave the browser (OAuth callbacks): the public one when set, else the request's.</summary>
    public Uri AppBase(Uri requestBase) => PublicBaseUrl ?? requestBase;
}
