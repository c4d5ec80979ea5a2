using System.Net.Http.Headers;

namespace UnifyAdmin.Core.Segment;

/// <summary>Reads a <c>Retry-After</c> header, given either as seconds or as an HTTP date.</summary>
public static class RetryAfter
{
    /// <summary>The wait the server asked for, never negative; null when the header is absent.</summary>
    public static TimeSpan? Read(HttpResponseMessage response, TimeProvider time)
        => Read(response.Headers.RetryAfter, time.GetUtcNow());

    public static TimeSpan? Read(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
