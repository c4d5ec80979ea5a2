using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Features.Mappings;

/// <summary>Test send and dry run for the mapping being edited (its current, possibly unsaved, input).</summary>
public sealed partial class MappingTestPanel : IDisposable
{
    private readonly CancellationTokenSource disposed = new();
    private readonly List<SalesforceRecord> candidates = [];
    private readonly HashSet<string> picked = new(StringComparer.Ordinal);
    private MappingEditorData? loadedData;
    private string? search;
    private string? findProblem;
    private TestSendResult? result;
    private DryRunResult? dryRun;
    private DryRunProgress? dryRunProgress;
    private int dryRunSize = 20;
    private bool busy;
    private bool sending;

    [Inject]
    private MappingTestService Tests { get; set; } = null!;

    [Inject]
    private MappingService Mappings { get; set; } = null!;

    [Inject]
    private AuthenticationStateProvider AuthState { get; set; } = null!;

    [Parameter, EditorRequired]
    public required MappingEditorData Data { get; set; }

    private string SpaceLabel => Data.Destination.Spaces.FirstOrDefault(s => s.Id == Data.Input.ProfileSpaceId) is { } space
        ? $"profile space {space.Name} ({space.SpaceId})"
        : "the chosen profile space";

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(loadedData, Data))
        {
            return;
        }

        loadedData = Data;
        candidates.Clear();
        candidates.AddRange(Data.Samples);
        picked.Clear();
    }

    private static string Describe(SalesforceRecord record)
    {
        var name = record.TryGetValue("Name", out var n) && n is string text ? text
            : record.TryGetValue("Email", out var e) && e is string email ? email : null;
        return name is null ? record.Id! : $"{record.Id} · {name}";
    }

    private void Toggle(string id, bool on)
    {
        if (on && picked.Count < MappingTestService.MaxTestRecords)
        {
            picked.Add(id);
        }
        else if (!on)
        {
            picked.Remove(id);
        }
    }

    private async Task<ClaimsPrincipal> ActorAsync() => (await AuthState.GetAuthenticationStateAsync()).User;

    private async Task FindAsync()
    {
        busy = true;
        findProblem = null;
        try
        {
            var (records, problem) = await Mappings.FindRecordsAsync(Data.Model.Id, search ?? "", disposed.Token);
            findProblem = problem;
            foreach (var record in records.Where(r => !candidates.Any(c => c.Id == r.Id)))
            {
                candidates.Add(record);
            }
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
        finally
        {
            busy = false;
        }
    }

    private async Task SendAsync()
    {
        busy = true;
        sending = true;
        result = null;
        try
        {
            var ids = candidates.Where(c => picked.Contains(c.Id!)).Select(c => c.Id!).ToList();
            result = await Tests.SendTestAsync(await ActorAsync(), Data.Input, Data.RevisionAfterSave(Data.Input), ids, disposed.Token);
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
        finally
        {
            busy = false;
            sending = false;
        }
    }

    private async Task DryRunAsync()
    {
        busy = true;
        dryRun = null;
        dryRunProgress = new DryRunProgress(0, dryRunSize);
        try
        {
            var progress = new Progress<DryRunProgress>(p => InvokeAsync(() =>
            {
                dryRunProgress = p;
                StateHasChanged();
            }));
            dryRun = await Tests.DryRunAsync(await ActorAsync(), Data.Input, Data.RevisionAfterSave(Data.Input), dryRunSize, progress, disposed.Token);
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
        finally
        {
            busy = false;
            dryRunProgress = null;
        }
    }

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }
}
