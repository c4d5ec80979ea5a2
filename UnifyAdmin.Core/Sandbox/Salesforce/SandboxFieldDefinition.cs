namespace UnifyAdmin.Core.Sandbox.Salesforce;

/// <summary>A field to add to a sandbox object's describe through the control API.</summary>
public sealed record SandboxFieldDefinition(
    string Name,
    string Type,
    string? Label = null,
    int? Length = null,
    IReadOnlyList<string>? PicklistValues = null,
    string? ReferenceTo = null,
    string? RelationshipName = null);
