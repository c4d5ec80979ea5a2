namespace UnifyAdmin.Demo.Salesforce;

/// <summary>Settings of the demo Salesforce org that the demo serves over HTTP.</summary>
public sealed class SalesforceDemoOptions
{
    public const string SectionName = "Demo:Salesforce";

    public string ClientId { get; set; } = "demo-client-id";

    public string ClientSecret { get; set; } = "demo-client-secret";

    public string Username { get; set; } = "admin@demo.unifyadmin.dev";

    public string Password { get; set; } = "demo-password";

    /// <summary>Calls allowed per rolling day; Developer Edition orgs get 15,000.</summary>
    public int DailyApiLimit { get; set; } = 15000;

    /// <summary>Generated record count per object; records are produced on demand, so large counts cost no memory.</summary>
    public Dictionary<string, int> ObjectSizes { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Account"] = 2000,
        ["Contact"] = 10000,
        ["Lead"] = 3000,
        ["Opportunity"] = 3000,
        ["Case"] = 2000,
        ["User"] = 50,
        ["Subscription__c"] = 1500,
    };

    public int Seed { get; set; } = 20240305;

    /// <summary>JSON file that keeps changed records, schema changes and token state across restarts; null keeps them in memory.</summary>
    public string? StatePath { get; set; }

    /// <summary>Maps the test control API; it is never mapped in Production.</summary>
    public bool ControlApiEnabled { get; set; }

    /// <summary>PEM public key or certificate that verifies JWT bearer assertions; null disables that grant.</summary>
    public string? JwtPublicKeyPem { get; set; }

    /// <summary>
    /// Each refresh answers with a new refresh token and voids the one it was given, as orgs with refresh
    /// token rotation do; off by default, like most orgs.
    /// </summary>
    public bool RotateRefreshTokens { get; set; }

    /// <summary>UnifyAdmin's own OAuth callback, on the demo org's origin: what <see cref="CallbackUrls"/> holds when left empty.</summary>
    public const string DefaultCallbackPath = "/sources/oauth/callback";

    /// <summary>
    /// Callback URLs the connected app accepts, compared exactly; an entry that starts with <c>/</c> is a path on
    /// the demo org's own origin (so the demo works on any port). Empty means <see cref="DefaultCallbackPath"/>.
    /// </summary>
    public List<string> CallbackUrls { get; set; } = [];
}
