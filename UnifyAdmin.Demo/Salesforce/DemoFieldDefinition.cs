namespace UnifyAdmin.Demo.Salesforce;

/// <summary>A field to add to a demo object's describe through the control API.</summary>
public sealed record DemoFieldDefinition(
    string Name,
    string Type,
    string? Label = null,
    int? Length = null,
    IReadOnlyList<string>? PicklistValues = null,
    string? ReferenceTo = null,
    string? RelationshipName = null);
