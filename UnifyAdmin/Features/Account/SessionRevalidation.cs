using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Features.Account;

/// <summary>How often an open circuit checks that its session is still valid (section <c>Sessions</c>).</summary>
public sealed class SessionRevalidationOptions
{
    public const string SectionName = "Sessions";

    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// An open Blazor circuit outlives the request whose cookie started it: this re-checks its session every
/// <see cref="SessionRevalidationOptions.RevalidationInterval"/>, so sign-out elsewhere, a password or role change or
/// disabling the user ends it (the page then goes to sign-in).
/// </summary>
internal sealed class SessionRevalidatingStateProvider(ILoggerFactory loggers, SessionCheck check, IOptions<SessionRevalidationOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
        => authenticationState.User.Identity?.IsAuthenticated == true
            ? check.IsCurrentAsync(authenticationState.User, cancellationToken)
            : Task.FromResult(true);
}
