namespace UnifyAdmin.Features.Sources;

/// <summary>
/// The errors the OAuth callback can hand to a page in its address. Only these codes are shown, each with our
/// own words: text in a link is anyone's to write, so it never reaches the page.
/// </summary>
public static class ConnectErrors
{
    public const string UnknownState = "unknown-state";
    public const string OtherSession = "other-session";
    public const string BadStart = "bad-start";

    public static string? Message(string? code) => code switch
    {
        UnknownState => "This Salesforce sign-in response does not match a connection you started (it may have expired or been used already). Start again with Connect.",
        OtherSession => "This Salesforce sign-in was started in another browser or session, so it was not accepted here. Start again with Connect in this browser.",
        BadStart => "This connection could not be started. Start again with Connect.",
        _ => null,
    };
}
