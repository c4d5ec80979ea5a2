using Microsoft.AspNetCore.Components;
using MudBlazor;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Features.Mappings;

/// <summary>
/// The mapping editor, validated field by field with the same <see cref="MappingInputValidator"/> the
/// service applies. Save is not called while anything is invalid. The payload preview is rebuilt on
/// every change with the sync's own builder and the Segment client's own writer.
/// </summary>
public sealed partial class MappingEditor
{
    private const string SendTimeChoice = "(time of sending)";

    private MudForm? form;
    private MappingInputValidator validator = null!;
    private IReadOnlyList<IdSuggestion> suggestions = [];
    private IReadOnlyList<ReservedTraitSet> reserved = [];
    private IReadOnlyList<string> errors = [];
    private IReadOnlyList<string> warnings = [];
    private MappingEditorData? loadedData;
    private DateTimeOffset previewNow;
    private int sampleIndex;
    private bool saving;

    [Parameter, EditorRequired]
    public required MappingEditorData Data { get; set; }

    /// <summary>The library the Segment client writes into messages (part of the previewed JSON).</summary>
    [Parameter, EditorRequired]
    public required SegmentLibrary Library { get; set; }

    /// <summary>Saves the input; the result's errors are shown above the button.</summary>
    [Parameter, EditorRequired]
    public required Func<MappingInput, Task<OperationResult<SavedMapping>>> OnSave { get; set; }

    /// <summary>Viewers see the mapping but cannot change it.</summary>
    [Parameter]
    public bool ReadOnly { get; set; }

    private MappingInput Input => Data.Input;

    private string TimestampChoice => string.IsNullOrEmpty(Input.TimestampField) ? SendTimeChoice : Input.TimestampField;

    /// <summary>Fields the mapping uses that the org no longer has.</summary>
    private IReadOnlyList<string> DriftedFields => UsedFields().Where(f => Data.Catalog.Find(f) is { InOrg: false }).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private PayloadPreview? Preview
    {
        get
        {
            if (Data.Samples.Count == 0)
            {
                return null;
            }

            var builder = new MappingMessageBuilder(Input.ToMapping(Data.RevisionAfterSave(Input)), Data.Catalog.FieldTypes());
            return MappingPayload.Preview(builder, Data.Samples[Math.Min(sampleIndex, Data.Samples.Count - 1)], Library, previewNow);
        }
    }

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(loadedData, Data))
        {
            return;
        }

        loadedData = Data;
        validator = new MappingInputValidator(Data.Catalog, Data.Destination.Spaces.Select(s => s.Id).ToList());
        suggestions = MappingSuggestions.IdCandidates(Data.Catalog);
        reserved = MappingSuggestions.Reserved(Data.Catalog);
        previewNow = DateTimeOffset.UtcNow;
        errors = [];
        Refresh();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // A saved mapping opens with its problems (drift above all) already marked in red.
        if (firstRender && Input.IsSaved && form is not null)
        {
            await form.ValidateAsync();
            StateHasChanged();
        }
    }

    private IEnumerable<string> UsedFields()
    {
        string?[] ids = [Input.UserIdField, Input.AnonymousIdField, Input.Action == MappingAction.Group ? Input.GroupIdField : null, Input.TimestampField];
        return ids.Concat(Input.Traits.Where(t => !t.IsStatic).Select(t => t.Field)).Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f!);
    }

    private string SpaceLabel(Guid? id)
        => Data.Destination.Spaces.FirstOrDefault(s => s.Id == id) is { } space ? $"{space.Name} ({space.SpaceId})" : "";

    private static string FieldLabel(MappingField field)
        => field.InOrg ? $"{field.Path} · {field.Type}" : $"{field.Path} (removed from Salesforce)";

    private static string TraitPath(int index, string field) => $"{nameof(MappingInput.Traits)}[{index}].{field}";

    /// <summary>The messages for one field, from a validation of the whole input (duplicates and "one of two ids" need the rest).</summary>
    private Func<T, IEnumerable<string>> Rule<T>(string path)
        => _ =>
        {
            Refresh();
            return validator.Validate(Input).Errors.Where(e => e.PropertyName == path).Select(e => e.ErrorMessage).ToList();
        };

    private void Refresh() => warnings = [.. MappingWarnings.For(Input, Data.Catalog), .. SizeWarnings()];

    /// <summary>The largest sample's size against Segment's 32 KB per message.</summary>
    private IEnumerable<string> SizeWarnings()
    {
        if (Data.Samples.Count == 0)
        {
            yield break;
        }

        var builder = new MappingMessageBuilder(Input.ToMapping(Data.RevisionAfterSave(Input)), Data.Catalog.FieldTypes());
        var largest = Data.Samples.Select(r => MappingPayload.Preview(builder, r, Library, previewNow)).MaxBy(p => p.Bytes);
        if (largest is { Bytes: > SegmentBatcher.MaxMessageBytes })
        {
            yield return $"Record {largest.RecordId} would be {largest.Bytes:N0} bytes: Segment refuses messages over 32 KB ({SegmentBatcher.MaxMessageBytes:N0} bytes), so it would not be sent. Map fewer or shorter fields (long text areas are the usual cause).";
        }
        else if (largest is { Bytes: > 24 * 1024 })
        {
            yield return $"Record {largest.RecordId} is {largest.Bytes:N0} bytes, close to Segment's 32 KB per message.";
        }
    }

    private void SetAction(MappingAction action)
    {
        Input.Action = action;
        Refresh();
    }

    private void SetTimestamp(string choice) => Input.TimestampField = choice == SendTimeChoice ? null : choice;

    private void Pick(string which, string field)
    {
        if (which == nameof(MappingInput.UserIdField))
        {
            Input.UserIdField = field;
        }

        Refresh();
    }

    private void AddRows(IEnumerable<TraitMapping> rows)
    {
        foreach (var row in rows)
        {
            // A reserved trait replaces a row of the same name instead of clashing with it.
            Input.Traits.RemoveAll(t => string.Equals(t.Trait.Trim(), row.Trait, StringComparison.Ordinal));
            Input.Traits.Add(new TraitRowInput { Trait = row.Trait, Field = row.Field, StaticValue = row.StaticValue, IsStatic = row.Field is null });
        }

        Refresh();
    }

    private void AddAllFields() => AddRows(MappingSuggestions.AllFields(Data.Catalog, Input.Naming, Input.Traits));

    private void AddTrait() => Input.Traits.Add(new TraitRowInput());

    private void AddStatic() => Input.Traits.Add(new TraitRowInput { IsStatic = true, Trait = "source", StaticValue = "salesforce" });

    private void RemoveTrait(int index)
    {
        Input.Traits.RemoveAt(index);
        Refresh();
    }

    private async Task SaveAsync()
    {
        await form!.ValidateAsync();
        var validation = await validator.ValidateAsync(Input);
        if (!validation.IsValid)
        {
            var summary = validation.Errors.Select(e => MappingService.Describe(e.PropertyName, e.ErrorMessage)).Distinct().ToList();
            summary.Add("Nothing was saved. Fix the fields marked in red, then save again.");
            errors = summary;
            return;
        }

        saving = true;
        try
        {
            var result = await OnSave(Input);
            errors = result.Errors;
        }
        finally
        {
            saving = false;
        }
    }
}
