using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using UnifyAdmin.Core.Monitoring;

namespace UnifyAdmin.Features.Monitoring;

public sealed partial class RunDetailPage : IDisposable
{
    private readonly CancellationTokenSource disposed = new();
    private readonly HashSet<string> open = new(StringComparer.Ordinal);
    private RunDetail? detail;
    private IReadOnlyList<ErrorGroup>? groups;
    private bool loading = true;
    private bool retrying;

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    private RunDetailQueries Runs { get; set; } = null!;

    [Inject]
    private IRetryRequester Retry { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    protected override async Task OnParametersSetAsync()
    {
        loading = true;
        open.Clear();
        try
        {
            detail = await Runs.GetAsync(Id, disposed.Token);
            groups = detail?.ErrorGroups;
        }
        catch (OperationCanceledException) when (disposed.IsCancellationRequested)
        {
        }
        finally
        {
            loading = false;
        }
    }

    private void Toggle(string reason, bool expanded)
    {
        if (expanded)
        {
            open.Add(reason);
        }
    }

    private async Task RetryAsync()
    {
        retrying = true;
        try
        {
            var user = (await AuthenticationState).User;
            RetryOutcome outcome;
            using (CurrentUser.Use(ActingUser.FromPrincipal(user)))
            {
                outcome = await Retry.RequestRetryAsync(Id, disposed.Token);
            }

            Snackbar.Add(outcome.Message, outcome.Accepted ? Severity.Success : Severity.Warning);
            detail = await Runs.GetAsync(Id, disposed.Token);
        }
        finally
        {
            retrying = false;
        }
    }

    private static string Format(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    internal static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min {span.Seconds} s" : $"{span.TotalSeconds:0.#} s";

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 30 => $"{bytes / (double)(1 << 30):0.#} GB",
        >= 1 << 20 => $"{bytes / (double)(1 << 20):0.#} MB",
        >= 1 << 10 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes} B",
    };

    public void Dispose()
    {
        disposed.Cancel();
        disposed.Dispose();
    }
}
