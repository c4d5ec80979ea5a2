using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Core.Sync;

namespace UnifyAdmin.Tests.Core.Monitoring;

/// <summary>Seeds flows, runs and errors straight into the database, the way the sync engine will fill them.</summary>
public static class MonitoringSeed
{
    public sealed record SeededFlow(Guid SourceId, Guid ModelId, Guid DestinationId, Guid SpaceId, Guid MappingId, string SourceName);

    public static async Task<SeededFlow> FlowAsync(IServiceProvider services, string sourceName, string? accessToken = null, string? profileApiUrl = null)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var source = new Source
        {
            Id = Guid.NewGuid(), Name = sourceName, LoginHost = "https://login.salesforce.com", ClientId = "client", Enabled = true,
            OrgId = "00D000000000001", CreatedAt = now, UpdatedAt = now, Version = Guid.NewGuid(), ApiUsed = 100, ApiAllowed = 15000,
        };
        var model = new DataModel
        {
            Id = Guid.NewGuid(), SourceId = source.Id, Name = $"{sourceName} contacts", Collection = "Contact",
            Fields = ["Id", "SystemModstamp", "Email"], CreatedAt = now, UpdatedAt = now, Version = Guid.NewGuid(),
        };
        var space = new ProfileSpace
        {
            Id = Guid.NewGuid(), SpaceId = "spa_demo", Name = "Demo space", WriteKeyProtected = "x",
            AccessTokenProtected = accessToken is null ? null : services.GetRequiredService<UnifyAdmin.Core.Security.SecretProtector>().Protect(accessToken),
        };
        var destination = new Destination
        {
            Id = Guid.NewGuid(), Name = $"Segment Profiles of {sourceName}", SourceId = source.Id, Enabled = true, CreatedAt = now, UpdatedAt = now,
            Version = Guid.NewGuid(), Spaces = [space], ProfileApiUrl = profileApiUrl,
        };
        space.DestinationId = destination.Id;
        var mapping = new Mapping
        {
            Id = Guid.NewGuid(), ModelId = model.Id, DestinationId = destination.Id, ProfileSpaceId = space.Id, Action = MappingAction.Identify,
            UserIdField = "Id", Traits = [new TraitMapping("email", "Email")], Enabled = true, CreatedAt = now, UpdatedAt = now, Version = Guid.NewGuid(),
        };
        db.AddRange(source, model, destination, mapping);
        await db.SaveChangesAsync();
        return new SeededFlow(source.Id, model.Id, destination.Id, space.Id, mapping.Id, sourceName);
    }

    public static async Task<Guid> RunAsync(IServiceProvider services, SeededFlow flow, SyncRunState state, long accepted, long failed, DateTimeOffset? startedAt = null, string? reason = null)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var started = startedAt ?? DateTimeOffset.UtcNow.AddMinutes(-5);
        var run = new SyncRun
        {
            Id = Guid.NewGuid(), SourceId = flow.SourceId, Kind = SyncRunKind.Incremental, Trigger = SyncTrigger.Schedule, State = state, Reason = reason,
            StartedAt = started, FinishedAt = started.AddMinutes(2), RecordsRead = accepted + failed, ApiCalls = 7, BytesSent = 123_456,
            Mappings =
            [
                new SyncRunMapping
                {
                    Id = Guid.NewGuid(), MappingId = flow.MappingId, Kind = SyncRunKind.Incremental, State = state,
                    RecordsRead = accepted + failed, MessagesSent = accepted + failed, Accepted = accepted, Failed = failed,
                },
            ],
        };
        db.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    public static async Task ErrorsAsync(IServiceProvider services, SeededFlow flow, Guid runId, IEnumerable<(string RecordId, string Reason, string? Payload)> errors)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        foreach (var (recordId, reason, payload) in errors)
        {
            db.Add(new RecordError
            {
                MappingId = flow.MappingId, RunId = runId, RecordId = recordId, Reason = reason, PayloadSample = payload,
                FirstSeenAt = now.AddHours(-1), LastSeenAt = now, Attempts = 2, State = RecordErrorState.Open,
            });
        }

        await db.SaveChangesAsync();
    }

    /// <summary>An 18-character Contact Id.</summary>
    public static string ContactId(int n) => $"003{n:D12}AAA";
}
