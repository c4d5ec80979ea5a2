using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Segment;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Core.Monitoring;

/// <summary>One differing trait: what the mapping would send now and what the profile holds.</summary>
public sealed record TraitDifference(string Trait, string? Salesforce, string? Profile);

/// <summary>
/// Compares what a flow would send now with what its profiles hold: a random sample of the records
/// it has sent (across the whole collection, not just the newest), read by Id from Salesforce (one API
/// call per 200 records, counted on the check) and from the Profile API (whose 429s the client waits out).
/// </summary>
public sealed class DiscrepancyChecker(
    IDbContextFactory<AppDbContext> contexts,
    SourceService sources,
    SegmentProfileClient profiles,
    RecordTraceService traces,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<DiscrepancyChecker> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<DiscrepancyCheck> RunAsync(Guid mappingId, bool scheduled, CancellationToken ct)
    {
        if (!scheduled && !CurrentUser.Current.IsAdmin)
        {
            throw new UnauthorizedAccessException("Only an Admin can start a discrepancy check: it spends the org's API calls.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var check = new DiscrepancyCheck { Id = Guid.NewGuid(), MappingId = mappingId, StartedAt = time.GetUtcNow(), Scheduled = scheduled };
        db.Add(check);
        try
        {
            await CompareAsync(db, check, ct);
        }
        catch (SegmentProfileRateLimitedException)
        {
            check.Problem = $"The Profile API kept answering 429 (rate limited) after waiting as it asked; the check stopped after {check.Sampled} record(s). The next check will try again.";
        }
        catch (SegmentProfileAuthException)
        {
            check.Problem = "The Profile API refused the space's access token. Replace it on the destination's page.";
        }
        catch (SalesforceException ex)
        {
            check.Problem = $"Salesforce refused the read: {ex.Message}";
        }
        catch (HttpRequestException)
        {
            check.Problem = "Salesforce or the Profile API could not be reached.";
        }

        var compared = check.Matched + check.Differs + check.ProfileMissing;
        check.MatchPercent = compared == 0 ? null : 100.0 * check.Matched / compared;
        check.FinishedAt = time.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Discrepancy check of mapping {MappingId}: {Sampled} sampled, {Matched} match, {Differs} differ, {Missing} missing, {Problem}",
            mappingId, check.Sampled, check.Matched, check.Differs, check.ProfileMissing, check.Problem ?? "no problem");
        return check;
    }

    private async Task CompareAsync(AppDbContext db, DiscrepancyCheck check, CancellationToken ct)
    {
        var mapping = await db.Mappings.AsNoTracking().FirstOrDefaultAsync(m => m.Id == check.MappingId, ct)
            ?? throw new InvalidOperationException("The mapping no longer exists.");
        var model = await db.Models.AsNoTracking().FirstAsync(m => m.Id == mapping.ModelId, ct);
        var (space, problem) = await traces.ResolveSpaceAsync(db, mapping, ct);
        if (problem is not null)
        {
            check.Problem = problem;
            return;
        }

        var sample = await SampleAsync(db, mapping.Id, options.Value.DiscrepancySampleSize, ct);
        if (sample.Count == 0)
        {
            check.Problem = "Nothing to compare yet: the flow has not sent any record. Run a sync first.";
            return;
        }

        var client = await sources.CreateClientAsync(model.SourceId, ct);
        if (client is null)
        {
            check.Problem = "The source is not connected. Connect it, then check again.";
            return;
        }

        var schema = await ModelSchema.LoadAsync(client, model.Collection, model.Fields, ct);
        check.ApiCalls += 1 + schema.Parents.Count;
        var builder = new MappingMessageBuilder(mapping, schema.FieldTypes(model.Fields));
        var now = time.GetUtcNow();
        foreach (var chunk in sample.Chunk(200))
        {
            var query = schema.Query(model.Fields, null, Soql.In("Id", chunk.Select(s => (object?)s.RecordId)));
            check.ApiCalls++;
            var records = new Dictionary<string, SalesforceRecord>(StringComparer.Ordinal);
            await foreach (var record in client.QueryAsync(query, ct: ct))
            {
                if (record.Id is { } id)
                {
                    records[id] = record;
                }
            }

            foreach (var state in chunk)
            {
                if (!records.TryGetValue(state.RecordId, out var record))
                {
                    continue;
                }

                check.Sampled++;
                var sample1 = new DiscrepancySample { RecordId = state.RecordId };
                var modstamp = ModstampOf(builder.Value(record, "SystemModstamp"));
                var build = builder.Build(record, now);
                if ((modstamp is { } m && m > state.SystemModstamp) || build.Message is null)
                {
                    sample1.Outcome = DiscrepancyOutcome.NotYetSynced;
                    check.NotYetSynced++;
                }
                else
                {
                    var message = build.Message;
                    var id = message is GroupMessage g ? SegmentProfileId.Account(g.GroupId)
                        : message.UserId is { } u ? SegmentProfileId.UserId(u) : SegmentProfileId.AnonymousId(message.AnonymousId!);
                    var traits = await profiles.GetAllTraitsAsync(space!, id, ct);
                    if (traits is null)
                    {
                        sample1.Outcome = DiscrepancyOutcome.ProfileMissing;
                        check.ProfileMissing++;
                    }
                    else
                    {
                        var differences = Compare(message.Traits ?? new Dictionary<string, object?>(), traits);
                        sample1.Outcome = differences.Count == 0 ? DiscrepancyOutcome.Match : DiscrepancyOutcome.Differs;
                        if (differences.Count == 0)
                        {
                            check.Matched++;
                        }
                        else
                        {
                            check.Differs++;
                            var text = JsonSerializer.Serialize(differences.Take(20), Json);
                            sample1.Differences = text.Length > 8000 ? text[..8000] : text;
                        }
                    }
                }

                check.Samples.Add(sample1);
            }
        }
    }

    internal static List<TraitDifference> Compare(IReadOnlyDictionary<string, object?> expected, IReadOnlyDictionary<string, JsonElement> actual)
    {
        var differences = new List<TraitDifference>();
        foreach (var (name, value) in expected)
        {
            var want = JsonSerializer.SerializeToElement(value, Json);
            if (!actual.TryGetValue(name, out var have))
            {
                if (want.ValueKind != JsonValueKind.Null)
                {
                    differences.Add(new TraitDifference(name, want.GetRawText(), null));
                }

                continue;
            }

            if (!Same(want, have))
            {
                differences.Add(new TraitDifference(name, want.GetRawText(), have.GetRawText()));
            }
        }

        return differences;
    }

    private static bool Same(JsonElement a, JsonElement b)
        => a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number
            ? a.GetDecimal() == b.GetDecimal()
            : JsonElement.DeepEquals(a, b);

    private static DateTimeOffset? ModstampOf(object? value) => value switch
    {
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(d, TimeSpan.Zero),
        string s when SalesforceDateTime.TryParseDateTime(s, out var d) => d,
        _ => null,
    };

    /// <summary>
    /// A uniform random sample of the flow's records: random offsets into the primary key's order, so
    /// old and new records are equally likely and no full scan or sort by random is needed.
    /// </summary>
    private static async Task<List<Sync.RecordState>> SampleAsync(AppDbContext db, Guid mappingId, int size, CancellationToken ct)
    {
        var states = db.RecordStates.AsNoTracking().Where(s => s.MappingId == mappingId && s.State == Sync.RecordSyncState.Sent);
        var count = await states.CountAsync(ct);
        if (count <= size)
        {
            return await states.ToListAsync(ct);
        }

        var offsets = new SortedSet<int>();
        while (offsets.Count < size)
        {
            offsets.Add(Random.Shared.Next(count));
        }

        var result = new List<Sync.RecordState>(size);
        foreach (var offset in offsets)
        {
            if (await states.OrderBy(s => s.RecordId).Skip(offset).FirstOrDefaultAsync(ct) is { } state)
            {
                result.Add(state);
            }
        }

        return result;
    }

    /// <summary>The history of a flow's checks, newest first (the trend).</summary>
    public async Task<IReadOnlyList<DiscrepancyCheck>> HistoryAsync(Guid mappingId, int take, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<DiscrepancyCheck>().AsNoTracking().Where(c => c.MappingId == mappingId)
            .OrderByDescending(c => c.StartedAt).Take(take).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<DiscrepancySample>> SamplesAsync(Guid checkId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<DiscrepancySample>().AsNoTracking().Where(s => s.CheckId == checkId && s.Outcome != DiscrepancyOutcome.Match)
            .OrderBy(s => s.Outcome).ThenBy(s => s.RecordId).Take(500).ToListAsync(ct);
    }
}

/// <summary>Runs a discrepancy check of every enabled flow once per <see cref="MonitoringOptions.DiscrepancyInterval"/>.</summary>
public sealed class DiscrepancySchedule(
    IServiceProvider services,
    FlowStatusReader flows,
    IDbContextFactory<AppDbContext> contexts,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<DiscrepancySchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.DiscrepancyInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Min(15, Math.Max(1, interval.TotalMinutes / 4))), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var flow in (await flows.ReadAsync(stoppingToken)).Where(f => f.IsEnabled && f.State != FlowState.NeedsReconnect))
                {
                    await using var db = await contexts.CreateDbContextAsync(stoppingToken);
                    var last = await db.Set<DiscrepancyCheck>().Where(c => c.MappingId == flow.MappingId)
                        .OrderByDescending(c => c.StartedAt).Select(c => (DateTimeOffset?)c.StartedAt).FirstOrDefaultAsync(stoppingToken);
                    if (last is not null && time.GetUtcNow() - last < interval)
                    {
                        continue;
                    }

                    try
                    {
                        await using var scope = services.CreateAsyncScope();
                        await scope.ServiceProvider.GetRequiredService<DiscrepancyChecker>().RunAsync(flow.MappingId, scheduled: true, stoppingToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.LogWarning(ex, "Scheduled discrepancy check of mapping {MappingId} failed", flow.MappingId);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
