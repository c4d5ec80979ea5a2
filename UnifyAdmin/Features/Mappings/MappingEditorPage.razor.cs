using Microsoft.AspNetCore.Components;
using MudBlazor;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Features.Mappings;

/// <summary>Opens the mapping editor for a new mapping (model chosen by query or on the page) or a saved one.</summary>
public sealed partial class MappingEditorPage
{
    private readonly CancellationTokenSource disposed = new();
    private MappingEditorData? data;
    private IReadOnlyList<MappingModelInfo> models = [];
    private bool loaded;
    private bool failed;
    private bool isAdmin;

    protected override async Task OnParametersSetAsync()
    {
        isAdmin = (await AuthState.GetAuthenticationStateAsync()).User.IsInRole(Roles.Admin);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        loaded = false;
        failed = false;
        try
        {
            if (MappingId is null && ModelId is null)
            {
                models = await Mappings.ListModelsAsync(disposed.Token);
            }
            else
            {
                data = await Mappings.OpenEditorAsync(DestinationId, ModelId, MappingId, disposed.Token);
            }

            loaded = true;
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Opening the mapping editor for destination {DestinationId} failed", DestinationId);
            failed = true;
        }
    }

    private async Task<OperationResult<SavedMapping>> SaveAsync(MappingInput input)
    {
        var user = (await AuthState.GetAuthenticationStateAsync()).User;
        var result = await Mappings.SaveAsync(user, input, disposed.Token);
        if (!result.Succeeded)
        {
            return result;
        }

        if (MappingId is null)
        {
            Snackbar.Add("Mapping saved with Mapping Status disabled: nothing is sent until it is enabled.", Severity.Success);
            Navigation.NavigateTo($"/destinations/{DestinationId}/mappings/{result.Value.Id}");
        }
        else
        {
            Snackbar.Add($"Mapping saved (revision {result.Value.Revision}).", Severity.Success);
            await LoadAsync();
        }

        return result;
    }

    private async Task DeleteAsync()
    {
        var user = (await AuthState.GetAuthenticationStateAsync()).User;
        var result = await Mappings.DeleteAsync(user, data!.Input.Id, disposed.Token);
        if (result.Succeeded)
        {
            Snackbar.Add("Mapping deleted.", Severity.Success);
            Navigation.NavigateTo($"/destinations/{DestinationId}");
            return;
        }

        foreach (var error in result.Errors)
        {
            Snackbar.Add(error, Severity.Error);
        }
    }

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }
}
