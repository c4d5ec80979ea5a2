using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Security;

/// <summary>
/// Decides whether a signed-in session is still valid: its user exists, is not disabled, and has the security
/// stamp the session was issued with. Sign-out, a password change, a role change and disabling the user all
/// change the stamp, so every earlier cookie and circuit of that user stops working.
/// </summary>
public sealed class SessionCheck(IDbContextFactory<AppDbContext> contexts, IOptions<IdentityOptions> identity)
{
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType);
        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(stamp))
        {
            return false;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.IsDisabled })
            .FirstOrDefaultAsync(cancellationToken);
        return user is not null && !user.IsDisabled && user.SecurityStamp == stamp;
    }

    /// <summary>
    /// The cookie handler's check, on every request: one small query, so a copied cookie is refused the moment
    /// its session ends rather than after a validation interval.
    /// </summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var check = context.HttpContext.RequestServices.GetRequiredService<SessionCheck>();
        if (await check.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted))
        {
            return;
        }

        context.HttpContext.RequestServices.GetRequiredService<ILogger<SessionCheck>>()
            .LogInformation("Refused a session cookie that was ended by sign-out, a password or role change, or disabling the user");
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}
