using Bunit;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Features.Account;

namespace UnifyAdmin.Tests.Components;

public sealed class SetupFormTests : MudComponentTest
{
    private FirstAdminInput? submitted;

    private IRenderedComponent<SetupForm> RenderForm(IReadOnlyList<string>? errors = null)
        => Render<SetupForm>(p => p
            .Add(f => f.OnSubmit, input => submitted = input)
            .Add(f => f.Errors, errors ?? []));

    private static void Fill(IRenderedComponent<SetupForm> form, string email, string password, string confirm)
    {
        form.Find("#setup-email").Change(email);
        form.Find("#setup-password").Change(password);
        form.Find("#setup-confirm").Change(confirm);
    }

    [Fact]
    public void An_empty_form_shows_what_to_fill_in_and_submits_nothing()
    {
        var form = RenderForm();

        form.Find("form").Submit();

        var messages = form.FindAll(".validation-message").Select(m => m.TextContent).ToList();
        Assert.Contains("Enter an email address.", messages);
        Assert.Contains("Enter a password.", messages);
        Assert.Contains("Repeat the password.", messages);
        Assert.Null(submitted);
    }

    [Fact]
    public void A_mismatched_confirmation_is_shown_next_to_the_field()
    {
        var form = RenderForm();
        Fill(form, "ops@example.com", "Strong-Pass-99", "Strong-Pass-98");

        form.Find("form").Submit();

        Assert.Equal("The two passwords do not match.", form.Find("#setup-confirm ~ .validation-message").TextContent);
        Assert.Null(submitted);
    }

    [Fact]
    public void A_valid_form_is_submitted_with_what_was_typed()
    {
        var form = RenderForm();
        Fill(form, "ops@example.com", "Strong-Pass-99", "Strong-Pass-99");

        form.Find("form").Submit();

        Assert.Empty(form.FindAll(".validation-message"));
        Assert.NotNull(submitted);
        Assert.Equal("ops@example.com", submitted.Email);
    }

    [Fact]
    public void Server_errors_are_shown_above_the_form()
    {
        var form = RenderForm(["Setup is already complete. Sign in with an existing account."]);

        Assert.Contains("Setup is already complete", form.Find("[data-testid=form-errors]").TextContent);
    }
}
