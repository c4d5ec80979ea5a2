using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace UnifyAdmin.Demo.Segment;

/// <summary>Serves an injected fault instead of (or before) the real response.</summary>
internal static class SegmentDemoFaults
{
    /// <summary>True when the fault answered the request and nothing else may be written.</summary>
    public static async Task<bool> ApplyAsync(HttpContext context, SegmentDemoWorkspace workspace, string target)
    {
        if (workspace.TakeFault(target) is not { } fault)
        {
            return false;
        }

        switch (fault.Kind)
        {
            case "429":
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await SegmentDemoTrackingApi.WriteJsonAsync(context, "{\"success\":false,\"message\":\"Too many requests.\",\"code\":\"rate_limited\"}"u8.ToArray());
                return true;
            case "500":
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await SegmentDemoTrackingApi.WriteJsonAsync(context, "{\"success\":false,\"message\":\"Internal server error.\",\"code\":\"internal_error\"}"u8.ToArray());
                return true;
            case "400":
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await SegmentDemoTrackingApi.WriteJsonAsync(context, "{\"success\":false,\"message\":\"Injected bad request.\",\"code\":\"invalid_request\"}"u8.ToArray());
                return true;
            case "408":
                context.Response.StatusCode = StatusCodes.Status408RequestTimeout;
                await SegmentDemoTrackingApi.WriteJsonAsync(context, "{\"success\":false,\"message\":\"Request timeout.\",\"code\":\"timeout\"}"u8.ToArray());
                return true;
            case "413":
                // What a proxy in front of the API answers for a body it will not take, whatever the API's own limit.
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await SegmentDemoTrackingApi.WriteJsonAsync(context, "{\"success\":false,\"message\":\"Payload too large.\",\"code\":\"too_large\"}"u8.ToArray());
                return true;
            case "html":
                // A captive portal or a wrong URL: 200 with a body that is not JSON.
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync("<html><body>Sign in to the network</body></html>", context.RequestAborted);
                return true;
            case "delay":
                await Task.Delay(TimeSpan.FromMilliseconds(fault.DelayMs), workspace.Time, context.RequestAborted);
                return false;
            default:
                return false;
        }
    }
}
