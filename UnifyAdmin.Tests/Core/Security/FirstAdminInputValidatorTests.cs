using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Tests.Core.Security;

public sealed class FirstAdminInputValidatorTests
{
    private static IReadOnlyList<string> Errors(string email, string password, string confirm)
        => new FirstAdminInputValidator().Validate(new FirstAdminInput { Email = email, Password = password, ConfirmPassword = confirm })
            .Errors.Select(e => e.ErrorMessage).ToList();

    [Fact]
    public void A_good_first_admin_passes()
        => Assert.Empty(Errors("ops@example.com", "Strong-Pass-99", "Strong-Pass-99"));

    [Theory]
    [InlineData("plainaddress")]
    [InlineData("a@b")]
    [InlineData("two@@example.com")]
    public void A_malformed_email_says_what_a_valid_one_looks_like(string email)
        => Assert.Contains("Enter a valid email address, like admin@example.com.", Errors(email, "Strong-Pass-99", "Strong-Pass-99"));

    [Fact]
    public void A_mismatched_confirmation_is_reported()
        => Assert.Equal(["The two passwords do not match."], Errors("ops@example.com", "Strong-Pass-99", "Strong-Pass-98"));

    [Fact]
    public void A_weak_password_lists_each_missing_rule()
    {
        var errors = Errors("ops@example.com", "weak", "weak");

        Assert.Contains("Use at least 10 characters.", errors);
        Assert.Contains("Add at least one upper-case letter.", errors);
        Assert.Contains("Add at least one digit.", errors);
    }
}
