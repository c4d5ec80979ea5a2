using Microsoft.AspNetCore.Components;
using UnifyAdmin.Components.Shared;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Features.Sources;

/// <summary>Picks collections and their columns, read live from the org, for a source's Selective Sync.</summary>
public sealed partial class SelectiveSyncPicker : CancellableComponentBase
{
    private IReadOnlyList<CollectionInfo>? collections;
    private IReadOnlyList<ColumnInfo>? columns;
    private CollectionInfo? open;
    private string? search;
    private string? loadError;
    private bool counting;
    private readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);

    [Parameter, EditorRequired]
    public required SelectiveSyncModel Model { get; set; }

    [Parameter, EditorRequired]
    public required Func<CancellationToken, Task<IReadOnlyList<CollectionInfo>>> LoadCollections { get; set; }

    [Parameter, EditorRequired]
    public required Func<string, CancellationToken, Task<IReadOnlyList<ColumnInfo>>> LoadColumns { get; set; }

    [Parameter, EditorRequired]
    public required Func<string, CancellationToken, Task<long>> CountRecords { get; set; }

    [Parameter]
    public EventCallback OnChanged { get; set; }

    /// <summary>Turns a failure of a live call into a message for the admin.</summary>
    [Parameter]
    public Func<Exception, string> DescribeError { get; set; } = ex => ex.Message;

    protected override async Task OnInitializedAsync()
    {
        // The page is prerendered first and rendered again once the circuit is up: describe the org
        // only then, so each page load costs one describeGlobal call, not two.
        if (!RendererInfo.IsInteractive)
        {
            return;
        }

        try
        {
            collections = await LoadCollections(Aborted);
        }
        catch (OperationCanceledException) when (Aborted.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            collections = [];
            loadError = DescribeError(ex);
        }
    }

    private IEnumerable<CollectionInfo> Filtered()
        => string.IsNullOrWhiteSpace(search)
            ? collections!
            : collections!.Where(c => c.Label.Contains(search, StringComparison.OrdinalIgnoreCase) || c.Name.Contains(search, StringComparison.OrdinalIgnoreCase));

    private async Task OpenAsync(CollectionInfo collection)
    {
        open = collection;
        columns = null;
        try
        {
            columns = await LoadColumns(collection.Name, Aborted);
        }
        catch (Exception ex)
        {
            columns = [];
            loadError = DescribeError(ex);
        }
    }

    private async Task CountAsync()
    {
        if (open is null)
        {
            return;
        }

        counting = true;
        try
        {
            counts[open.Name] = await CountRecords(open.Name, Aborted);
        }
        catch (Exception ex)
        {
            loadError = DescribeError(ex);
        }
        finally
        {
            counting = false;
        }
    }

    private Task Toggle(ColumnInfo column, bool on)
    {
        Model.SetColumn(open!, column.Name, on);
        return OnChanged.InvokeAsync();
    }

    private Task SelectAll()
    {
        Model.SetAll(open!, columns?.Select(c => c.Name) ?? []);
        return OnChanged.InvokeAsync();
    }

    private Task SelectNone()
    {
        Model.Remove(open!.Name);
        return OnChanged.InvokeAsync();
    }
}
