using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Core.Mappings;

/// <summary>One trait of a record: the value sent next to the value the profile holds (raw JSON), for the side-by-side view.</summary>
public sealed record TraitComparison(string Trait, string? Sent, string? InProfile, bool Matches);

/// <summary>What happened to one record of a test send.</summary>
/// <param name="Error">Why the record was not sent or not accepted, in words an admin can act on.</param>
/// <param name="ReadBack">Traits sent against the profile's; null when nothing was read back.</param>
public sealed record TestSendRecord(
    string RecordId,
    bool Accepted,
    string? Error,
    string? Json,
    IReadOnlyList<TraitComparison>? ReadBack,
    string? SegmentId,
    IReadOnlyList<string>? Identifiers,
    string? ReadBackProblem);

/// <summary>The outcome of "Send test": per record, and what reading the profiles back showed.</summary>
/// <param name="ReadBackNote">Without a Profile API token: what a token would add.</param>
public sealed record TestSendResult(bool Sent, string Summary, IReadOnlyList<TestSendRecord> Records, string? ReadBackNote);

/// <summary>Progress of a dry run: records compared so far out of the total.</summary>
public sealed record DryRunProgress(int Done, int Total);

/// <summary>One trait across the records of a dry run: how many would be new, changed or unchanged, and which records.</summary>
public sealed record TraitDiff(string Trait, int New, int Changed, int Unchanged, IReadOnlyList<string> NewRecords, IReadOnlyList<string> ChangedRecords);

/// <summary>The outcome of a dry run: nothing was sent.</summary>
/// <param name="Problem">Why the dry run could not run at all, or null.</param>
public sealed record DryRunResult(int Records, int Compared, int WithoutProfile, IReadOnlyList<TraitDiff> Traits, IReadOnlyList<string> RecordErrors, string? Problem);

