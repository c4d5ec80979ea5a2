namespace UnifyAdmin.Core.Models;

/// <summary>
/// A named selection of fields from one collection of a source, optionally filtered: what mappings
/// send to Segment. Keeps a schema snapshot of its fields for the sync engine's drift detection.
/// </summary>
public sealed class DataModel
{
    public Guid Id { get; set; }

    public Guid SourceId { get; set; }

    /// <summary>Unique per source.</summary>
    public required string Name { get; set; }

    /// <summary>The Salesforce object (sObject) API name, e.g. <c>Contact</c>.</summary>
    public required string Collection { get; set; }

    /// <summary>
    /// Field paths in order: the collection's own fields (<c>Email</c>) and parent fields one level up
    /// through a lookup (<c>Account.Name</c>). Always holds <c>Id</c> and <c>SystemModstamp</c>.
    /// </summary>
    public List<string> Fields { get; set; } = [];

    /// <summary>Optional row filter, compiled to a SOQL WHERE clause by the SOQL builder; never raw SOQL.</summary>
    public ModelFilter? Filter { get; set; }

    /// <summary>The fields as the org described them when the model was saved.</summary>
    public List<ModelFieldSnapshot> SchemaSnapshot { get; set; } = [];

    /// <summary>
    /// Every field name the collection had when last described (at save, then at each run): a field added or
    /// removed outside the model becomes a notice once. Empty until the first save or run records it.
    /// </summary>
    public List<string> CollectionFields { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency token, set in code.</summary>
    public Guid Version { get; set; }
}

/// <summary>Rows of field, operator and value, joined by AND or OR.</summary>
public sealed record ModelFilter(FilterJoin Join, IReadOnlyList<FilterCondition> Conditions);

/// <summary>How the conditions of a filter combine.</summary>
public enum FilterJoin
{
    And,
    Or,
}

/// <summary>
/// One condition. <see cref="Value"/> is the text the admin entered (ISO dates, invariant numbers,
/// <c>true</c>/<c>false</c>; several values for IN are separated by newlines); it is typed and escaped
/// against the field's describe when compiled.
/// </summary>
public sealed record FilterCondition(string Field, FilterOperator Operator, string? Value);

/// <summary>Operators a filter offers; which ones apply depends on the field's type.</summary>
public enum FilterOperator
{
    Equals,
    NotEquals,
    LessThan,
    LessOrEqual,
    GreaterThan,
    GreaterOrEqual,
    Contains,
    StartsWith,
    In,
    NotIn,
    IsNull,
    IsNotNull,
}

/// <summary>One field of a model as described when it was saved (for drift detection).</summary>
public sealed record ModelFieldSnapshot(string Name, string Type, int Length, bool Nillable, bool Calculated);
