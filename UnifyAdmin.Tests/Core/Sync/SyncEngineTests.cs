using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Sync;
using UnifyAdmin.Demo.Segment;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Sync;

/// <summary>The engine end to end against the demo org and workspace over loopback HTTP.</summary>
public sealed class SyncEngineTests(SyncHost host) : IClassFixture<SyncHost>
{
    private static Dictionary<string, object?> Update(string field, string value) => new() { [field] = value };

    [Fact]
    public async Task Initial_sync_sends_every_record_once_in_ceil_n_over_page_calls()
    {
        host.ResetDemo();
        var flow = await host.CreateFlowAsync();
        var before = host.Org.ApiCallsUsed;

        var run = await host.RunAsync(flow.Source);

        Assert.Equal(SyncRunState.Succeeded, run.State);
        Assert.Equal(SyncRunKind.Initial, run.Kind);
        Assert.Equal(SyncHost.Contacts, run.RecordsRead);
        Assert.Equal(SyncHost.Contacts, run.EstimatedRecords);
        var delivered = host.Delivered();
        Assert.Equal(SyncHost.Contacts, delivered.Select(m => m.UserId).Distinct().Count());
        Assert.Equal(SyncHost.Contacts, delivered.Count);
        // One describe, then ceil(450 / 200) = 3 pages.
        Assert.Equal(4, host.Org.ApiCallsUsed - before);
        Assert.Equal(4, run.ApiCalls);
        var mapping = await host.GetMappingAsync(flow.Mapping);
        Assert.True(mapping.InitialSyncDone);
        Assert.Equal(host.ContactId(SyncHost.Contacts - 1), mapping.CursorId);
    }

    [Fact]
    public async Task Initial_sync_with_a_historical_range_sends_only_records_modified_since()
    {
        host.ResetDemo();
        var all = await host.CreateFlowAsync();
        await host.RunAsync(all.Source);
        var modstamps = JsonSerializerRead(host.Delivered());
        var since = modstamps.Order().ElementAt(300);
        host.Segment.Reset();

        var recent = await host.CreateFlowAsync(since);
        var run = await host.RunAsync(recent.Source);

        Assert.Equal(SyncRunState.Succeeded, run.State);
        Assert.Equal(modstamps.Count(m => m >= since), host.Delivered().Count);
        Assert.InRange(host.Delivered().Count, 1, SyncHost.Contacts - 250);
    }

