using System.Text.Json.Serialization;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>A token response: where the org lives and how to call it.</summary>
public sealed record SalesforceToken(
    string AccessToken,
    string? RefreshToken,
    Uri InstanceUrl,
    Uri? IdentityUrl,
    string TokenType,
    DateTimeOffset? IssuedAt,
    string? Signature,
    string? Scope)
{
    /// <summary>Keeps tokens out of logs and exception messages.</summary>
    public override string ToString()
        => $"SalesforceToken {{ InstanceUrl = {InstanceUrl}, IdentityUrl = {IdentityUrl}, Scope = {Scope}, IssuedAt = {IssuedAt:O}, RefreshToken = {(RefreshToken is null ? "none" : "***")} }}";
}

/// <summary>The signed-in user behind a token, from the identity URL.</summary>
public sealed record SalesforceIdentity(string UserId, string OrganizationId, string Username, string DisplayName, string? Email);

/// <summary>An authorize URL to send the admin's browser to, and the PKCE verifier to keep server-side for the code exchange.</summary>
public sealed record SalesforceAuthorization(Uri Url, string CodeVerifier)
{
    /// <summary>Keeps the verifier out of logs.</summary>
    public override string ToString() => $"SalesforceAuthorization {{ Url = {Url} }}";
}

internal sealed record TokenWire(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("instance_url")] string? InstanceUrl,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("issued_at")] string? IssuedAt,
    [property: JsonPropertyName("signature")] string? Signature,
    [property: JsonPropertyName("scope")] string? Scope);

internal sealed record OAuthErrorWire(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

internal sealed record IdentityWire(
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("organization_id")] string? OrganizationId,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("email")] string? Email);