/// <summary>
/// Tests a mapping with real records: the test send builds messages exactly as the sync does and
/// really sends them to the profile space, then reads the profiles back; the dry run sends nothing
/// and compares what would be sent with the profiles now. Admin-only: both use the space's secrets.
/// </summary>
public sealed class MappingTestService(
    IDbContextFactory<AppDbContext> contexts,
    MappingService mappings,
    SecretProtector secrets,
    SegmentTrackingClient tracking,
    SegmentProfileClient profiles,
    TimeProvider clock,
    ILogger<MappingTestService> logger)
{
    public const int MaxTestRecords = 5;
    public const int MaxDryRunRecords = 100;
    public const string NoTokenNote = "Accepted by Segment. With a Profile API access token on this space, the test would also read each profile back and show its traits next to the ones sent, its segment_id and its identifiers. Add the token on the destination's Settings tab.";

    /// <summary>The library the Segment client writes into every message (for the payload preview).</summary>
    public SegmentLibrary Library => tracking.Library;

    /// <summary>Really sends the messages of up to <see cref="MaxTestRecords"/> records (by Salesforce Id) to the mapping's space, then reads the profiles back.</summary>
    public async Task<TestSendResult> SendTestAsync(ClaimsPrincipal actor, MappingInput input, int revision, IReadOnlyList<string> recordIds, CancellationToken ct)
    {
        if (!actor.IsInRole(Roles.Admin))
        {
            return Refused("Only an Admin can test mappings.");
        }

        if (recordIds.Count == 0)
        {
            return Refused("Pick at least one record to test with.");
        }

        if (recordIds.Count > MaxTestRecords)
        {
            return Refused($"Test with at most {MaxTestRecords} records.");
        }

        var target = await TargetAsync(input, ct);
        if (target.Problem is { } targetProblem)
        {
            return Refused(targetProblem);
        }

        var (_, live, records, problem) = await mappings.ReadRecordsAsync(input.ModelId, recordIds, recordIds.Count, ct);
        var validation = new MappingInputValidator(live.Catalog, [target.Space!.Id]).Validate(input);
        if (!validation.IsValid)
        {
            return Refused("Fix the mapping first: " + string.Join(" ", validation.Errors.Select(e => MappingService.Describe(e.PropertyName, e.ErrorMessage)).Distinct()));
        }

        if (records.Count == 0)
        {
            return Refused(problem is null or MappingService.NoRecordsMessage
                ? "None of the picked records was found in Salesforce (deleted, or outside the model's filter)."
                : problem);
        }

        var builder = new MappingMessageBuilder(input.ToMapping(revision), live.Catalog.FieldTypes());
        var now = clock.GetUtcNow();
        var results = new Dictionary<string, TestSendRecord>(StringComparer.Ordinal);
        var messages = new List<SegmentMessage>();
        var payloads = new Dictionary<string, PayloadPreview>(StringComparer.Ordinal);
        foreach (var id in recordIds.Where(id => !records.Any(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase))))
        {
            results[id] = new TestSendRecord(id, false, $"{id} was not found in Salesforce (deleted, or outside the model's filter).", null, null, null, null, null);
        }

        foreach (var record in records)
        {
            var build = builder.Build(record, now);
            if (build.Message is not { } message)
            {
                results[record.Id!] = new TestSendRecord(record.Id!, false, build.Error, null, null, null, null, null);
                continue;
            }

            var payload = MappingPayload.Serialize(message, tracking.Library);
            payloads[record.Id!] = payload;
            if (payload.Error is not null)
            {
                results[record.Id!] = new TestSendRecord(record.Id!, false, payload.Error, null, null, null, null, null);
                continue;
            }

            messages.Add(message);
        }

        if (messages.Count > 0)
        {
            var sent = await tracking.SendAsync(target.Endpoints!.Tracking, target.WriteKey!, messages, ct);
            var failures = sent.Failed.ToDictionary(f => f.MessageId, f => f.Reason, StringComparer.Ordinal);
            foreach (var message in messages)
            {
                var recordId = message.RecordKey!;
                var json = payloads[recordId].Json;
                results[recordId] = failures.TryGetValue(message.MessageId, out var reason)
                    ? new TestSendRecord(recordId, false, Explain(reason), json, null, null, null, null)
                    : new TestSendRecord(recordId, true, null, json, null, null, null, null);
            }

            logger.LogInformation("Test send of mapping {MappingId}: {Accepted} accepted, {Failed} failed", input.Id, sent.Accepted.Count, sent.Failed.Count);
        }

        string? note = null;
        var accepted = messages.Where(m => results[m.RecordKey!].Accepted).ToList();
        if (accepted.Count > 0)
        {
            if (target.AccessToken is null)
            {
                note = NoTokenNote;
            }
            else
            {
                var space = new SegmentProfileSpace(target.Endpoints!.Profiles, target.Space.SpaceId, target.AccessToken);
                foreach (var message in accepted)
                {
                    results[message.RecordKey!] = await ReadBackAsync(space, message, results[message.RecordKey!], ct);
                }
            }
        }

        var ordered = recordIds.Select(id => results.GetValueOrDefault(id) ?? results.Values.First(r => string.Equals(r.RecordId, id, StringComparison.OrdinalIgnoreCase))).ToList();
        var acceptedCount = ordered.Count(r => r.Accepted);
        var summary = acceptedCount == ordered.Count
            ? $"Sent {acceptedCount} {Plural(acceptedCount, "message")} to {target.Space.Name} ({target.Space.SpaceId}); Segment accepted {(acceptedCount == 1 ? "it" : "all")}."
            : $"{acceptedCount} of {ordered.Count} {Plural(ordered.Count, "record")} accepted by Segment; the others show why.";
        return new TestSendResult(messages.Count > 0, summary, ordered, note);
    }

    /// <summary>
    /// Compares, for up to <see cref="MaxDryRunRecords"/> records, the traits the mapping would send with
    /// the profiles now, without sending anything. Waits out the Profile API's 429s.
    /// </summary>
    public async Task<DryRunResult> DryRunAsync(ClaimsPrincipal actor, MappingInput input, int revision, int limit, IProgress<DryRunProgress>? progress, CancellationToken ct)
    {
        if (!actor.IsInRole(Roles.Admin))
        {
            return DryRunRefused("Only an Admin can test mappings.");
        }

        limit = Math.Clamp(limit, 1, MaxDryRunRecords);
        var target = await TargetAsync(input, ct);
        if (target.Problem is { } targetProblem)
        {
            return DryRunRefused(targetProblem);
        }

        if (target.AccessToken is null)
        {
            return DryRunRefused("A dry run compares with the profiles in Segment, which needs the space's Profile API access token. Add it on the destination's Settings tab.");
        }

        var (_, live, records, problem) = await mappings.ReadRecordsAsync(input.ModelId, null, limit, ct);
        var validation = new MappingInputValidator(live.Catalog, [target.Space!.Id]).Validate(input);
        if (!validation.IsValid)
        {
            return DryRunRefused("Fix the mapping first: " + string.Join(" ", validation.Errors.Select(e => MappingService.Describe(e.PropertyName, e.ErrorMessage)).Distinct()));
        }

        if (records.Count == 0)
        {
            return DryRunRefused(problem ?? "The model has no records.");
        }

        var builder = new MappingMessageBuilder(input.ToMapping(revision), live.Catalog.FieldTypes());
        var space = new SegmentProfileSpace(target.Endpoints!.Profiles, target.Space.SpaceId, target.AccessToken);
        var diffs = new Dictionary<string, (int New, int Changed, int Unchanged, List<string> NewRecords, List<string> ChangedRecords)>(StringComparer.Ordinal);
        var errors = new List<string>();
        var compared = 0;
        var withoutProfile = 0;
        var now = clock.GetUtcNow();
        progress?.Report(new DryRunProgress(0, records.Count));
        for (var i = 0; i < records.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var record = records[i];
            var build = builder.Build(record, now);
            if (build.Message is not { } message)
            {
                errors.Add(build.Error!);
                progress?.Report(new DryRunProgress(i + 1, records.Count));
                continue;
            }

            var payload = MappingPayload.Serialize(message, tracking.Library);
            if (payload.Json is null)
            {
                errors.Add($"{record.Id}: {payload.Error}");
                progress?.Report(new DryRunProgress(i + 1, records.Count));
                continue;
            }

            IReadOnlyDictionary<string, JsonElement>? current;
            try
            {
                current = await ReadTraitsAsync(space, message, ct);
            }
            catch (SegmentProfileAuthException ex)
            {
                return new DryRunResult(records.Count, compared, withoutProfile, [], errors, ex.Message);
            }
            catch (SegmentProfileApiException ex)
            {
                errors.Add($"{record.Id}: not compared: {ex.Message}");
                progress?.Report(new DryRunProgress(i + 1, records.Count));
                continue;
            }

            compared++;
            if (current is null)
            {
                withoutProfile++;
            }

            foreach (var (trait, sent) in SentTraits(payload.Json))
            {
                if (!diffs.TryGetValue(trait, out var diff))
                {
                    diff = (0, 0, 0, [], []);
                }

                if (current is null || !current.TryGetValue(trait, out var existing))
                {
                    diff.New++;
                    diff.NewRecords.Add(record.Id!);
                }
                else if (JsonElement.DeepEquals(existing, sent))
                {
                    diff.Unchanged++;
                }
                else
                {
                    diff.Changed++;
                    diff.ChangedRecords.Add(record.Id!);
                }

                diffs[trait] = diff;
            }

            progress?.Report(new DryRunProgress(i + 1, records.Count));
        }

        var traits = diffs.Select(d => new TraitDiff(d.Key, d.Value.New, d.Value.Changed, d.Value.Unchanged, d.Value.NewRecords, d.Value.ChangedRecords))
            .OrderByDescending(d => d.New + d.Changed).ThenBy(d => d.Trait, StringComparer.Ordinal).ToList();
        return new DryRunResult(records.Count, compared, withoutProfile, traits, errors, null);
    }

    private async Task<TestSendRecord> ReadBackAsync(SegmentProfileSpace space, SegmentMessage message, TestSendRecord sent, CancellationToken ct)
    {
        try
        {
            var id = ProfileId(message);
            var traits = await ReadTraitsAsync(space, message, ct);
            if (traits is null)
            {
                return sent with { ReadBackProblem = $"No profile with {id} yet. Segment can take a moment to process a message; send the test again to check." };
            }

            var identifiers = message is GroupMessage ? null : await profiles.GetAllExternalIdsAsync(space, id, ct);
            var metadata = message is GroupMessage ? null : await profiles.GetMetadataAsync(space, id, ct);
            var comparisons = SentTraits(sent.Json!)
                .Select(t => traits.TryGetValue(t.Trait, out var inProfile)
                    ? new TraitComparison(t.Trait, t.Value.GetRawText(), inProfile.GetRawText(), JsonElement.DeepEquals(t.Value, inProfile))
                    : new TraitComparison(t.Trait, t.Value.GetRawText(), null, false))
                .ToList();
            return sent with
            {
                ReadBack = comparisons,
                SegmentId = metadata?.SegmentId,
                Identifiers = identifiers?.Select(i => $"{i.Type}: {i.Id}").ToList(),
            };
        }
        catch (SegmentProfileAuthException ex)
        {
            return sent with { ReadBackProblem = "Sent and accepted, but reading the profile back failed: " + ex.Message };
        }
        catch (Exception ex) when (ex is SegmentProfileApiException or HttpRequestException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return sent with { ReadBackProblem = "Sent and accepted, but reading the profile back failed: " + ex.Message };
        }
    }

    /// <summary>The profile's traits, waiting a little for a profile that a message just created (Segment processes asynchronously).</summary>
    private async Task<IReadOnlyDictionary<string, JsonElement>?> ReadTraitsAsync(SegmentProfileSpace space, SegmentMessage message, CancellationToken ct)
        => await profiles.GetAllTraitsAsync(space, ProfileId(message), ct);

    private static SegmentProfileId ProfileId(SegmentMessage message) => message switch
    {
        GroupMessage group => SegmentProfileId.Account(group.GroupId),
        _ when !string.IsNullOrEmpty(message.UserId) => SegmentProfileId.UserId(message.UserId),
        _ => SegmentProfileId.AnonymousId(message.AnonymousId!),
    };

    /// <summary>The top-level traits of a serialized message.</summary>
    private static List<(string Trait, JsonElement Value)> SentTraits(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("traits").EnumerateObject().Select(p => (p.Name, p.Value.Clone())).ToList();
    }

    /// <summary>The client's reasons, in the words of a test send.</summary>
    private static string Explain(string reason)
    {
        if (reason.Contains("write key", StringComparison.OrdinalIgnoreCase))
        {
            return "Segment rejected the write key (401): copy the write key of the space's internal source again on the destination's Settings tab.";
        }

        if (reason.Contains("(429)", StringComparison.Ordinal))
        {
            return $"Segment kept answering 429 (rate limited), so the message was not delivered: {reason} Try again in a minute.";
        }

        if (reason.Contains("answered 5", StringComparison.Ordinal) || reason.Contains(" 50", StringComparison.Ordinal))
        {
            return $"Segment had a server error (5xx) and did not accept the message: {reason} Try again later.";
        }

        if (reason.Contains("(400)", StringComparison.Ordinal))
        {
            return $"Segment refused the message as invalid (400): {reason}";
        }

        return reason;
    }

    private async Task<Target> TargetAsync(MappingInput input, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var destination = await db.Destinations.AsNoTracking().Include(d => d.Spaces).FirstOrDefaultAsync(d => d.Id == input.DestinationId, ct);
        if (destination is null)
        {
            return new Target(DestinationService.NotFoundMessage, null, null, null, null);
        }

        var space = destination.Spaces.FirstOrDefault(s => s.Id == input.ProfileSpaceId);
        if (space is null)
        {
            return new Target(MappingInputValidator.SpaceRequiredMessage, null, null, null, null);
        }

        var endpoints = SegmentEndpoints.For(
            destination.Region,
            destination.TrackingApiUrl is { } tracking ? new Uri(tracking) : null,
            destination.ProfileApiUrl is { } profile ? new Uri(profile) : null);
        try
        {
            return new Target(null, space, endpoints, secrets.Unprotect(space.WriteKeyProtected), secrets.Unprotect(space.AccessTokenProtected));
        }
        catch (InvalidOperationException ex)
        {
            return new Target(ex.Message, null, null, null, null);
        }
    }

    private static TestSendResult Refused(string message) => new(false, message, [], null);

    private static DryRunResult DryRunRefused(string message) => new(0, 0, 0, [], [], message);

    private static string Plural(int count, string word) => count == 1 ? word : word + "s";

    private sealed record Target(string? Problem, ProfileSpace? Space, SegmentEndpoints? Endpoints, string? WriteKey, string? AccessToken)
    {
        // Carries secrets: keep them out of anything that prints records.
        public override string ToString() => $"Target {{ Space = {Space?.SpaceId} }}";
    }
}
