using Microsoft.Extensions.Options;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Demo.Salesforce;
using UnifyAdmin.Demo.Segment;

namespace UnifyAdmin.Features.Demo;

/// <summary>
/// What the wizard offers when the demo services are on: "Demo org" as a login host and "Use demo
/// workspace" for a destination. Registered only when <c>Demo:Enabled</c> is true; pages take it as
/// an <see cref="Optional{T}"/>, so nothing else in the app needs to know the demo exists.
/// </summary>
public interface IDemoOffer
{
    /// <summary>The demo org's login path under this app, e.g. <c>demo/salesforce</c>.</summary>
    string OrgLoginPath { get; }

    /// <summary>The demo org's External Client App id (not a secret).</summary>
    string OrgClientId { get; }

    /// <summary>The demo workspace's spaces, with endpoints under the app's own address.</summary>
    DestinationPreset Workspace(Uri appBase);
}

/// <summary>
/// Also Core's <see cref="IAppHostedOrg"/>: the connector takes the demo org's path and secret from here on
/// the server, so the secret never reaches a page.
/// </summary>
internal sealed class DemoOffer(IOptions<SalesforceDemoOptions> org, IOptions<SegmentDemoOptions> workspace) : IDemoOffer, IAppHostedOrg
{
    public string OrgLoginPath => SalesforceDemoExtensions.DefaultPrefix.TrimStart('/');

    public string OrgClientId => org.Value.ClientId;

    string IAppHostedOrg.LoginPath => OrgLoginPath;

    string IAppHostedOrg.ClientId => org.Value.ClientId;

    string IAppHostedOrg.ClientSecret => org.Value.ClientSecret;

    public DestinationPreset Workspace(Uri appBase)
    {
        var options = workspace.Value;
        var root = appBase.ToString().TrimEnd('/');
        var spaces = new List<PresetSpace> { new(options.SpaceId, options.SpaceName, options.WriteKey, options.AccessToken) };
        spaces.AddRange(options.Spaces.Select(s => new PresetSpace(s.Id, string.IsNullOrWhiteSpace(s.Name) ? s.Id : s.Name, s.WriteKey, s.AccessToken)));
        return new DestinationPreset(root + SegmentDemoExtensions.TrackingPrefix, root + SegmentDemoExtensions.ProfilesPrefix, spaces);
    }
}

/// <summary>A service that may not be registered (e.g. <see cref="IDemoOffer"/> with the demo off).</summary>
public sealed class Optional<T>(IServiceProvider services)
    where T : class
{
    public T? Value { get; } = services.GetService<T>();
}
