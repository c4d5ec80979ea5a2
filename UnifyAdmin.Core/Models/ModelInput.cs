using FluentValidation;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Core.Models;

/// <summary>What the Create Model wizard and the Edit page send: the model as the admin typed it.</summary>
public sealed class ModelInput
{
    public Guid SourceId { get; set; }

    /// <summary>Null for a new model.</summary>
    public Guid? Id { get; set; }

    /// <summary>The version the editor loaded (concurrency check on edit).</summary>
    public Guid? Version { get; set; }

    public string Name { get; set; } = "";

    public string Collection { get; set; } = "";

    public List<string> Fields { get; set; } = [];

    public FilterJoin Join { get; set; }

    public List<FilterRow> Conditions { get; set; } = [];

    /// <summary>The fields with Id and SystemModstamp first, no duplicates.</summary>
    public List<string> NormalizedFields() => SelectiveSync.Normalize(Fields);

    /// <summary>The filter as stored; null without rows.</summary>
    public ModelFilter? ToFilter() => Conditions.Count == 0
        ? null
        : new ModelFilter(Join, Conditions.Select(c => new FilterCondition(c.Field, c.Operator, c.Value)).ToList());

    public static ModelInput From(DataModel model) => new()
    {
        SourceId = model.SourceId,
        Id = model.Id,
        Version = model.Version,
        Name = model.Name,
        Collection = model.Collection,
        Fields = [.. model.Fields],
        Join = model.Filter?.Join ?? FilterJoin.And,
        Conditions = model.Filter?.Conditions.Select(c => new FilterRow { Field = c.Field, Operator = c.Operator, Value = c.Value }).ToList() ?? [],
    };
}

/// <summary>One editable filter row: field, operator, value (text as the compiler reads it).</summary>
public sealed class FilterRow
{
    public string Field { get; set; } = "";

    public FilterOperator Operator { get; set; }

    public string? Value { get; set; }
}

/// <summary>Rules for a model that hold in the form and in the service.</summary>
public sealed class ModelInputValidator : AbstractValidator<ModelInput>
{
    /// <summary>The Models table's limit on names.</summary>
    public const int MaxNameLength = 100;

    public ModelInputValidator()
    {
        RuleFor(m => m.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Name the model, e.g. \"Contacts with accounts\".");
        RuleFor(m => m.Name).Must(n => n.Trim().Length <= MaxNameLength)
            .WithMessage(m => $"A model name can have at most {MaxNameLength} characters; this one has {m.Name.Trim().Length}. Shorten it.");
        RuleFor(m => m.Collection).NotEmpty().WithMessage("Choose the collection the model reads.");
        RuleFor(m => m.Fields).Must(f => f.Any(x => !SelectiveSync.AlwaysIncluded.Contains(x)))
            .WithMessage("Choose at least one field besides Id and SystemModstamp.");
    }
}
