using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Security;

/// <summary>Signs a person in by email and password, with lockout, and says why when it cannot.</summary>
public sealed class SignInService(
    UserManager<AppUser> users, SignInManager<AppUser> signIn, IValidator<SignInInput> validator, ILogger<SignInService> logger)
{
    public const string WrongCredentials = "The email or password is not right. Check both and try again.";
    public const string Disabled = "This account is disabled. Ask an Admin to enable it.";
    public const string LockedOut = "Too many failed attempts: this account is locked for 15 minutes. Try again later or ask an Admin.";

    public async Task<OperationResult> SignInAsync(SignInInput input, bool remember)
    {
        var validation = await validator.ValidateAsync(input);
        if (!validation.IsValid)
        {
            return OperationResult.Fail(validation.Errors.Select(e => e.ErrorMessage).ToArray());
        }

        var user = await users.FindByEmailAsync(input.Email.Trim());
        if (user is null)
        {
            return OperationResult.Fail(WrongCredentials);
        }

        if (user.IsDisabled)
        {
            logger.LogInformation("Refused sign-in of disabled user {UserId}", user.Id);
            return OperationResult.Fail(Disabled);
        }

        var result = await signIn.PasswordSignInAsync(user, input.Password, remember, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            logger.LogInformation("User {UserId} signed in", user.Id);
            return OperationResult.Ok();
        }

        if (result.IsLockedOut)
        {
            logger.LogWarning("User {UserId} is locked out after repeated failed sign-ins", user.Id);
            return OperationResult.Fail(LockedOut);
        }

        return OperationResult.Fail(WrongCredentials);
    }

    public Task SignOutAsync() => signIn.SignOutAsync();
}
