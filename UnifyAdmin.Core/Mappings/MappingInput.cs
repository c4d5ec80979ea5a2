namespace UnifyAdmin.Core.Mappings;

/// <summary>What an Admin edits in the mapping editor; the service turns it into a <see cref="Mapping"/>.</summary>
public sealed class MappingInput
{
    /// <summary>Chosen when the editor opens, so the preview's messageIds are the ones the saved mapping sends.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid ModelId { get; set; }

    public Guid DestinationId { get; set; }

    public MappingAction Action { get; set; } = MappingAction.Identify;

    public Guid? ProfileSpaceId { get; set; }

    public string? UserIdField { get; set; }

    public string? AnonymousIdField { get; set; }

    public string? GroupIdField { get; set; }

    public List<TraitRowInput> Traits { get; set; } = [];

    public TraitNaming Naming { get; set; } = TraitNaming.CamelCase;

    public bool SendNulls { get; set; }

    /// <summary>A date/time field of the model; null means the time of sending.</summary>
    public string? TimestampField { get; set; } = "SystemModstamp";

    /// <summary>The concurrency token the editor was loaded with; empty for a new mapping.</summary>
    public Guid Version { get; set; }

    /// <summary>True when the input edits a saved mapping.</summary>
    public bool IsSaved => Version != Guid.Empty;

    /// <summary>The trait rows as the mapping stores them.</summary>
    public List<TraitMapping> ToTraitMappings()
        => Traits.Select(t => t.IsStatic
            ? new TraitMapping(t.Trait.Trim(), null, t.StaticValue ?? "")
            : new TraitMapping(t.Trait.Trim(), Blank(t.Field))).ToList();

    /// <summary>An unsaved mapping carrying this input, for the preview and the test send.</summary>
    public Mapping ToMapping(int revision) => new()
    {
        Id = Id,
        ModelId = ModelId,
        DestinationId = DestinationId,
        ProfileSpaceId = ProfileSpaceId ?? Guid.Empty,
        Action = Action,
        UserIdField = Blank(UserIdField),
        AnonymousIdField = Blank(AnonymousIdField),
        GroupIdField = Action == MappingAction.Group ? Blank(GroupIdField) : null,
        Traits = ToTraitMappings(),
        Naming = Naming,
        SendNulls = SendNulls,
        TimestampField = Blank(TimestampField),
        Revision = revision,
    };

    /// <summary>The editor's input for a saved mapping.</summary>
    public static MappingInput From(Mapping mapping) => new()
    {
        Id = mapping.Id,
        ModelId = mapping.ModelId,
        DestinationId = mapping.DestinationId,
        Action = mapping.Action,
        ProfileSpaceId = mapping.ProfileSpaceId,
        UserIdField = mapping.UserIdField,
        AnonymousIdField = mapping.AnonymousIdField,
        GroupIdField = mapping.GroupIdField,
        Traits = mapping.Traits.Select(t => new TraitRowInput
        {
            Trait = t.Trait,
            Field = t.Field,
            StaticValue = t.StaticValue,
            IsStatic = t.Field is null,
        }).ToList(),
        Naming = mapping.Naming,
        SendNulls = mapping.SendNulls,
        TimestampField = mapping.TimestampField,
        Version = mapping.Version,
    };

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One trait row of the editor: a model field or a static value, and the trait name it becomes.</summary>
public sealed class TraitRowInput
{
    public string Trait { get; set; } = "";

    public string? Field { get; set; }

    public string? StaticValue { get; set; }

    public bool IsStatic { get; set; }
}

/// <summary>A field a mapping may use: a model field with its type as the org describes it now.</summary>
/// <param name="Path">Field path, e.g. <c>Email</c> or <c>Account.Name</c>.</param>
/// <param name="InOrg">False when the org no longer has the field (schema drift since the model was saved).</param>
public sealed record MappingField(string Path, string Label, string Type, bool InOrg, bool ExternalId = false, bool Unique = false)
{
    public bool IsDateTime => Type is "datetime" or "date";
}

/// <summary>The fields of a model that a mapping can use, looked up case-insensitively.</summary>
public sealed class MappingFieldCatalog
{
    private readonly Dictionary<string, MappingField> byPath;

    public MappingFieldCatalog(IEnumerable<MappingField> fields)
    {
        Fields = fields.ToList();
        byPath = new Dictionary<string, MappingField>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in Fields)
        {
            byPath.TryAdd(field.Path, field);
        }
    }

    public IReadOnlyList<MappingField> Fields { get; }

    /// <summary>Fields the org has now (what can be chosen).</summary>
    public IEnumerable<MappingField> Available => Fields.Where(f => f.InOrg);

    public MappingField? Find(string? path) => path is null ? null : byPath.GetValueOrDefault(path);

    /// <summary>Field path → describe type, for the message builder.</summary>
    public IReadOnlyDictionary<string, string> FieldTypes()
        => Available.ToDictionary(f => f.Path, f => f.Type, StringComparer.OrdinalIgnoreCase);
}
