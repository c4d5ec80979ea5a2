using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Security;

/// <summary>
/// Knows whether any user exists. Once one does, that stays true for the life of the process,
/// so the check costs a query only until setup is done.
/// </summary>
public sealed class FirstRunState(IDbContextFactory<AppDbContext> contexts)
{
    private volatile bool complete;

    public async Task<bool> HasUsersAsync(CancellationToken cancellationToken)
    {
        if (complete)
        {
            return true;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        complete = await db.Users.AnyAsync(cancellationToken);
        return complete;
    }

    internal void MarkComplete() => complete = true;
}
