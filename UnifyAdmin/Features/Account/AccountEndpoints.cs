using Microsoft.AspNetCore.Antiforgery;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Features.Account;

/// <summary>Sign-out is a form post checked against antiforgery, because it changes the session.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async (HttpContext context, IAntiforgery antiforgery, SignInService signIn) =>
        {
            // Checked here rather than by the framework, so a stale form gets a clear 400 instead of an error page re-run as a POST.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Problem(
                    title: "This sign-out form has expired.",
                    detail: "Reload the page and choose Sign out again.",
                    statusCode: StatusCodes.Status400BadRequest);
            }

            await signIn.SignOutAsync(context.User);
            return Results.LocalRedirect("~/account/login?signedOut=true");
        }).AllowAnonymous().DisableAntiforgery();
        return endpoints;
    }
}
