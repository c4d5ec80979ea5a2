using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Security;

public sealed class UserAdministrationTests(AppHost host) : IClassFixture<AppHost>
{
    private static readonly ClaimsPrincipal Admin = Principal(Roles.Admin);
    private static readonly ClaimsPrincipal Viewer = Principal(Roles.Viewer);

    private static ClaimsPrincipal Principal(string role)
        => new(new ClaimsIdentity([new Claim(ClaimTypes.Role, role), new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString())], "test"));

    private async Task<T> WithAsync<T>(Func<UserAdministration, Task<T>> action)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<UserAdministration>());
    }

    private async Task<int> CountUsersAsync()
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.Users.CountAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_second_setup_attempt_after_an_admin_exists_is_refused_and_saves_nothing()
    {
        await host.EnsureAdminAsync();
        var before = await CountUsersAsync();

        var result = await WithAsync(u => u.CreateFirstAdminAsync(
            new FirstAdminInput { Email = "intruder@example.com", Password = "Intruder-Pass-1", ConfirmPassword = "Intruder-Pass-1" }, CancellationToken.None));

        Assert.False(result.Succeeded);
        Assert.Contains("Setup is already complete. Sign in with an existing account.", result.Errors);
        Assert.Equal(before, await CountUsersAsync());
    }

    [Fact]
    public async Task A_viewer_cannot_add_users_even_by_calling_the_service()
    {
        await host.EnsureAdminAsync();
        var before = await CountUsersAsync();

        var result = await WithAsync(u => u.CreateAsync(Viewer, new NewUserInput { Email = "new@example.com", Password = "New-Password-1", Role = Roles.Admin }, CancellationToken.None));

        Assert.False(result.Succeeded);
        Assert.Equal(before, await CountUsersAsync());
    }

    [Fact]
    public async Task A_taken_email_is_one_message_that_names_the_email_not_a_user_name()
    {
        await host.EnsureAdminAsync();
        var input = new NewUserInput { Email = "twice@example.com", Password = "Twice-Pass-1", Role = Roles.Viewer };
        Assert.True((await WithAsync(u => u.CreateAsync(Admin, input, CancellationToken.None))).Succeeded);

        var again = await WithAsync(u => u.CreateAsync(Admin, input, CancellationToken.None));

        Assert.Equal(["A user with the email twice@example.com already exists."], again.Errors);
    }

    [Fact]
    public async Task An_email_with_letters_beyond_ascii_is_accepted()
    {
        await host.EnsureAdminAsync();

        var created = await WithAsync(u => u.CreateAsync(Admin, new NewUserInput { Email = "josé.müller@example.com", Password = "Unicode-Pass-1", Role = Roles.Viewer }, CancellationToken.None));

        Assert.True(created.Succeeded, created.ErrorText);
        Assert.Contains(await WithAsync(u => u.ListAsync(CancellationToken.None)), r => r.Email == "josé.müller@example.com");
    }

    [Fact]
    public async Task An_admin_adds_a_viewer_and_can_change_the_role()
    {
        await host.EnsureAdminAsync();

        var created = await WithAsync(u => u.CreateAsync(Admin, new NewUserInput { Email = "analyst@example.com", Password = "Analyst-Pass-1", Role = Roles.Viewer }, CancellationToken.None));
        Assert.True(created.Succeeded, string.Join("; ", created.Errors));
        var row = (await WithAsync(u => u.ListAsync(CancellationToken.None))).Single(r => r.Email == "analyst@example.com");
        Assert.Equal(Roles.Viewer, row.Role);

        var changed = await WithAsync(u => u.ChangeRoleAsync(Admin, row.Id, Roles.Admin, CancellationToken.None));
        Assert.True(changed.Succeeded);
        Assert.Equal(Roles.Admin, (await WithAsync(u => u.ListAsync(CancellationToken.None))).Single(r => r.Email == "analyst@example.com").Role);
    }

    [Fact]
    public async Task A_weak_password_for_a_new_user_is_refused_with_what_to_fix()
    {
        await host.EnsureAdminAsync();

        var result = await WithAsync(u => u.CreateAsync(Admin, new NewUserInput { Email = "weak@example.com", Password = "alllowercase", Role = Roles.Viewer }, CancellationToken.None));

        Assert.False(result.Succeeded);
        Assert.Contains("Add at least one upper-case letter.", result.Errors);
        Assert.Contains("Add at least one digit.", result.Errors);
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_demoted()
    {
        await host.EnsureAdminAsync();
        var admins = (await WithAsync(u => u.ListAsync(CancellationToken.None))).Where(r => r.Role == Roles.Admin && !r.IsDisabled).ToList();
        if (admins.Count != 1)
        {
            // Other tests in this class may add Admins; demote them first so this one is the last.
            foreach (var extra in admins.Where(a => a.Email != AppHost.AdminEmail))
            {
                await WithAsync(u => u.ChangeRoleAsync(Admin, extra.Id, Roles.Viewer, CancellationToken.None));
            }
        }

        var last = (await WithAsync(u => u.ListAsync(CancellationToken.None))).Single(r => r.Email == AppHost.AdminEmail);
        var result = await WithAsync(u => u.ChangeRoleAsync(Admin, last.Id, Roles.Viewer, CancellationToken.None));

        Assert.False(result.Succeeded);
        Assert.Contains("This is the last active Admin. Make another user an Admin first.", result.Errors);
    }
}
