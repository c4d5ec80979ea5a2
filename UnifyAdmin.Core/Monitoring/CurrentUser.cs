using System.Security.Claims;

namespace UnifyAdmin.Core.Monitoring;

/// <summary>Who is acting: a signed-in user, or the system (scheduled jobs, start-up).</summary>
public sealed record ActingUser(string? Id, string Name, bool IsAdmin)
{
    public static readonly ActingUser System = new(null, "system", IsAdmin: true);

    public static ActingUser? FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = principal.Identity.Name ?? principal.FindFirstValue(ClaimTypes.Email) ?? id ?? "unknown";
        return new ActingUser(id, name, principal.IsInRole(Security.Roles.Admin));
    }
}

/// <summary>
/// The ambient acting user. HTTP requests set it in middleware and Blazor circuits set it for each
/// inbound activity, so any service (and the audit interceptor) knows who acts without being passed it.
/// </summary>
public static class CurrentUser
{
    private static readonly AsyncLocal<ActingUser?> Ambient = new();

    /// <summary>The acting user, or <see cref="ActingUser.System"/> outside any request or circuit.</summary>
    public static ActingUser Current => Ambient.Value ?? ActingUser.System;

    /// <summary>Sets the acting user for the current async flow until the returned scope is disposed.</summary>
    public static IDisposable Use(ActingUser? user)
    {
        var previous = Ambient.Value;
        Ambient.Value = user;
        return new Restore(previous);
    }

    private sealed class Restore(ActingUser? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
