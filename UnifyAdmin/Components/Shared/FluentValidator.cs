using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace UnifyAdmin.Components.Shared;

/// <summary>Bridges a FluentValidation validator into an <see cref="EditForm"/>, so the same rules guard forms and services.</summary>
public sealed class FluentValidator<TModel> : ComponentBase, IDisposable
{
    private ValidationMessageStore? messages;
    private EditContext? subscribed;

    [CascadingParameter]
    private EditContext? EditContext { get; set; }

    [Parameter, EditorRequired]
    public required IValidator<TModel> Validator { get; set; }

    protected override void OnParametersSet()
    {
        if (EditContext is null)
        {
            throw new InvalidOperationException($"{nameof(FluentValidator<TModel>)} must be placed inside an EditForm.");
        }

        if (ReferenceEquals(subscribed, EditContext))
        {
            return;
        }

        Unsubscribe();
        subscribed = EditContext;
        messages = new ValidationMessageStore(EditContext);
        EditContext.OnValidationRequested += ValidateAll;
        EditContext.OnFieldChanged += ValidateField;
    }

    private void ValidateAll(object? sender, ValidationRequestedEventArgs e)
    {
        messages!.Clear();
        var result = Validator.Validate((TModel)subscribed!.Model);
        foreach (var error in result.Errors)
        {
            messages.Add(subscribed.Field(error.PropertyName), error.ErrorMessage);
        }

        subscribed.NotifyValidationStateChanged();
    }

    private void ValidateField(object? sender, FieldChangedEventArgs e)
    {
        var field = e.FieldIdentifier;
        messages!.Clear(field);
        var context = ValidationContext<TModel>.CreateWithOptions((TModel)subscribed!.Model, o => o.IncludeProperties(field.FieldName));
        foreach (var error in Validator.Validate(context).Errors)
        {
            messages.Add(field, error.ErrorMessage);
        }

        subscribed.NotifyValidationStateChanged();
    }

    private void Unsubscribe()
    {
        if (subscribed is not null)
        {
            subscribed.OnValidationRequested -= ValidateAll;
            subscribed.OnFieldChanged -= ValidateField;
        }
    }

    public void Dispose() => Unsubscribe();
}
