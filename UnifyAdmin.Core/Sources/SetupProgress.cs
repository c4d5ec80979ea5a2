using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Sources;

/// <summary>Where one of the five integration steps stands.</summary>
public enum SetupStepState
{
    Done,

    /// <summary>The step to take now.</summary>
    Next,

    /// <summary>Waits on an earlier step (<see cref="SetupStep.WaitsOn"/>).</summary>
    Waiting,
}

/// <summary>One step of the integration: 1 source, 2 destination, 3 model, 4 mapping, 5 enable.</summary>
public sealed record SetupStep(int Number, string Title, SetupStepState State, string Hint, string? Link, int? WaitsOn);

/// <summary>What exists of one integration (one source, or the first one when none is chosen yet).</summary>
public sealed record SetupFacts(Guid? SourceId, Guid? DestinationId, Guid? ModelId, Guid? MappingId, bool FlowEnabled);

/// <summary>The five steps of the integration and their state, for the dashboard and the source page.</summary>
public sealed class SetupProgress(IDbContextFactory<AppDbContext> contexts)
{
    /// <summary>The steps for a source (or for the installation when <paramref name="sourceId"/> is null).</summary>
    public async Task<IReadOnlyList<SetupStep>> ForAsync(Guid? sourceId, CancellationToken ct)
        => Steps(await FactsAsync(sourceId, ct));

    /// <summary>What exists: the source, a destination added from it or used by its mappings, its first model and mapping, an enabled flow.</summary>
    public async Task<SetupFacts> FactsAsync(Guid? sourceId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var source = await db.Sources.AsNoTracking()
            .Where(s => sourceId == null || s.Id == sourceId)
            .OrderBy(s => s.CreatedAt)
            .Select(s => new { s.Id, s.Enabled })
            .FirstOrDefaultAsync(ct);
        if (source is null)
        {
            var anyDestination = await db.Destinations.AsNoTracking().Select(d => (Guid?)d.Id).FirstOrDefaultAsync(ct);
            return new SetupFacts(null, anyDestination, null, null, false);
        }

        var models = db.Models.AsNoTracking().Where(m => m.SourceId == source.Id);
        var modelId = await models.OrderBy(m => m.CreatedAt).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        var mappings = db.Mappings.AsNoTracking().Where(m => models.Select(x => x.Id).Contains(m.ModelId));
        var mapping = await mappings.OrderBy(m => m.CreatedAt).Select(m => new { m.Id, m.DestinationId }).FirstOrDefaultAsync(ct);
        var destinationId = mapping?.DestinationId
            ?? await db.Destinations.AsNoTracking().Where(d => d.SourceId == source.Id).OrderBy(d => d.CreatedAt).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(ct);
        var flowEnabled = source.Enabled && await mappings.AnyAsync(m => m.Enabled && db.Destinations.Any(d => d.Id == m.DestinationId && d.Enabled), ct);
        return new SetupFacts(source.Id, destinationId, modelId, mapping?.Id, flowEnabled);
    }

    /// <summary>The rule: a step is done when its thing exists; the first step not done whose prerequisites are done is next.</summary>
    public static IReadOnlyList<SetupStep> Steps(SetupFacts facts)
    {
        var source = facts.SourceId;
        var done = new[] { source is not null, facts.DestinationId is not null, facts.ModelId is not null, facts.MappingId is not null, facts.FlowEnabled };
        // Step n waits on these steps (1-based): a model needs a source, a mapping a model and a destination, enabling a mapping.
        int[][] needs = [[], [], [1], [2, 3], [4]];
        var titles = new[] { "Add a Salesforce source", "Add a Segment Profiles destination", "Create Model", "Add mapping", "Enable destination, mapping and source" };
        var hints = new[]
        {
            "Connect the org and choose the collections and columns to sync (Selective Sync).",
            "Name it, choose the region and add the profile space's write key.",
            "Pick fields from one collection and check the live preview.",
            "Map the model to Identify or Group calls and test it with real records.",
            "Enable the destination in its Settings tab and save, switch on the mapping's Mapping Status, then enable the source; the first sync starts.",
        };
        var links = new[]
        {
            "/sources/new",
            source is { } s1 ? $"/destinations/new?sourceId={s1}" : "/destinations/new",
            source is { } s2 ? $"/sources/{s2}?tab=models" : null,
            facts.ModelId is { } model ? $"/models/{model}/add-mapping" : null,
            facts.DestinationId is { } destination ? $"/destinations/{destination}" : null,
        };

        var steps = new List<SetupStep>(5);
        var nextTaken = false;
        for (var i = 0; i < 5; i++)
        {
            if (done[i])
            {
                steps.Add(new SetupStep(i + 1, titles[i], SetupStepState.Done, hints[i], links[i], null));
                continue;
            }

            var missing = needs[i].FirstOrDefault(n => !done[n - 1]);
            if (missing == 0 && !nextTaken)
            {
                nextTaken = true;
                steps.Add(new SetupStep(i + 1, titles[i], SetupStepState.Next, hints[i], links[i], null));
            }
            else
            {
                // Waiting on an unmet prerequisite, or on the step that is next.
                var on = missing != 0 ? missing : steps.First(s => s.State == SetupStepState.Next).Number;
                steps.Add(new SetupStep(i + 1, titles[i], SetupStepState.Waiting, hints[i], null, on));
            }
        }

        return steps;
    }
}
