using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Demo.Segment;

namespace UnifyAdmin.Tests.Core.Mappings;

/// <summary>Saving, testing and dry-running mappings against the app's demo org and workspace over loopback HTTP.</summary>
public sealed class MappingServiceTests(MappingAppHost host) : IClassFixture<MappingAppHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private sealed record Setup(Guid ModelId, DestinationDetails Destination);

    private async Task<Setup> SetupAsync(string? accessToken = "demo-access-token", string writeKey = "demo-write-key", IEnumerable<string>? fields = null)
    {
        var source = await host.CreateSourceAsync(Unique("Org"), Ct);
        var model = await host.CreateModelAsync(source, "Contacts", Ct, fields: fields);
        var destination = await host.CreateDestinationAsync(Unique("Profiles"), Ct, accessToken, writeKey);
        return new Setup(model, destination);
    }

    private static MappingInput Input(Setup setup, string? userId = "External_Key__c", params TraitRowInput[] traits) => new()
    {
        ModelId = setup.ModelId,
        DestinationId = setup.Destination.Id,
        ProfileSpaceId = setup.Destination.Spaces[0].Id,
        UserIdField = userId,
        Traits = traits.Length > 0 ? [.. traits] :
        [
            new TraitRowInput { Trait = "email", Field = "Email" },
            new TraitRowInput { Trait = "firstName", Field = "FirstName" },
            new TraitRowInput { Trait = "address.city", Field = "MailingCity" },
            new TraitRowInput { Trait = "source", IsStatic = true, StaticValue = "salesforce" },
        ],
    };

    private string Contact(string? externalKey, string email, string firstName = "Ada", string? description = null)
    {
        var fields = new Dictionary<string, object?> { ["LastName"] = "Tester", ["FirstName"] = firstName, ["Email"] = email, ["External_Key__c"] = externalKey, ["MailingCity"] = "Leeds" };
        if (description is not null)
        {
            fields["Description"] = description;
        }

        return host.Org.Insert("Contact", fields);
    }

    private Task<TestSendResult> SendAsync(MappingInput input, params string[] ids)
        => host.WithAsync((_, tests) => tests.SendTestAsync(MappingAppHost.Admin, input, 1, ids, Ct));

    [Fact]
    public async Task The_editor_opens_with_the_model_fields_as_the_org_has_them_and_sample_records()
    {
        var setup = await SetupAsync();

        var data = await host.WithAsync((m, _) => m.OpenEditorAsync(setup.Destination.Id, setup.ModelId, null, Ct));

        Assert.NotNull(data);
        Assert.Null(data.SchemaProblem);
        Assert.Equal("email", data.Catalog.Find("Email")!.Type);
        Assert.Equal("string", data.Catalog.Find("Account.Name")!.Type);
        Assert.True(data.Catalog.Find("External_Key__c")!.ExternalId);
        Assert.Equal(MappingService.SampleSize, data.Samples.Count);
        Assert.Equal("SystemModstamp", data.Input.TimestampField);
        Assert.Equal(setup.Destination.Spaces[0].Id, data.Input.ProfileSpaceId);
    }

    [Fact]
    public async Task Records_to_test_with_are_found_by_salesforce_id_or_by_name()
    {
        var setup = await SetupAsync();
        var lastName = Unique("Findable");
        var id = host.Org.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = lastName, ["FirstName"] = "Hedy", ["External_Key__c"] = Unique("ext") });

        var byId = await host.WithAsync((m, _) => m.FindRecordsAsync(setup.ModelId, id, Ct));
        var byName = await host.WithAsync((m, _) => m.FindRecordsAsync(setup.ModelId, lastName, Ct));
        var none = await host.WithAsync((m, _) => m.FindRecordsAsync(setup.ModelId, Unique("Nobody"), Ct));
        var missing = await SendAsync(Input(setup), "003ZZZZZZZZZZZZZZZ");

        Assert.Equal(id, Assert.Single(byId.Records).Id);
        Assert.Equal(id, Assert.Single(byName.Records).Id);
        Assert.Equal(MappingService.NoRecordsMessage, none.Problem);
        Assert.Equal("None of the picked records was found in Salesforce (deleted, or outside the model's filter).", missing.Summary);
    }

    [Fact]
    public async Task A_new_mapping_is_saved_with_mapping_status_disabled_and_a_change_to_what_it_sends_bumps_the_revision()
    {
        var setup = await SetupAsync();
        var input = Input(setup);

        var created = await host.WithAsync((m, _) => m.SaveAsync(MappingAppHost.Admin, input, Ct));
        var saved = await host.WithAsync((m, _) => m.GetAsync(created.Value.Id, Ct));
        var edit = MappingInput.From(saved!);
        var unchanged = await host.WithAsync((m, _) => m.SaveAsync(MappingAppHost.Admin, edit, Ct));
        edit = MappingInput.From((await host.WithAsync((m, _) => m.GetAsync(created.Value.Id, Ct)))!);
        edit.Traits.Add(new TraitRowInput { Trait = "title", Field = "Title" });
        var changed = await host.WithAsync((m, _) => m.SaveAsync(MappingAppHost.Admin, edit, Ct));
        var list = await host.WithAsync((m, _) => m.ListAsync(setup.Destination.Id, null, Ct));

        Assert.True(created.Succeeded, string.Join("; ", created.Errors));
        Assert.False(saved!.Enabled);
        Assert.Equal(1, saved.Revision);
        Assert.Equal(4, saved.Traits.Count);
        Assert.Equal(1, unchanged.Value.Revision);
        Assert.Equal(2, changed.Value.Revision);
        var row = Assert.Single(list);
        Assert.False(row.Enabled);
        Assert.Equal("Contacts", row.ModelName);
    }

    [Fact]
    public async Task Saving_refuses_a_mapping_without_ids_a_group_without_group_id_and_duplicate_traits()
    {
        var setup = await SetupAsync();
        var noId = Input(setup, userId: null);
        var group = Input(setup);
        group.Action = MappingAction.Group;
        var duplicate = Input(setup, "External_Key__c", new TraitRowInput { Trait = "email", Field = "Email" }, new TraitRowInput { Trait = "email", Field = "FirstName" });

        var results = new List<OperationResult<SavedMapping>>();
        foreach (var input in new[] { noId, group, duplicate })
        {
            results.Add(await host.WithAsync((m, _) => m.SaveAsync(MappingAppHost.Admin, input, Ct)));
        }

        Assert.Contains("You must map either a User ID or Anonymous ID field.", results[0].Errors);
        Assert.Contains(MappingInputValidator.GroupIdRequiredMessage, results[1].Errors);
        Assert.Contains("Trait 2: The trait `email` is already mapped above. Each trait name can be used once.", results[2].Errors);
        Assert.Empty(await host.WithAsync((m, _) => m.ListAsync(setup.Destination.Id, null, Ct)));
    }

    [Fact]
    public async Task A_viewer_sees_mappings_but_cannot_save_test_or_dry_run_them()
    {
        var setup = await SetupAsync();
        var input = Input(setup);
        Assert.True((await host.WithAsync((m, _) => m.SaveAsync(MappingAppHost.Admin, input, Ct))).Succeeded);
        var id = Contact(Unique("ext"), $"{Unique("viewer")}@example.com");

        var save = await host.WithAsync(async (m, _) => await m.SaveAsync(MappingAppHost.Viewer, MappingInput.From((await m.GetAsync(input.Id, Ct))!), Ct));
        var test = await host.WithAsync((_, t) => t.SendTestAsync(MappingAppHost.Viewer, input, 1, [id], Ct));
        var dry = await host.WithAsync((_, t) => t.DryRunAsync(MappingAppHost.Viewer, input, 1, 5, null, Ct));
        var delete = await host.WithAsync((m, _) => m.DeleteAsync(MappingAppHost.Viewer, input.Id, Ct));

        Assert.Equal(["Only an Admin can add or change mappings."], save.Errors);
        Assert.Equal("Only an Admin can test mappings.", test.Summary);
        Assert.Equal("Only an Admin can test mappings.", dry.Problem);
        Assert.False(delete.Succeeded);
        Assert.Single(await host.WithAsync((m, _) => m.ListAsync(setup.Destination.Id, null, Ct)));
        Assert.DoesNotContain(host.Workspace.Messages("spa_demo"), m => m.Json.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_test_delivers_the_messages_and_reads_each_profile_back_side_by_side()
    {
        var setup = await SetupAsync();
        var keys = new[] { Unique("ext"), Unique("ext"), Unique("ext") };
        var ids = keys.Select((k, i) => Contact(k, $"{k}@example.com", firstName: $"Ada{i}")).ToArray();

        var result = await SendAsync(Input(setup), ids);

        Assert.True(result.Sent);
        Assert.All(result.Records, r => Assert.True(r.Accepted, r.Error));
        Assert.Equal(ids, result.Records.Select(r => r.RecordId));
        var first = result.Records[0];
        Assert.Null(first.ReadBackProblem);
        Assert.NotNull(first.SegmentId);
        Assert.Contains($"user_id: {keys[0]}", first.Identifiers!);
        Assert.Contains(first.ReadBack!, t => t.Trait == "firstName" && t.Sent == "\"Ada0\"" && t.InProfile == "\"Ada0\"" && t.Matches);
        Assert.Contains(first.ReadBack!, t => t.Trait == "address" && t.InProfile == "{\"city\":\"Leeds\"}");
        var received = host.Workspace.Messages("spa_demo").Single(m => m.UserId == keys[1]);
        Assert.Contains("\"integrations\":{\"All\":false}", received.Json);
        Assert.True(System.Text.Json.JsonElement.DeepEquals(System.Text.Json.JsonDocument.Parse(result.Records[1].Json!).RootElement, System.Text.Json.JsonDocument.Parse(received.Json).RootElement));
    }

    [Fact]
    public async Task Identity_resolution_merges_two_records_that_share_an_email_into_one_profile()
    {
        var setup = await SetupAsync();
        var email = $"{Unique("shared")}@example.com";
        var first = Contact(null, email, firstName: "First");
        var second = Contact(null, email, firstName: "Second");
        var input = Input(setup, userId: null);
        input.AnonymousIdField = "Id";

        var result = await SendAsync(input, first, second);

        Assert.All(result.Records, r => Assert.True(r.Accepted, r.Error));
        Assert.Equal(result.Records[0].SegmentId, result.Records[1].SegmentId);
        var identifiers = result.Records[1].Identifiers!;
        Assert.Contains($"anonymous_id: {first.ToLowerInvariant()}", identifiers.Select(i => i.ToLowerInvariant()));
        Assert.Contains($"anonymous_id: {second.ToLowerInvariant()}", identifiers.Select(i => i.ToLowerInvariant()));
        Assert.Contains($"email: {email}", identifiers);
    }

    [Fact]
    public async Task Without_a_token_the_test_send_says_accepted_and_what_a_token_would_add()
    {
        var setup = await SetupAsync(accessToken: null);
        var id = Contact(Unique("ext"), $"{Unique("notoken")}@example.com");

        var result = await SendAsync(Input(setup), id);

        Assert.True(Assert.Single(result.Records).Accepted);
        Assert.Null(result.Records[0].ReadBack);
        Assert.Equal(MappingTestService.NoTokenNote, result.ReadBackNote);
    }

    [Fact]
    public async Task A_wrong_profile_api_token_fails_the_read_back_but_not_the_send()
    {
        var setup = await SetupAsync(accessToken: "not-the-demo-token");
        var id = Contact(Unique("ext"), $"{Unique("badtoken")}@example.com");

        var result = await SendAsync(Input(setup), id);

        var record = Assert.Single(result.Records);
        Assert.True(record.Accepted);
        Assert.StartsWith("Sent and accepted, but reading the profile back failed: The Profile API rejected the access token (401)", record.ReadBackProblem);
        Assert.DoesNotContain("not-the-demo-token", record.ReadBackProblem);
    }

    [Fact]
    public async Task An_empty_user_id_field_and_a_record_over_32_KB_are_per_record_failures_and_the_rest_is_sent()
    {
        var setup = await SetupAsync();
        var good = Contact(Unique("ext"), $"{Unique("good")}@example.com");
        var noKey = Contact(null, $"{Unique("nokey")}@example.com");
        var huge = Contact(Unique("ext"), $"{Unique("huge")}@example.com", description: new string('x', 31_000));
        var input = Input(setup);
        input.Traits.Add(new TraitRowInput { Trait = "description", Field = "Description" });
        input.Traits.Add(new TraitRowInput { Trait = "notes", Field = "Description" });

        var result = await SendAsync(input, good, noKey, huge);

        Assert.True(result.Records[0].Accepted);
        Assert.Equal($"User ID field `External_Key__c` is empty for {noKey}.", result.Records[1].Error);
        Assert.Contains("Segment's limit is 32,768 bytes (32 KB) per message", result.Records[2].Error);
        Assert.Equal("1 of 3 records accepted by Segment; the others show why.", result.Summary);
    }

    [Theory]
    [InlineData("429", "Segment kept answering 429 (rate limited)")]
    [InlineData("500", "Segment had a server error (5xx)")]
    [InlineData("400", "Segment refused the message as invalid (400): Segment rejected the batch (400): Injected bad request.")]
    public async Task Faults_from_segment_fail_the_test_send_with_a_reason(string kind, string expected)
    {
        var setup = await SetupAsync();
        var id = Contact(Unique("ext"), $"{Unique("fault")}@example.com");
        // As many faults as the client makes attempts: two (MaxAttempts) for 429 and 500, one for 400 (never retried).
        host.Workspace.InjectFaults(new SegmentDemoFault(kind, Count: kind == "400" ? 1 : 2, RetryAfterSeconds: 0));

        var result = await SendAsync(Input(setup), id);

        var record = Assert.Single(result.Records);
        Assert.False(record.Accepted);
        Assert.StartsWith(expected, record.Error);
        Assert.DoesNotContain(host.Workspace.Messages("spa_demo"), m => m.Json.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_single_429_is_waited_out_and_the_message_is_accepted()
    {
        var setup = await SetupAsync();
        var id = Contact(Unique("ext"), $"{Unique("retry")}@example.com");
        host.Workspace.InjectFaults(new SegmentDemoFault("429", Count: 1, RetryAfterSeconds: 0));

        var result = await SendAsync(Input(setup), id);

        Assert.True(Assert.Single(result.Records).Accepted, result.Records[0].Error);
    }

    [Fact]
    public async Task A_wrong_write_key_is_named_as_the_problem()
    {
        var setup = await SetupAsync(writeKey: "wrong-write-key");
        var id = Contact(Unique("ext"), $"{Unique("wrongkey")}@example.com");

        var result = await SendAsync(Input(setup), id);

        Assert.StartsWith("Segment rejected the write key (401)", Assert.Single(result.Records).Error);
        Assert.DoesNotContain("wrong-write-key", result.Records[0].Error);
    }

    [Fact]
    public async Task A_field_removed_from_the_org_since_the_model_was_saved_is_flagged_and_refused()
    {
        var setup = await SetupAsync(fields: [.. MappingAppHost.ContactFields, "Nickname__c"]);
        host.Org.AddField("Contact", new UnifyAdmin.Demo.Salesforce.DemoFieldDefinition("Nickname__c", "string"));
        var input = Input(setup);
        input.Traits.Add(new TraitRowInput { Trait = "nickname", Field = "Nickname__c" });
        Assert.True((await host.WithAsync((m, _) => m.SaveAsync(MappingAppHost.Admin, input, Ct))).Succeeded);
        host.Org.RemoveField("Contact", "Nickname__c");

        var data = await host.WithAsync((m, _) => m.OpenEditorAsync(setup.Destination.Id, null, input.Id, Ct));
        var save = await host.WithAsync((m, _) => m.SaveAsync(MappingAppHost.Admin, data!.Input, Ct));
        var test = await SendAsync(data!.Input, data.Samples[0].Id!);

        Assert.False(data.Catalog.Find("Nickname__c")!.InOrg);
        Assert.NotEmpty(data.Samples);
        const string drift = "Trait 5: `Nickname__c` was removed from Salesforce since the model was saved. Choose another field, or update the model.";
        Assert.Contains(drift, save.Errors);
        Assert.Contains(drift, test.Summary);
    }

    [Fact]
    public async Task A_dry_run_counts_new_changed_and_unchanged_traits_without_sending()
    {
        var setup = await SetupAsync();
        var filterKey = Unique("dry");
        var model = await host.CreateModelAsync((await SourceOf(setup.ModelId)), "Dry run contacts", Ct,
            filter: new UnifyAdmin.Core.Models.ModelFilter(UnifyAdmin.Core.Models.FilterJoin.And, [new UnifyAdmin.Core.Models.FilterCondition("LastName", UnifyAdmin.Core.Models.FilterOperator.Equals, filterKey)]));
        var keys = Enumerable.Range(0, 3).Select(_ => Unique("ext")).ToArray();
        var ids = keys.Select((k, i) => host.Org.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = filterKey, ["FirstName"] = $"Name{i}", ["Email"] = $"{k}@example.com", ["External_Key__c"] = k })).ToArray();
        var input = Input(setup);
        input.ModelId = model;
        input.Traits = [new TraitRowInput { Trait = "email", Field = "Email" }, new TraitRowInput { Trait = "firstName", Field = "FirstName" }];
        Assert.True((await SendAsync(input, ids[0], ids[1])).Records.All(r => r.Accepted));
        host.Org.Update("Contact", ids[1], new Dictionary<string, object?> { ["FirstName"] = "Renamed" });
        var before = host.Workspace.Messages("spa_demo").Count;
        var progress = new List<DryRunProgress>();

        var result = await host.WithAsync((_, t) => t.DryRunAsync(MappingAppHost.Admin, input, 1, 100, new SyncProgress(progress), Ct));

        Assert.Null(result.Problem);
        Assert.Equal(3, result.Records);
        Assert.Equal(1, result.WithoutProfile);
        var firstName = result.Traits.Single(t => t.Trait == "firstName");
        Assert.Equal((1, 1, 1), (firstName.New, firstName.Changed, firstName.Unchanged));
        Assert.Equal([ids[1]], firstName.ChangedRecords);
        Assert.Equal([ids[2]], firstName.NewRecords);
        var email = result.Traits.Single(t => t.Trait == "email");
        Assert.Equal((1, 0, 2), (email.New, email.Changed, email.Unchanged));
        Assert.Equal(before, host.Workspace.Messages("spa_demo").Count);
        Assert.Equal(new DryRunProgress(3, 3), progress[^1]);
    }

    [Fact]
    public async Task A_dry_run_waits_out_the_profile_api_429_and_needs_a_token()
    {
        var setup = await SetupAsync();
        var noToken = await SetupAsync(accessToken: null);
        host.Workspace.InjectFaults(new SegmentDemoFault("429", Count: 1, RetryAfterSeconds: 1, Target: "profiles"));

        var result = await host.WithAsync((_, t) => t.DryRunAsync(MappingAppHost.Admin, Input(setup), 1, 2, null, Ct));
        var refused = await host.WithAsync((_, t) => t.DryRunAsync(MappingAppHost.Admin, Input(noToken), 1, 2, null, Ct));

        Assert.Null(result.Problem);
        Assert.Equal(2, result.Compared);
        Assert.Empty(result.RecordErrors);
        Assert.StartsWith("A dry run compares with the profiles in Segment, which needs the space's Profile API access token.", refused.Problem);
    }

    private async Task<Guid> SourceOf(Guid modelId)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Ct);
        return await db.Models.Where(m => m.Id == modelId).Select(m => m.SourceId).SingleAsync(Ct);
    }

    /// <summary>Collects progress synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(List<DryRunProgress> list) : IProgress<DryRunProgress>
    {
        public void Report(DryRunProgress value) => list.Add(value);
    }
}
