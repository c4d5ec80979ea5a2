using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using UnifyAdmin.Core.Models;

namespace UnifyAdmin.Features.Models;

/// <summary>A saved model: fields, filter, its SOQL, schema status and preview from the org now.</summary>
public sealed partial class ModelPage
{
    private readonly CancellationTokenSource disposed = new();
    private ModelDetails? details;
    private ModelEditingSession? session;
    private ModelPreview? preview;
    private ModelSchemaStatus? status;
    private string? soql;
    private bool loaded;
    private bool previewing;
    private bool busy;
    private IReadOnlyList<string> errors = [];

    [Inject]
    private ModelService Models { get; set; } = null!;

    [Inject]
    private AuthenticationStateProvider AuthState { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private IDialogService Dialogs { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Parameter]
    public Guid Id { get; set; }

    private Color StatusColor => status?.Worst switch
    {
        FieldMarkLevel.Error => Color.Error,
        FieldMarkLevel.Warning => Color.Warning,
        FieldMarkLevel.Hint => Color.Default,
        _ => Color.Success,
    };

    protected override async Task OnParametersSetAsync()
    {
        details = await Models.GetAsync(Id, disposed.Token);
        loaded = true;
        if (details is null)
        {
            return;
        }

        var (opened, error, _) = await Models.OpenSessionAsync(details.Model.SourceId, disposed.Token);
        session = opened;
        if (session is null)
        {
            errors = [error!];
            status = new ModelSchemaStatus(FieldMarkLevel.Hint, "Not checked", []);
            preview = new ModelPreview(details.Model.Fields, [], null, null, [], [error!], NeedsReconnect: true);
            return;
        }

        status = await session.SchemaStatusAsync(details.Model, revalidate: true, disposed.Token);
        try
        {
            soql = await session.SoqlAsync(details.Model, disposed.Token);
        }
        catch (Exception e) when (ModelEditingSession.Message(e, details.Model.SourceId) is { } message)
        {
            soql = message.Text;
        }

        await RefreshAsync();
    }

    private async Task RefreshAsync()
    {
        if (session is null || details is null)
        {
            return;
        }

        previewing = true;
        try
        {
            preview = await session.PreviewAsync(details.Model.Collection, details.Model.Fields, details.Model.Filter, revalidate: false, disposed.Token);
        }
        catch (OperationCanceledException)
        {
            // The page closed.
        }
        finally
        {
            previewing = false;
        }
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Delete this model?",
            $"\"{details!.Model.Name}\" will be removed. Profiles already in Segment are not changed.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        busy = true;
        try
        {
            var user = (await AuthState.GetAuthenticationStateAsync()).User;
            var result = await Models.DeleteAsync(user, Id, disposed.Token);
            errors = result.Errors;
            if (result.Succeeded)
            {
                Snackbar.Add("Model deleted.", Severity.Success);
                Navigation.NavigateTo($"/sources/{details.Model.SourceId}?tab=models");
            }
        }
        finally
        {
            busy = false;
        }
    }

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }
}
