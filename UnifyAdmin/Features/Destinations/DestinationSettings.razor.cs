using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using UnifyAdmin.Components.Shared;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Features.Destinations;

/// <summary>A destination's page: Overview (its mappings) and Settings (Enable destination and the form, saved together; read-only for Viewers), Delete for Admins.</summary>
public sealed partial class DestinationSettings : CancellableComponentBase
{
    private DestinationDetails? details;
    private DestinationInput? input;
    private IReadOnlyList<string> blockers = [];
    private bool loaded;
    private bool isAdmin;
    private bool busy;
    private int activeTab;

    [Parameter]
    public Guid Id { get; set; }

    /// <summary><c>?tab=settings</c> opens the Settings tab (Overview otherwise).</summary>
    [SupplyParameterFromQuery]
    public string? Tab { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        isAdmin = (await ActorAsync()).IsInRole(Roles.Admin);
        activeTab = string.Equals(Tab, "settings", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        await LoadAsync();
        if (details is null)
        {
            Navigation.NotFound();
        }
    }

    private async Task LoadAsync()
    {
        details = await Destinations.GetAsync(Id, Aborted);
        input = details?.ToInput();
        blockers = details is null ? [] : await SyncControl.GetDestinationBlockersAsync(Id, Aborted);
        loaded = true;
    }

    private async Task<ClaimsPrincipal> ActorAsync() => (await AuthState.GetAuthenticationStateAsync()).User;

    private async Task<IReadOnlyList<SpaceConnectionResult>> TestAsync(DestinationInput form)
        => await Destinations.TestConnectionAsync(await ActorAsync(), form, Id, Aborted);

    private async Task<OperationResult<Guid>> UpdateAsync(DestinationInput form)
    {
        var wasEnabled = details!.Enabled;
        var result = await Destinations.UpdateAsync(await ActorAsync(), Id, form, Aborted);
        if (result.Succeeded)
        {
            Snackbar.Add(
                form.Enabled == wasEnabled ? "Destination settings saved."
                    : form.Enabled ? $"Destination settings saved: {form.Name.Trim()} is enabled."
                    : $"Destination settings saved: {form.Name.Trim()} is disabled, nothing is sent to it.",
                Severity.Success);
            await LoadAsync();

            // The form calls this as a plain delegate: the header's name and state chip need a render of their own.
            StateHasChanged();
        }

        return result;
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Delete destination",
            $"Delete \"{details!.Name}\" and its {details.Spaces.Count} profile space settings? Profiles already in Segment stay as they are. This cannot be undone.",
            yesText: "Delete",
            cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        busy = true;
        try
        {
            var result = await Destinations.DeleteAsync(await ActorAsync(), Id, Aborted);
            Report(result, $"{details.Name} was deleted.");
            if (result.Succeeded)
            {
                Navigation.NavigateTo("/destinations");
            }
        }
        finally
        {
            busy = false;
        }
    }

    private void Report(OperationResult<Guid> result, string success)
    {
        if (result.Succeeded)
        {
            Snackbar.Add(success, Severity.Success);
            return;
        }

        foreach (var error in result.Errors)
        {
            Snackbar.Add(error, Severity.Error);
        }
    }
}
