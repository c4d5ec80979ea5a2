using FluentValidation;

namespace UnifyAdmin.Core.Security;

/// <summary>What a person types on the first-run setup page.</summary>
public sealed class FirstAdminInput
{
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public string ConfirmPassword { get; set; } = "";
}

/// <summary>What an Admin types to add a user.</summary>
public sealed class NewUserInput
{
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public string Role { get; set; } = Roles.Viewer;
}

/// <summary>What a person types on the sign-in page.</summary>
public sealed class SignInInput
{
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
}

/// <summary>Password rules shared by the validators and ASP.NET Core Identity's options, so both say the same.</summary>
public static class PasswordRules
{
    public const int MinimumLength = 10;

    public static IRuleBuilderOptions<T, string> StrongPassword<T>(this IRuleBuilder<T, string> rule) => rule
        .NotEmpty().WithMessage("Enter a password.")
        .MinimumLength(MinimumLength).WithMessage($"Use at least {MinimumLength} characters.")
        .Matches("[a-z]").WithMessage("Add at least one lower-case letter.")
        .Matches("[A-Z]").WithMessage("Add at least one upper-case letter.")
        .Matches("[0-9]").WithMessage("Add at least one digit.");

    public static IRuleBuilderOptions<T, string> EmailAddressRule<T>(this IRuleBuilder<T, string> rule) => rule
        .NotEmpty().WithMessage("Enter an email address.")
        .MaximumLength(256).WithMessage("Use at most 256 characters.")
        .Matches(@"^[^@\s]+@[^@\s]+\.[^@\s]+$").WithMessage("Enter a valid email address, like admin@example.com.");
}

public sealed class FirstAdminInputValidator : AbstractValidator<FirstAdminInput>
{
    public FirstAdminInputValidator()
    {
        RuleFor(x => x.Email).EmailAddressRule();
        RuleFor(x => x.Password).StrongPassword();
        RuleFor(x => x.ConfirmPassword)
            .NotEmpty().WithMessage("Repeat the password.")
            .Equal(x => x.Password).WithMessage("The two passwords do not match.");
    }
}

public sealed class NewUserInputValidator : AbstractValidator<NewUserInput>
{
    public NewUserInputValidator()
    {
        RuleFor(x => x.Email).EmailAddressRule();
        RuleFor(x => x.Password).StrongPassword();
        RuleFor(x => x.Role).Must(r => Roles.All.Contains(r)).WithMessage("Choose Admin or Viewer.");
    }
}

public sealed class SignInInputValidator : AbstractValidator<SignInInput>
{
    public SignInInputValidator()
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage("Enter your email address.");
        RuleFor(x => x.Password).NotEmpty().WithMessage("Enter your password.");
    }
}
