namespace UnifyAdmin.Core.Sources;

/// <summary>
/// An org that the web app serves itself (the demo org, when it is on). Core knows it only through
/// this: the path under the app's address and the credentials the server supplies when connecting,
/// so the client secret never has to travel through a browser.
/// </summary>
public interface IAppHostedOrg
{
    /// <summary>The org's login path under the app's address, e.g. <c>some/path</c>.</summary>
    string LoginPath { get; }

    /// <summary>The External Client App id the org accepts (not a secret).</summary>
    string ClientId { get; }

    /// <summary>The External Client App secret; supplied by the server, never shown.</summary>
    string ClientSecret { get; }
}