    [Fact]
    public async Task Incremental_sends_inserts_and_updates_and_skips_unchanged_rereads()
    {
        host.ResetDemo();
        var flow = await host.CreateFlowAsync();
        await host.RunAsync(flow.Source);
        host.Segment.Reset();

        host.Org.Update("Contact", host.ContactId(3), Update("Title", "Chief Sync Officer"));
        host.Org.Update("Contact", host.ContactId(400), Update("FirstName", "Grace"));
        var inserted = host.Org.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "Lovelace", ["Email"] = "ada@example.com" });
        var before = host.Org.ApiCallsUsed;

        var run = await host.RunAsync(flow.Source);

        Assert.Equal(SyncRunKind.Incremental, run.Kind);
        Assert.Equal(SyncRunState.Succeeded, run.State);
        var sent = host.Delivered().Select(m => m.UserId).Order().ToList();
        Assert.Equal(new[] { host.ContactId(3), host.ContactId(400), inserted }.Order(), sent);
        Assert.Contains("Grace", host.Delivered().Single(m => m.UserId == host.ContactId(400)).Json);
        // describe + one page + the deleted resource.
        Assert.InRange(host.Org.ApiCallsUsed - before, 2, 3);
    }

    [Fact]
    public async Task An_update_made_while_a_run_reads_is_sent_by_the_next_run()
    {
        host.ResetDemo();
        var flow = await host.CreateFlowAsync();
        host.Org.SetResponseDelay(TimeSpan.FromMilliseconds(300));
        var running = host.Engine.RunSourceAsync(flow.Source, SyncTrigger.Manual, CancellationToken.None);
        await Eventually.TrueAsync(async () =>
        {
            await using var db = await host.Db.CreateDbContextAsync();
            return await db.SyncRuns.AnyAsync(r => r.SourceId == flow.Source && r.RecordsRead > 0);
        }, "the run read its first page");
        host.Org.Update("Contact", host.ContactId(0), Update("Title", "Changed mid-run"));
        host.Org.SetResponseDelay(TimeSpan.Zero);
        var first = await host.GetRunAsync((await running)!.Value);
        Assert.Equal(SyncRunState.Succeeded, first.State);
        host.Segment.Reset();

        await host.RunAsync(flow.Source);

        var resent = Assert.Single(host.Delivered());
        Assert.Equal(host.ContactId(0), resent.UserId);
        Assert.Contains("Changed mid-run", resent.Json);
    }

    [Fact]
    public async Task Records_with_equal_modstamps_across_a_page_boundary_are_all_sent_once()
    {
        host.ResetDemo();
        var flow = await host.CreateFlowAsync();
        await host.RunAsync(flow.Source);
        host.Segment.Reset();
        for (var i = 0; i < 250; i++)
        {
            host.Org.Update("Contact", host.ContactId(i), Update("Department", "Same second"));
            host.Org.Update("Contact", host.ContactId(i), Update("Title", "Tied " + i));
        }

        var run = await host.RunAsync(flow.Source);
        var again = await host.RunAsync(flow.Source);

        Assert.Equal(SyncRunState.Succeeded, run.State);
        Assert.True(run.RecordsRead > 200, "the changed records span more than one page");
        Assert.Equal(250, host.Delivered().Select(m => m.UserId).Distinct().Count());
        Assert.Equal(250, host.Delivered().Count);
        Assert.Equal(0, again.Mappings.Single().Accepted);
        Assert.Equal(250, again.Mappings.Single().Unchanged);
    }

    [Fact]
    public async Task Deletes_follow_each_mappings_policy_and_mappings_on_one_collection_share_one_read()
    {
        host.ResetDemo();
        var source = await host.CreateSourceAsync();
        var destination = await host.CreateDestinationAsync();
        var model = await host.CreateModelAsync(source, "Email", "FirstName", "LastName");
        var report = await host.CreateMappingAsync(model, destination, deletes: DeletePolicy.Report);
        var ignore = await host.CreateMappingAsync(model, destination, deletes: DeletePolicy.Ignore);
        var trait = await host.CreateMappingAsync(model, destination, deletes: DeletePolicy.SendTrait);
        var before = host.Org.ApiCallsUsed;
        var initial = await host.RunAsync(source);
        Assert.Equal(4, host.Org.ApiCallsUsed - before);
        Assert.Equal(3 * SyncHost.Contacts, host.Delivered().Count);
        host.Segment.Reset();

        host.Org.SoftDelete("Contact", host.ContactId(10));
        host.Org.HardDelete("Contact", host.ContactId(11));
        var run = await host.RunAsync(source);

        Assert.Equal(SyncRunState.Succeeded, run.State);
        Assert.Equal(2, run.Mappings.Single(m => m.MappingId == report).Deleted);
        Assert.Equal(0, run.Mappings.Single(m => m.MappingId == ignore).Deleted);
        Assert.Equal(2, run.Mappings.Single(m => m.MappingId == trait).Deleted);
        var deletedTrait = Assert.Single(host.Delivered());
        Assert.Equal(host.ContactId(10), deletedTrait.UserId);
        Assert.Contains("\"salesforce_deleted\":true", deletedTrait.Json);
        Assert.Equal(SyncRunKind.Initial, initial.Kind);
    }

    [Fact]
    public async Task A_failed_record_is_retried_with_its_latest_data_and_one_that_keeps_failing_is_given_up_after_five_runs()
    {
        host.ResetDemo();
        var flow = await host.CreateFlowAsync(userIdField: "Email");
        host.Org.Update("Contact", host.ContactId(5), Update("Email", ""));
        host.Org.Update("Contact", host.ContactId(6), Update("Email", ""));

        var first = await host.RunAsync(flow.Source);
        Assert.Equal(SyncRunState.Partial, first.State);
        var errors = await host.ErrorsAsync(flow.Mapping);
        Assert.Contains(errors, e => e.RecordId == host.ContactId(5) && e.Reason.Contains("Email", StringComparison.Ordinal) && e.Attempts == 1);
        Assert.Contains(errors, e => e.RecordId == host.ContactId(6));
        Assert.Equal(errors.Count, first.Mappings.Single().Failed);
        Assert.Equal(SyncHost.Contacts - errors.Count, host.Delivered().Count);

        host.Org.Update("Contact", host.ContactId(5), Update("Email", "fixed@example.com"));
        host.Segment.Reset();
        var second = await host.RunAsync(flow.Source);
        Assert.Contains(host.Delivered(), m => m.UserId == "fixed@example.com");
        Assert.Equal(errors.Count, second.Mappings.Single().Retried);
        errors = await host.ErrorsAsync(flow.Mapping);
        Assert.Equal(RecordErrorState.Resolved, errors.Single(e => e.RecordId == host.ContactId(5)).State);

        for (var i = 0; i < 3; i++)
        {
            await host.RunAsync(flow.Source);
        }

        var stuck = (await host.ErrorsAsync(flow.Mapping)).Single(e => e.RecordId == host.ContactId(6));
        Assert.Equal(RecordErrorState.GivenUp, stuck.State);
        Assert.Equal(5, stuck.Attempts);
        var sixth = await host.RunAsync(flow.Source);
        Assert.DoesNotContain(await host.ErrorsAsync(flow.Mapping), e => e.State == RecordErrorState.Open);
        Assert.Equal(0, sixth.Mappings.Single().Retried);
    }

    private static List<DateTimeOffset> JsonSerializerRead(IReadOnlyList<SegmentDemoMessage> messages)
        => messages.Select(m => JsonDocument.Parse(m.Json).RootElement.GetProperty("timestamp").GetDateTimeOffset()).ToList();
}
