using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Security;

/// <summary>One row of the Users page.</summary>
public sealed record UserSummary(string Id, string Email, string Role, bool IsDisabled, bool IsLockedOut, DateTimeOffset CreatedAt);

/// <summary>Creates the first Admin and lets Admins manage users. Callers are checked here, not only in the UI.</summary>
public sealed class UserAdministration(
    UserManager<AppUser> users,
    IDbContextFactory<AppDbContext> contexts,
    FirstRunState firstRun,
    TimeProvider clock,
    IValidator<FirstAdminInput> firstAdminValidator,
    IValidator<NewUserInput> newUserValidator,
    ILogger<UserAdministration> logger)
{
    private static readonly SemaphoreSlim SetupGate = new(1, 1);

    private static OperationResult From(IdentityResult result)
        => result.Succeeded ? OperationResult.Ok() : OperationResult.Fail(result.Errors.Select(e => e.Description));

    /// <summary>
    /// Identity reports a taken email twice, as a taken user name and a taken email (the email is the user
    /// name here): one message in the product's words instead.
    /// </summary>
    private static OperationResult FromCreate(IdentityResult result, string email)
    {
        var describer = new IdentityErrorDescriber();
        string[] taken = [describer.DuplicateUserName("").Code, describer.DuplicateEmail("").Code];
        if (result.Succeeded || !result.Errors.Any(e => taken.Contains(e.Code)))
        {
            return From(result);
        }

        var others = result.Errors.Where(e => !taken.Contains(e.Code)).Select(e => e.Description);
        return OperationResult.Fail([$"A user with the email {email.Trim()} already exists.", .. others]);
    }

    public async Task<OperationResult> CreateFirstAdminAsync(FirstAdminInput input, CancellationToken cancellationToken)
    {
        var validation = await firstAdminValidator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return OperationResult.Fail(validation.Errors.Select(e => e.ErrorMessage).ToArray());
        }

        await SetupGate.WaitAsync(cancellationToken);
        try
        {
            if (await firstRun.HasUsersAsync(cancellationToken))
            {
                return OperationResult.Fail("Setup is already complete. Sign in with an existing account.");
            }

            var user = NewUser(input.Email);
            var created = await users.CreateAsync(user, input.Password);
            if (!created.Succeeded)
            {
                return From(created);
            }

            var role = await users.AddToRoleAsync(user, Roles.Admin);
            if (!role.Succeeded)
            {
                await users.DeleteAsync(user);
                return From(role);
            }

            firstRun.MarkComplete();
            logger.LogInformation("First Admin {UserId} created", user.Id);
            return OperationResult.Ok();
        }
        finally
        {
            SetupGate.Release();
        }
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from u in db.Users
            join ur in db.UserRoles on u.Id equals ur.UserId into urs
            from ur in urs.DefaultIfEmpty()
            join r in db.Roles on ur.RoleId equals r.Id into rs
            from r in rs.DefaultIfEmpty()
            select new { u.Id, u.Email, Role = r != null ? r.Name : null, u.IsDisabled, u.LockoutEnd, u.CreatedAt })
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return rows
            .GroupBy(r => r.Id)
            .Select(g => g.First())
            .Select(r => new UserSummary(r.Id, r.Email ?? "", r.Role ?? Roles.Viewer, r.IsDisabled, !r.IsDisabled && r.LockoutEnd > now, r.CreatedAt))
            .OrderBy(r => r.Email, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public async Task<OperationResult> CreateAsync(System.Security.Claims.ClaimsPrincipal actor, NewUserInput input, CancellationToken cancellationToken)
    {
        if (!actor.IsInRole(Roles.Admin))
        {
            return OperationResult.Fail("Only an Admin can add users.");
        }

        var validation = await newUserValidator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return OperationResult.Fail(validation.Errors.Select(e => e.ErrorMessage).ToArray());
        }

        var user = NewUser(input.Email);
        var created = await users.CreateAsync(user, input.Password);
        if (!created.Succeeded)
        {
            return FromCreate(created, input.Email);
        }

        var role = await users.AddToRoleAsync(user, input.Role);
        if (!role.Succeeded)
        {
            await users.DeleteAsync(user);
        }

        return From(role);
    }

    public async Task<OperationResult> ChangeRoleAsync(System.Security.Claims.ClaimsPrincipal actor, string userId, string role, CancellationToken cancellationToken)
    {
        if (!actor.IsInRole(Roles.Admin))
        {
            return OperationResult.Fail("Only an Admin can change roles.");
        }

        if (!Roles.All.Contains(role))
        {
            return OperationResult.Fail("Choose Admin or Viewer.");
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return OperationResult.Fail("That user no longer exists.");
        }

        var current = await users.GetRolesAsync(user);
        if (current.Contains(role))
        {
            return OperationResult.Ok();
        }

        if (role != Roles.Admin && current.Contains(Roles.Admin) && await CountActiveAdminsAsync(cancellationToken) <= 1)
        {
            return OperationResult.Fail("This is the last active Admin. Make another user an Admin first.");
        }

        var removed = await users.RemoveFromRolesAsync(user, current);
        if (!removed.Succeeded)
        {
            return From(removed);
        }

        var added = await users.AddToRoleAsync(user, role);
        if (added.Succeeded)
        {
            // A new security stamp makes the user's open sessions pick up the new role.
            await users.UpdateSecurityStampAsync(user);
        }

        return From(added);
    }

    public async Task<OperationResult> SetDisabledAsync(System.Security.Claims.ClaimsPrincipal actor, string userId, bool disabled, CancellationToken cancellationToken)
    {
        if (!actor.IsInRole(Roles.Admin))
        {
            return OperationResult.Fail("Only an Admin can disable users.");
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return OperationResult.Fail("That user no longer exists.");
        }

        if (disabled && users.GetUserId(actor) == user.Id)
        {
            return OperationResult.Fail("You cannot disable your own account.");
        }

        if (disabled && await users.IsInRoleAsync(user, Roles.Admin) && await CountActiveAdminsAsync(cancellationToken) <= 1)
        {
            return OperationResult.Fail("This is the last active Admin. Make another user an Admin first.");
        }

        user.IsDisabled = disabled;
        var updated = await users.UpdateAsync(user);
        if (updated.Succeeded)
        {
            await users.UpdateSecurityStampAsync(user);
            if (!disabled)
            {
                await users.SetLockoutEndDateAsync(user, null);
                await users.ResetAccessFailedCountAsync(user);
            }
        }

        return From(updated);
    }

    public async Task SetThemeAsync(string userId, bool darkMode, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.PrefersDarkMode, darkMode), cancellationToken);
    }

    public async Task<bool?> GetThemeAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.PrefersDarkMode).FirstOrDefaultAsync(cancellationToken);
    }

    private AppUser NewUser(string email) => new()
    {
        UserName = email.Trim(),
        Email = email.Trim(),
        EmailConfirmed = true,
        LockoutEnabled = true,
        CreatedAt = clock.GetUtcNow(),
    };

    private async Task<int> CountActiveAdminsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (
            from u in db.Users
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            where r.Name == Roles.Admin && !u.IsDisabled
            select u.Id).CountAsync(cancellationToken);
    }
}
