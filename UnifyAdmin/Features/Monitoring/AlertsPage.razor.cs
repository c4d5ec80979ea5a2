using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using UnifyAdmin.Core.Monitoring;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Features.Monitoring;

public sealed partial class AlertsPage : IDisposable
{
    private readonly CancellationTokenSource disposed = new();
    private readonly TableGroupDefinition<AlertRuleView> grouping = new() { Selector = r => r.FlowTitle };
    private IReadOnlyList<AlertRuleView>? rules;
    private IReadOnlyList<WebhookSummary>? webhooks;
    private ActingUser? user;
    private bool isAdmin;
    private bool busy;
    private string newName = "";
    private string newUrl = "";
    private string? urlError;

    [Inject]
    private AlertRuleService Rules { get; set; } = null!;

    [Inject]
    private WebhookService Webhooks { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        var principal = (await AuthenticationState).User;
        user = ActingUser.FromPrincipal(principal);
        isAdmin = principal.IsInRole(Roles.Admin);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            webhooks = await Webhooks.ListAsync(disposed.Token);
            rules = await Rules.ListAsync(disposed.Token);
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
    }

    // Every change runs as the signed-in user, so the services refuse a Viewer whatever the page shows.
    private async Task<WebhookResult> AsUserAsync(Func<Task<WebhookResult>> action)
    {
        busy = true;
        try
        {
            using (CurrentUser.Use(user))
            {
                var result = await action();
                Snackbar.Add(result.Message, result.Succeeded ? Severity.Success : Severity.Error);
                return result;
            }
        }
        finally
        {
            busy = false;
        }
    }

    private async Task SaveAsync(AlertRuleView rule, bool enabled, double? threshold)
    {
        await AsUserAsync(() => Rules.SetAsync(rule.MappingId, rule.Kind, enabled, threshold, disposed.Token));
        rules = await Rules.ListAsync(disposed.Token);
    }

    private async Task AddAsync()
    {
        urlError = WebhookService.ValidateUrl(newUrl);
        if (urlError is not null)
        {
            return;
        }

        var result = await AsUserAsync(() => Webhooks.AddAsync(string.IsNullOrWhiteSpace(newName) ? "Webhook" : newName, newUrl, disposed.Token));
        if (result.Succeeded)
        {
            newName = "";
            newUrl = "";
            webhooks = await Webhooks.ListAsync(disposed.Token);
        }
    }

    private async Task TestAsync(Guid id)
    {
        await AsUserAsync(() => Webhooks.TestAsync(id, disposed.Token));
        webhooks = await Webhooks.ListAsync(disposed.Token);
    }

    private async Task RemoveAsync(Guid id)
    {
        await AsUserAsync(() => Webhooks.RemoveAsync(id, disposed.Token));
        webhooks = await Webhooks.ListAsync(disposed.Token);
    }

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }
}
