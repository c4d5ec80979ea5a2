using FluentValidation;

namespace UnifyAdmin.Components.Shared;

/// <summary>Bridges a FluentValidation validator into MudBlazor's <c>MudForm.Validation</c> (per-field messages).</summary>
public static class MudValidation
{
    public static Func<object, string, Task<IEnumerable<string>>> For<TModel>(IValidator<TModel> validator)
        => async (model, propertyName) =>
        {
            var context = ValidationContext<TModel>.CreateWithOptions((TModel)model, o => o.IncludeProperties(propertyName));
            var result = await validator.ValidateAsync(context);
            return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
        };
}
