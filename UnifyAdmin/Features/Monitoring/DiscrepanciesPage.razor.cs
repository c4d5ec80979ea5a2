using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using MudBlazor;
using UnifyAdmin.Core.Monitoring;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Features.Monitoring;

public sealed partial class DiscrepanciesPage : IDisposable
{
    private static readonly JsonSerializerOptions DifferenceJson = new(JsonSerializerDefaults.Web);
    private readonly CancellationTokenSource disposed = new();
    private readonly Dictionary<Guid, IReadOnlyList<DiscrepancyCheck>> histories = [];
    private readonly Dictionary<Guid, IReadOnlyList<DiscrepancySample>> samples = [];
    private IReadOnlyList<FlowSummary>? flows;
    private ActingUser? user;
    private bool isAdmin;
    private Guid? running;

    [Inject]
    private FlowStatusReader Flows { get; set; } = null!;

    [Inject]
    private DiscrepancyChecker Checker { get; set; } = null!;

    [Inject]
    private IOptions<MonitoringOptions> Options { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        var principal = (await AuthenticationState).User;
        user = ActingUser.FromPrincipal(principal);
        isAdmin = principal.IsInRole(Roles.Admin);
        try
        {
            flows = (await Flows.ReadAsync(disposed.Token)).Where(f => f.IsEnabled).ToList();
            foreach (var flow in flows)
            {
                await LoadHistoryAsync(flow.MappingId);
            }
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
    }

    private async Task LoadHistoryAsync(Guid mappingId)
    {
        var history = await Checker.HistoryAsync(mappingId, 30, disposed.Token);
        histories[mappingId] = history;
        if (history.FirstOrDefault() is { } last)
        {
            samples[last.Id] = await Checker.SamplesAsync(last.Id, disposed.Token);
        }
    }

    private async Task CheckAsync(Guid mappingId)
    {
        running = mappingId;
        try
        {
            DiscrepancyCheck check;
            using (CurrentUser.Use(user))
            {
                check = await Checker.RunAsync(mappingId, scheduled: false, disposed.Token);
            }

            Snackbar.Add(check.Problem ?? $"Checked {check.Sampled} record(s): {check.MatchPercent:0.#}% match.", check.Problem is null ? Severity.Success : Severity.Warning);
            await LoadHistoryAsync(mappingId);
        }
        catch (UnauthorizedAccessException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
        finally
        {
            running = null;
        }
    }

    private static string OutcomeText(DiscrepancyOutcome outcome) => outcome switch
    {
        DiscrepancyOutcome.Match => "match",
        DiscrepancyOutcome.Differs => "differs",
        DiscrepancyOutcome.ProfileMissing => "profile missing",
        _ => "not yet synced: changed since its last send",
    };

    /// <summary>The trait differences one per line; null when the saved text cannot be read as such (shown as it is).</summary>
    private static IReadOnlyList<TraitDifference>? DifferencesOf(DiscrepancySample sample)
    {
        if (string.IsNullOrEmpty(sample.Differences))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<TraitDifference>>(sample.Differences, DifferenceJson);
        }
        catch (JsonException)
        {
            // A very long list is cut at 8,000 characters when saved.
            return null;
        }
    }

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }
}
