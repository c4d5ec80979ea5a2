using FluentValidation;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Features.Destinations;

/// <summary>
/// Name, region, profile spaces and endpoint overrides, validated field by field with the same
/// <see cref="DestinationInputValidator"/> the service applies. Save is not called while anything is invalid.
/// </summary>
public sealed partial class DestinationForm
{
    private const string SavedHelp = "Saved. Leave blank to keep it.";

    private MudForm? form;

    [Inject]
    private IValidator<DestinationInput> Validator { get; set; } = null!;

    private IReadOnlyList<string> errors = [];
    private IReadOnlyList<SpaceConnectionResult>? testResults;
    private bool saving;
    private bool testing;

    [Parameter, EditorRequired]
    public required DestinationInput Input { get; set; }

    /// <summary>Saves the input; the result's errors are shown above the buttons.</summary>
    [Parameter, EditorRequired]
    public required Func<DestinationInput, Task<OperationResult<Guid>>> OnSave { get; set; }

    /// <summary>Tests each space's connection; no button when null.</summary>
    [Parameter]
    public Func<DestinationInput, Task<IReadOnlyList<SpaceConnectionResult>>>? OnTest { get; set; }

    /// <summary>The demo workspace, when the demo is enabled.</summary>
    [Parameter]
    public DestinationPreset? Demo { get; set; }

    [Parameter]
    public string? SourceName { get; set; }

    /// <summary>Viewers see the settings but cannot change them.</summary>
    [Parameter]
    public bool ReadOnly { get; set; }

    [Parameter]
    public string SaveLabel { get; set; } = "Save";

    /// <summary>Shows the Enable destination switch (the Settings tab; a new destination is saved disabled).</summary>
    [Parameter]
    public bool ShowEnable { get; set; }

    /// <summary>Why records would not flow yet with the destination enabled, shown under the switch while it is on.</summary>
    [Parameter]
    public IReadOnlyList<string> EnableBlockers { get; set; } = [];

    // What is saved, so the form can say that a flipped switch takes effect only with Save.
    private bool savedEnabled;

    protected override void OnInitialized() => savedEnabled = Input.Enabled;

    // Viewers cannot type a replacement, so "leave blank" is advice only for Admins.
    private string SavedHelpText => ReadOnly ? "Saved." : SavedHelp;

    private static string SpacePath(int index, string field) => $"{nameof(DestinationInput.Spaces)}[{index}].{field}";

    private static string? Masked(bool saved) => saved ? SecretProtector.Mask(true) : null;

    /// <summary>The messages for one field, from a validation of the whole input (duplicates need the other rows).</summary>
    private Func<string?, IEnumerable<string>> Rule(string path)
        => _ => Validator.Validate(Input).Errors.Where(e => e.PropertyName == path).Select(e => e.ErrorMessage).ToList();

    private void UseDemo()
    {
        Demo!.ApplyTo(Input);
        errors = [];
        testResults = null;
    }

    private void AddSpace() => Input.Spaces.Add(new ProfileSpaceInput());

    private void RemoveSpace(int index)
    {
        if (Input.Spaces.Count > 1)
        {
            Input.Spaces.RemoveAt(index);
        }
    }

    private async Task TestAsync()
    {
        testing = true;
        testResults = null;
        try
        {
            testResults = await OnTest!(Input);
        }
        finally
        {
            testing = false;
        }
    }

    private async Task SaveAsync()
    {
        await form!.ValidateAsync();
        var validation = await Validator.ValidateAsync(Input);
        if (!validation.IsValid || !form.IsValid)
        {
            // Field messages sit next to their fields; list what has no field of its own, and say where to look.
            var summary = validation.Errors.Where(e => e.PropertyName == nameof(DestinationInput.Spaces)).Select(e => e.ErrorMessage).ToList();
            summary.Add("Nothing was saved. Fix the fields marked in red, then save again.");
            errors = summary;
            return;
        }

        saving = true;
        try
        {
            var result = await OnSave(Input);
            errors = result.Errors;
        }
        finally
        {
            saving = false;
        }
    }
}
