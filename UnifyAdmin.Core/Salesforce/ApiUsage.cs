using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>API calls used and allowed in the org's rolling 24 hours, from <c>Sforce-Limit-Info</c>.</summary>
public sealed partial record ApiUsage(long Used, long Allowed)
{
    /// <summary>The response header that carries the usage.</summary>
    public const string HeaderName = "Sforce-Limit-Info";

    /// <summary>Calls left before Salesforce refuses with <c>REQUEST_LIMIT_EXCEEDED</c>.</summary>
    public long Remaining => Math.Max(0, Allowed - Used);

    /// <summary>Parses <c>api-usage=used/allowed</c> anywhere in the header value; more segments may follow.</summary>
    public static bool TryParse(string? headerValue, out ApiUsage usage)
    {
        usage = new ApiUsage(0, 0);
        if (string.IsNullOrEmpty(headerValue))
        {
            return false;
        }

        var match = UsagePattern().Match(headerValue);
        if (!match.Success
            || !long.TryParse(match.Groups[1].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var used)
            || !long.TryParse(match.Groups[2].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var allowed))
        {
            return false;
        }

        usage = new ApiUsage(used, allowed);
        return true;
    }

    [GeneratedRegex(@"(?<![\w-])api-usage=(\d+)/(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex UsagePattern();
}

/// <summary>Keeps the latest API usage reported for each source, in memory, for dashboards.</summary>
public sealed class ApiUsageMeter
{
    private readonly ConcurrentDictionary<Guid, ApiUsage> latest = new();
    private readonly ConcurrentDictionary<Guid, long> lastSaved = new();

    /// <summary>
    /// True when the usage of a source should be written to the database now: at most once per
    /// <paramref name="interval"/> per source, whichever client instance asks. A query of many pages
    /// would otherwise write a row update for every page.
    /// </summary>
    public bool TryClaimSave(Guid sourceId, DateTimeOffset now, TimeSpan interval)
    {
        var ticks = now.UtcTicks;
        while (true)
        {
            if (!lastSaved.TryGetValue(sourceId, out var previous))
            {
                if (lastSaved.TryAdd(sourceId, ticks))
                {
                    return true;
                }

                continue;
            }

            if (ticks - previous < interval.Ticks)
            {
                return false;
            }

            if (lastSaved.TryUpdate(sourceId, ticks, previous))
            {
                return true;
            }
        }
    }

    /// <summary>Records the latest usage seen for a source.</summary>
    public void Record(Guid sourceId, ApiUsage usage) => latest[sourceId] = usage;

    /// <summary>The latest usage seen for a source, or null when none was seen yet.</summary>
    public ApiUsage? Get(Guid sourceId) => latest.TryGetValue(sourceId, out var usage) ? usage : null;
}
