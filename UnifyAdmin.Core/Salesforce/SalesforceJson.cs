using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UnifyAdmin.Core.Salesforce;

internal static class SalesforceJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new SalesforceDateTimeConverter() },
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}

internal static class SalesforceErrors
{
    private sealed record ApiErrorWire(string? Message, string? ErrorCode);

    /// <summary>Reads <c>[{"message","errorCode"}]</c> (or a single such object).</summary>
    public static bool TryParseApiError(string body, [NotNullWhen(true)] out string? errorCode, [NotNullWhen(true)] out string? message)
    {
        errorCode = message = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            return false;
        }

        try
        {
            var trimmed = body.TrimStart();
            ApiErrorWire? first = trimmed.StartsWith('[')
                ? JsonSerializer.Deserialize<List<ApiErrorWire>>(body, SalesforceJson.Options)?.FirstOrDefault()
                : trimmed.StartsWith('{') ? JsonSerializer.Deserialize<ApiErrorWire>(body, SalesforceJson.Options) : null;
            if (first?.ErrorCode is { Length: > 0 } code)
            {
                errorCode = code;
                message = first.Message ?? "";
                return true;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
