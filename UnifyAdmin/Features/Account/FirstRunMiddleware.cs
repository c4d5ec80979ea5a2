using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Features.Account;

/// <summary>
/// Until the first Admin exists, every page leads to the setup page; after that the setup page is gone.
/// Health probes, static files and the demo services are left alone.
/// </summary>
public sealed class FirstRunMiddleware(RequestDelegate next)
{
    public const string SetupPath = "/setup";

    public async Task InvokeAsync(HttpContext context, FirstRunState firstRun)
    {
        var path = context.Request.Path;
        if (IsExempt(path))
        {
            await next(context);
            return;
        }

        var hasUsers = await firstRun.HasUsersAsync(context.RequestAborted);
        var isSetup = path.StartsWithSegments(SetupPath, StringComparison.OrdinalIgnoreCase);
        if (!hasUsers && !isSetup && !path.StartsWithSegments("/_blazor"))
        {
            context.Response.Redirect(SetupPath);
            return;
        }

        if (hasUsers && isSetup)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await next(context);
    }

    private static bool IsExempt(PathString path)
        => path.StartsWithSegments("/healthz")
        || path.StartsWithSegments("/readyz")
        || path.StartsWithSegments("/demo")
        || path.StartsWithSegments("/_framework")
        || path.StartsWithSegments("/_content")
        || path.StartsWithSegments("/not-found")
        || path.StartsWithSegments("/error")
        || Path.HasExtension(path.Value);
}
