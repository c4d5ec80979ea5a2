using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using UnifyAdmin.Components.Shared;
using UnifyAdmin.Core.Models;

namespace UnifyAdmin.Features.Models;

/// <summary>The model wizard. Previews refresh by themselves, debounced, once the preview step has been opened.</summary>
public sealed partial class ModelEditor
{
    private const int PreviewStep = 3;
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(350);

    private readonly CancellationTokenSource disposed = new();
    private readonly Func<object, string, Task<IEnumerable<string>>> validation = MudValidation.For(new ModelInputValidator());
    private CancellationTokenSource? pending;
    private ModelEditingSession? session;
    private IReadOnlyList<ModelFieldOption>? options;
    private ModelPreview? preview;
    private MudForm? form;
    private string? openError;
    private bool needsReconnect;
    private bool previewing;
    private bool previewOpened;
    private bool saving;
    private int step;
    private IReadOnlyList<string> saveErrors = [];
    private IReadOnlyList<string> stepErrors = [];

    [Inject]
    private ModelService Models { get; set; } = null!;

    [Inject]
    private AuthenticationStateProvider AuthState { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Parameter, EditorRequired]
    public required ModelInput Input { get; set; }

    [Parameter]
    public bool IsEdit { get; set; }

    private string ReconnectHref => $"/sources/{Input.SourceId}?tab=settings";

    /// <summary>Fields a condition can test: every offered field, not only the chosen ones.</summary>
    private IReadOnlyList<ModelFieldOption> FilterFields => options ?? [];

    private IReadOnlyList<string> FilterErrors => preview is { MatchingRows: null, Errors.Count: > 0 } p && Input.Conditions.Count > 0 && !p.NeedsReconnect ? p.Errors : [];

    protected override async Task OnInitializedAsync()
    {
        var (opened, error, reconnect) = await Models.OpenSessionAsync(Input.SourceId, disposed.Token);
        session = opened;
        openError = error;
        needsReconnect = reconnect;
        if (session is not null && !string.IsNullOrEmpty(Input.Collection))
        {
            await LoadOptionsAsync();
        }
    }

    private async Task LoadOptionsAsync()
    {
        options = null;
        try
        {
            options = await session!.FieldOptionsAsync(Input.Collection, disposed.Token);
        }
        catch (Exception e) when (ModelEditingSession.Message(e, Input.SourceId) is { } message)
        {
            options = [];
            stepErrors = [message.Text];
            needsReconnect = message.NeedsReconnect;
        }
    }

    private async Task ChooseCollectionAsync(string collection)
    {
        Input.Collection = collection;
        Input.Fields.Clear();
        Input.Conditions.Clear();
        preview = null;
        stepErrors = [];
        await LoadOptionsAsync();
    }

    private async Task OnStepAsync(StepperInteractionEventArgs args)
    {
        // Forward moves need the earlier steps done; going back is always allowed.
        if (args.Action is StepAction.Complete or StepAction.Activate && args.StepIndex >= step)
        {
            var target = args.Action == StepAction.Complete ? args.StepIndex + 1 : args.StepIndex;
            stepErrors = Blockers(target);
            if (stepErrors.Count > 0)
            {
                args.Cancel = true;
                StateHasChanged(); // the stepper calls this as a plain delegate, so nothing re-renders the editor by itself
                return;
            }

            if (target == PreviewStep || (target > PreviewStep && !previewOpened))
            {
                previewOpened = true;
                _ = RefreshAsync(revalidate: true);
            }
        }
        else
        {
            stepErrors = [];
        }

        StateHasChanged();
        await Task.CompletedTask;
    }

    private List<string> Blockers(int target)
    {
        var errors = new List<string>();
        if (target >= 1 && string.IsNullOrEmpty(Input.Collection))
        {
            errors.Add("Choose the collection the model reads.");
        }
        else if (target >= 2 && !Input.Fields.Any(f => !Core.Sources.SelectiveSync.AlwaysIncluded.Contains(f)))
        {
            errors.Add("Choose at least one field besides Id and SystemModstamp.");
        }

        return errors;
    }

    private Task ChangedAsync()
    {
        stepErrors = [];
        if (!previewOpened)
        {
            return Task.CompletedTask;
        }

        pending?.Cancel();
        pending?.Dispose();
        pending = CancellationTokenSource.CreateLinkedTokenSource(disposed.Token);
        var token = pending.Token;
        return DebouncedAsync(token);
    }

    private async Task DebouncedAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(Debounce, token);
            await RunPreviewAsync(revalidate: false, token);
        }
        catch (OperationCanceledException)
        {
            // A newer change replaced this refresh, or the page closed.
        }
    }

    private async Task RefreshAsync(bool revalidate)
    {
        pending?.Cancel();
        pending?.Dispose();
        pending = CancellationTokenSource.CreateLinkedTokenSource(disposed.Token);
        try
        {
            await RunPreviewAsync(revalidate, pending.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunPreviewAsync(bool revalidate, CancellationToken token)
    {
        if (session is null || string.IsNullOrEmpty(Input.Collection))
        {
            return;
        }

        previewing = true;
        await InvokeAsync(StateHasChanged);
        try
        {
            var result = await session.PreviewAsync(Input.Collection, Input.NormalizedFields(), Input.ToFilter(), revalidate, token);
            token.ThrowIfCancellationRequested();
            preview = result;
        }
        finally
        {
            previewing = false;
            if (!disposed.IsCancellationRequested)
            {
                await InvokeAsync(StateHasChanged);
            }
        }
    }

    private async Task SaveAsync()
    {
        await form!.ValidateAsync();
        if (!form.IsValid)
        {
            return;
        }

        saving = true;
        try
        {
            var user = (await AuthState.GetAuthenticationStateAsync()).User;
            var result = await Models.SaveAsync(user, Input, session, disposed.Token);
            saveErrors = result.Errors;
            needsReconnect = result.NeedsReconnect;
            if (result.Succeeded)
            {
                Snackbar.Add($"Model \"{Input.Name.Trim()}\" saved.", Severity.Success);
                Navigation.NavigateTo($"/models/{result.Value}");
            }
        }
        finally
        {
            saving = false;
        }
    }

    public void Dispose()
    {
        disposed.Cancel();
        pending?.Dispose();
        disposed.Dispose();
    }
}
