using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using UnifyAdmin.Components.Shared;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Features.Demo;

namespace UnifyAdmin.Features.Sources;

/// <summary>Step 1 of the wizard: connect an org, then pick its Selective Sync and save the source.</summary>
public sealed partial class AddSource : CancellableComponentBase
{
    private SelectiveSyncModel selection = new();
    private SourceConnectionInput input = new();
    private SourceForm.DemoCredentials? demo;
    private ConnectAttempt? attempt;
    private bool busy;
    private string? problem;
    private IReadOnlyList<string> errors = [];

    [Inject]
    private SourceConnector Connector { get; set; } = null!;

    [Inject]
    private UnifyAdmin.Security.PublicUrlOptions PublicUrl { get; set; } = null!;

    // PublicBaseUrl wins for the callback: behind a proxy, the address the server sees may not be the public one.
    private Uri AppBase => PublicUrl.AppBase(new Uri(Navigation.BaseUri));

    [Inject]
    private SourceService Sources { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private AuthenticationStateProvider AuthState { get; set; } = null!;

    [Inject]
    private Optional<IDemoOffer> DemoOffer { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "attempt")]
    public Guid? AttemptId { get; set; }

    [SupplyParameterFromQuery(Name = "error")]
    public string? Error { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (DemoOffer.Value is { } offer)
        {
            demo = new SourceForm.DemoCredentials(offer.OrgClientId);
        }

        problem = ConnectErrors.Message(Error);
        if (AttemptId is { } id)
        {
            var user = (await AuthState.GetAuthenticationStateAsync()).User;
            attempt = Connector.Find(user, id);
            if (attempt is null)
            {
                problem ??= "This connection attempt has expired. Connect again.";
            }
            else
            {
                problem = attempt.Error;
                if (attempt.Selection is { } kept)
                {
                    selection = SelectiveSyncModel.From(kept, attempt.SelectionAllTime);
                }

                // After a failed attempt the form shows again without its secrets: they are not sent back to the browser.
                input = attempt.Draft.Clone();
                input.ClientSecret = "";
                input.JwtPrivateKeyPem = "";
            }
        }
    }

    private async Task ConnectAsync(SourceConnectionInput value)
    {
        busy = true;
        try
        {
            var user = (await AuthState.GetAuthenticationStateAsync()).User;
            var start = await Connector.StartAsync(user, value, AppBase, null, Aborted);
            if (!start.Succeeded)
            {
                problem = start.ErrorText;
            }
            else if (start.Value.AuthorizeUrl is { } url)
            {
                Navigation.NavigateTo(UnifyAdmin.Security.OAuthSessionBinding.StartUrl(start.Value.AttemptId, url), forceLoad: true);
            }
            else
            {
                Navigation.NavigateTo($"/sources/new?attempt={start.Value.AttemptId}");
            }
        }
        finally
        {
            busy = false;
        }
    }

    // The picks live with the connect attempt on the server, so a reload of this step restores them.
    private void SelectionChanged()
    {
        if (attempt is not null)
        {
            attempt.Selection = selection.ToDraft();
            attempt.SelectionAllTime = selection.AllTime;
        }

        StateHasChanged();
    }

    private Task<IReadOnlyList<CollectionInfo>> LoadCollections(CancellationToken ct) => SourceCatalog.ListCollectionsAsync(Connector.ClientFor(attempt!), ct);

    private Task<IReadOnlyList<ColumnInfo>> LoadColumns(string collection, CancellationToken ct) => SourceCatalog.ListColumnsAsync(Connector.ClientFor(attempt!), collection, ct);

    private Task<long> CountRecords(string collection, CancellationToken ct) => SourceCatalog.CountAsync(Connector.ClientFor(attempt!), collection, ct);

    private async Task SaveAsync()
    {
        if (selection.HistoricalRangeProblem is { } rangeProblem)
        {
            errors = [rangeProblem];
            return;
        }

        busy = true;
        try
        {
            var user = (await AuthState.GetAuthenticationStateAsync()).User;
            var value = selection.ToInput();

            var saved = await Sources.CreateAsync(user, attempt!, value, Aborted);
            errors = saved.Errors;
            if (saved.Succeeded)
            {
                Connector.Forget(attempt!.Id);
                Snackbar.Add($"Source \"{attempt.Draft.Name.Trim()}\" saved. It stays disabled until you enable it with its destination and mapping.", Severity.Success);
                Navigation.NavigateTo("/sources");
            }
        }
        finally
        {
            busy = false;
        }
    }
}
