using FluentValidation;

namespace UnifyAdmin.Core.Mappings;

/// <summary>
/// The rules of the mapping editor, shared by the page (per field) and <see cref="MappingService"/>.
/// Checked against the model's fields as the org describes them now, so a field removed from
/// Salesforce since the model was saved (schema drift) is refused by name. Failures on a trait row
/// carry the path <c>Traits[i].Trait</c> or <c>Traits[i].Field</c>.
/// </summary>
public sealed class MappingInputValidator : AbstractValidator<MappingInput>
{
    public const string IdRequiredMessage = "You must map either a User ID or Anonymous ID field.";
    public const string GroupIdRequiredMessage = "Send Group needs a Group ID field: choose the field that identifies the account.";
    public const string SpaceRequiredMessage = "Choose the profile space the messages go to.";
    public const string TraitNameRequiredMessage = "Enter a trait name.";
    public const int TraitNameMaxLength = 200;

    public MappingInputValidator(MappingFieldCatalog catalog, IReadOnlyCollection<Guid> spaceIds)
    {
        RuleFor(x => x.ProfileSpaceId)
            .Must(id => id is { } value && spaceIds.Contains(value)).WithMessage(SpaceRequiredMessage);
        RuleFor(x => x.Action).IsInEnum().WithMessage("Choose Send Identify or Send Group.");
        RuleFor(x => x.UserIdField)
            .Must((input, _) => HasId(input)).WithMessage(IdRequiredMessage)
            .Must(f => FieldProblem(catalog, f) is null).WithMessage((_, f) => FieldProblem(catalog, f));
        RuleFor(x => x.AnonymousIdField)
            .Must((input, _) => HasId(input)).WithMessage(IdRequiredMessage)
            .Must(f => FieldProblem(catalog, f) is null).WithMessage((_, f) => FieldProblem(catalog, f));
        RuleFor(x => x.GroupIdField)
            .Must(f => !string.IsNullOrWhiteSpace(f)).When(x => x.Action == MappingAction.Group).WithMessage(GroupIdRequiredMessage)
            .Must(f => FieldProblem(catalog, f) is null).When(x => x.Action == MappingAction.Group).WithMessage((_, f) => FieldProblem(catalog, f));
        RuleFor(x => x.TimestampField)
            .Must(f => FieldProblem(catalog, f) is null).WithMessage((_, f) => FieldProblem(catalog, f))
            .Must(f => catalog.Find(f) is not { } field || field.IsDateTime)
            .WithMessage((_, f) => $"The timestamp must be a date/time field; `{f}` is a {catalog.Find(f)!.Type} field. Choose a date/time field or the time of sending.");
        RuleFor(x => x.Traits)
            .Must(t => TopLevelCount(t) < MappingMessageBuilder.MaxTraits)
            .WithMessage(t => $"Segment drops messages with {MappingMessageBuilder.MaxTraits} or more traits; this mapping has {TopLevelCount(t.Traits)}. Remove some.");
        RuleFor(x => x).Custom((input, context) =>
        {
            for (var i = 0; i < input.Traits.Count; i++)
            {
                foreach (var (field, message) in RowFailures(input, i, catalog))
                {
                    context.AddFailure($"{nameof(MappingInput.Traits)}[{i}].{field}", message);
                }
            }
        });
    }

    /// <summary>Trait names count at their first level: <c>address.city</c> and <c>address.state</c> are one trait.</summary>
    public static int TopLevelCount(IEnumerable<TraitRowInput> rows)
        => rows.Select(r => r.Trait.Trim()).Where(t => t.Length > 0).Select(t => t.Split('.')[0]).Distinct(StringComparer.Ordinal).Count();

    /// <summary>Why a chosen field cannot be used (unknown to the model, or gone from the org), or null.</summary>
    public static string? FieldProblem(MappingFieldCatalog catalog, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        return catalog.Find(path.Trim()) switch
        {
            null => $"`{path}` is not a field of this model. Choose one of the model's fields.",
            { InOrg: false } => $"`{path}` was removed from Salesforce since the model was saved. Choose another field, or update the model.",
            _ => null,
        };
    }

    private static bool HasId(MappingInput input)
        => !string.IsNullOrWhiteSpace(input.UserIdField) || !string.IsNullOrWhiteSpace(input.AnonymousIdField);

    private static IEnumerable<(string Field, string Message)> RowFailures(MappingInput input, int index, MappingFieldCatalog catalog)
    {
        var row = input.Traits[index];
        var name = row.Trait.Trim();
        if (name.Length == 0)
        {
            yield return (nameof(TraitRowInput.Trait), TraitNameRequiredMessage);
        }
        else if (name.Length > TraitNameMaxLength)
        {
            yield return (nameof(TraitRowInput.Trait), $"Use at most {TraitNameMaxLength} characters for a trait name.");
        }
        else if (name.Any(char.IsWhiteSpace) || name.Split('.').Any(p => p.Length == 0))
        {
            yield return (nameof(TraitRowInput.Trait), "A trait name has no spaces and no empty part between dots, like address.city.");
        }
        else if (input.Traits.Take(index).Any(t => string.Equals(t.Trait.Trim(), name, StringComparison.Ordinal)))
        {
            yield return (nameof(TraitRowInput.Trait), $"The trait `{name}` is already mapped above. Each trait name can be used once.");
        }
        else if (input.Traits.Take(index).Select(t => t.Trait.Trim()).FirstOrDefault(other => IsPrefix(other, name) || IsPrefix(name, other)) is { } clash)
        {
            yield return (nameof(TraitRowInput.Trait), $"`{name}` and `{clash}` clash: one would be a value and an object of traits at once. Rename one.");
        }

        if (row.IsStatic)
        {
            if (row.StaticValue is null)
            {
                yield return (nameof(TraitRowInput.StaticValue), "Enter the value every message carries for this trait.");
            }
        }
        else if (string.IsNullOrWhiteSpace(row.Field))
        {
            yield return (nameof(TraitRowInput.Field), "Choose the field this trait comes from.");
        }
        else if (FieldProblem(catalog, row.Field) is { } problem)
        {
            yield return (nameof(TraitRowInput.Field), problem);
        }
    }

    private static bool IsPrefix(string parent, string child)
        => parent.Length > 0 && child.Length > parent.Length + 1 && child.StartsWith(parent, StringComparison.Ordinal) && child[parent.Length] == '.';
}
