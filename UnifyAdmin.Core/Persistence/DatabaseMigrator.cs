using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Core.Persistence;

/// <summary>Applies migrations at start (when enabled) and makes sure the built-in roles exist.</summary>
public sealed class DatabaseMigrator(
    IDbContextFactory<AppDbContext> contexts,
    IOptions<DatabaseOptions> options,
    IServiceScopeFactory scopes,
    ILogger<DatabaseMigrator> logger)
{
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (options.Value.MigrateOnStartup)
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count > 0)
                {
                    logger.LogInformation("Applying {Count} database migration(s): {Migrations}", pending.Count, pending);
                    await db.Database.MigrateAsync(cancellationToken);
                }
            }
            else if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
            {
                logger.LogWarning("The database has pending migrations and Database:MigrateOnStartup is false; /readyz reports not ready until they are applied.");
                return;
            }
        }

        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }
}
