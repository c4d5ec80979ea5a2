using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using UnifyAdmin.Components.Shared;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Features.Sources;

/// <summary>A source's page: its org, API usage, Enable switch, Selective Sync, reconnect and delete.</summary>
public sealed partial class SourceDetailsPage : CancellableComponentBase
{
    [Inject]
    private SourceService Sources { get; set; } = null!;

    [Inject]
    private SourceConnector Connector { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private AuthenticationStateProvider AuthState { get; set; } = null!;

    [Inject]
    private IDialogService Dialogs { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private UnifyAdmin.Security.PublicUrlOptions PublicUrl { get; set; } = null!;

    private SourceDetails? source;
    private ISalesforceClient? client;
    private SelectiveSyncModel? selection;
    private bool loading = true;
    private bool editing;
    private bool busy;
    private string? problem;
    private IReadOnlyList<string> errors = [];

    [Parameter]
    public Guid Id { get; set; }

    [SupplyParameterFromQuery(Name = "error")]
    public string? Error { get; set; }

    [SupplyParameterFromQuery(Name = "reconnected")]
    public bool Reconnected { get; set; }

    [SupplyParameterFromQuery(Name = "attempt")]
    public Guid? AttemptId { get; set; }

    /// <summary>The tab to open: <c>overview</c> (default), <c>models</c> or <c>settings</c>.</summary>
    [SupplyParameterFromQuery(Name = "tab")]
    public string? Tab { get; set; }

    private int tab;

    protected override async Task OnParametersSetAsync()
    {
        tab = Tab?.ToLowerInvariant() switch { "models" => 1, "settings" => 2, _ => 0 };

        // Only known codes and this user's own attempt: the address is anyone's to write.
        problem = ConnectErrors.Message(Error)
            ?? (AttemptId is { } attemptId ? Connector.Find(await UserAsync(), attemptId)?.Error : null);
        await LoadAsync();
        if (source is null)
        {
            Navigation.NotFound();
            return;
        }

        if (Reconnected && source is not null)
        {
            Snackbar.Add("Reconnected. Syncs can call the org again.", Severity.Success);
        }
    }

    private async Task LoadAsync()
    {
        source = await Sources.GetAsync(Id, Aborted);
        loading = false;
    }

    private string FlowLabel(SalesforceAuthFlow flow) => flow switch
    {
        SalesforceAuthFlow.WebServer => "Browser sign-in (web-server flow)",
        SalesforceAuthFlow.ClientCredentials => "Client credentials",
        _ => "JWT bearer as " + (source?.JwtUsername ?? "?"),
    };

    private async Task<ClaimsPrincipal> UserAsync() => (await AuthState.GetAuthenticationStateAsync()).User;

    private void StartEditing()
    {
        selection = SelectiveSyncModel.From(source!.Collections, source.HistoricalSince);
        client = null;
        errors = [];
        editing = true;
    }

    // One client while the picker is open, rather than reading and decrypting the source for every describe.
    private async Task<ISalesforceClient> ClientAsync()
        => client ??= await Sources.CreateClientAsync(Id, Aborted, SalesforceCallKind.Interactive) ?? throw new InvalidOperationException("This source is not connected.");

    private async Task<IReadOnlyList<CollectionInfo>> LoadCollections(CancellationToken ct) => await SourceCatalog.ListCollectionsAsync(await ClientAsync(), ct);

    private async Task<IReadOnlyList<ColumnInfo>> LoadColumns(string collection, CancellationToken ct) => await SourceCatalog.ListColumnsAsync(await ClientAsync(), collection, ct);

    private async Task<long> CountRecords(string collection, CancellationToken ct) => await SourceCatalog.CountAsync(await ClientAsync(), collection, ct);

    private async Task SaveSelectionAsync()
    {
        if (selection!.HistoricalRangeProblem is { } rangeProblem)
        {
            errors = [rangeProblem];
            return;
        }

        busy = true;
        try
        {
            var value = selection!.ToInput();
            var saved = await Sources.UpdateSelectiveSyncAsync(await UserAsync(), Id, source!.Version, value, Aborted);
            errors = saved.Errors;
            if (saved.Succeeded)
            {
                editing = false;
                Snackbar.Add("Selective Sync saved.", Severity.Success);
                await LoadAsync();
            }
        }
        finally
        {
            busy = false;
        }
    }

    private async Task ReconnectAsync()
    {
        var draft = await Sources.ReconnectDraftAsync(Id, Aborted);
        if (draft is null)
        {
            return;
        }

        busy = true;
        try
        {
            var start = await Connector.StartAsync(await UserAsync(), draft, PublicUrl.AppBase(new Uri(Navigation.BaseUri)), Id, Aborted);
            if (start.Succeeded && start.Value.AuthorizeUrl is { } url)
            {
                Navigation.NavigateTo(UnifyAdmin.Security.OAuthSessionBinding.StartUrl(start.Value.AttemptId, url), forceLoad: true);
                return;
            }

            problem = start.Succeeded ? null : start.ErrorText;
            if (start.Succeeded)
            {
                Snackbar.Add("Reconnected. Syncs can call the org again.", Severity.Success);
            }

            await LoadAsync();
        }
        finally
        {
            busy = false;
        }
    }

    private async Task DeleteAsync()
    {
        var impact = await Sources.DeletionImpactAsync(Id, Aborted);
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Delete this source?",
            DeleteConfirmation(source!.Summary.Name, impact),
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        busy = true;
        try
        {
            var deleted = await Sources.DeleteAsync(await UserAsync(), Id, Aborted);
            if (!deleted.Succeeded)
            {
                Snackbar.Add(deleted.ErrorText, Severity.Error);
                return;
            }

            if (deleted.Value.Warning is { } warning)
            {
                Snackbar.Add(warning, Severity.Warning);
            }

            Snackbar.Add("Source deleted.", Severity.Success);
            Navigation.NavigateTo("/sources");
        }
        finally
        {
            busy = false;
        }
    }

    /// <summary>What the delete takes along and what it keeps, in one paragraph for the confirmation.</summary>
    public static string DeleteConfirmation(string name, SourceDeletionImpact? impact)
    {
        var removed = impact is null || (impact.ModelCount == 0 && impact.MappingCount == 0)
            ? $"\"{name}\", its Selective Sync and its sync history will be removed"
            : $"\"{name}\", its Selective Sync, {Count(impact.ModelCount, "model")} with {Count(impact.MappingCount, "mapping")}, and its sync history will be removed";
        var kept = impact is { KeptDestinations.Count: > 0 }
            ? $" {(impact.KeptDestinations.Count == 1 ? "Destination" : "Destinations")} {string.Join(", ", impact.KeptDestinations.Select(d => $"\"{d}\""))} {(impact.KeptDestinations.Count == 1 ? "is" : "are")} kept, no longer linked to a source, with the mappings of other sources."
            : "";
        return $"{removed}, and its Salesforce token revoked.{kept} Profiles already in Segment are not changed.";
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
