using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Common;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sources;

namespace UnifyAdmin.Tests.Core.Models;

/// <summary>Saving and deleting models against the app's database and its demo org: each refusal says what to fix.</summary>
public sealed class ModelServiceTests(ModelsAppHost host) : IClassFixture<ModelsAppHost>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static ModelInput Input(Guid sourceId, string name, params string[] fields) => new()
    {
        SourceId = sourceId,
        Name = name,
        Collection = "Contact",
        Fields = [.. fields],
    };

    private Task<OperationResult<Guid>> SaveAsync(ModelInput input, ModelEditingSession? session = null)
        => host.WithModelsAsync(m => m.SaveAsync(ModelsAppHost.Admin, input, session, Cancel));

    private async Task<Guid> NewSourceAsync(IReadOnlyDictionary<string, string[]>? collections = null)
        => await host.SeedSourceAsync("Models " + Guid.NewGuid().ToString("N")[..8], collections, Cancel);

    private async Task<DataModel> LoadAsync(Guid id)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Cancel);
        return await db.Models.AsNoTracking().SingleAsync(m => m.Id == id, Cancel);
    }

    [Fact]
    public async Task Saves_fields_filter_a_schema_snapshot_and_the_collections_fields_then_lists_it_for_its_source()
    {
        var sourceId = await NewSourceAsync();
        var input = Input(sourceId, "Contacts with accounts", "email", "Account.Name", "Full_Name__c");
        input.Conditions.Add(new FilterRow { Field = "LeadSource", Operator = FilterOperator.Equals, Value = "Web" });

        var result = await SaveAsync(input);

        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        var model = await LoadAsync(result.Value);
        Assert.Equal(["Id", "SystemModstamp", "Email", "Account.Name", "Full_Name__c"], model.Fields);
        Assert.Equal(new FilterCondition("LeadSource", FilterOperator.Equals, "Web"), Assert.Single(model.Filter!.Conditions));
        Assert.Contains(new ModelFieldSnapshot("Email", "email", 80, true, false), model.SchemaSnapshot);
        Assert.Contains(model.SchemaSnapshot, s => s is { Name: "Full_Name__c", Calculated: true });
        Assert.Contains(model.SchemaSnapshot, s => s is { Name: "Account.Name", Type: "string", Nillable: false });
        // The whole collection as described, so that fields added or removed outside the model are noticed later.
        Assert.Contains("Department", model.CollectionFields);
        Assert.Contains("LeadSource", model.CollectionFields);
        var listed = Assert.Single(await host.WithModelsAsync(m => m.ListAsync(sourceId, Cancel)));
        Assert.Equal(("Contacts with accounts", 5, 0), (listed.Name, listed.FieldCount, listed.MappingCount));
    }

    [Fact]
    public async Task Refuses_a_duplicate_name_a_300_character_name_a_blank_name_and_no_field_chosen()
    {
        var sourceId = await NewSourceAsync();
        Assert.True((await SaveAsync(Input(sourceId, "Buyers", "Email"))).Succeeded);

        var duplicate = await SaveAsync(Input(sourceId, " buyers ", "LastName"));
        var tooLong = await SaveAsync(Input(sourceId, new string('n', 300), "Email"));
        var blank = await SaveAsync(Input(sourceId, "   ", "Email"));
        var noField = await SaveAsync(Input(sourceId, "Nothing", "Id", "SystemModstamp"));

        Assert.Equal("This source already has a model named \"buyers\". Choose another name.", Assert.Single(duplicate.Errors));
        Assert.Equal("A model name can have at most 100 characters; this one has 300. Shorten it.", Assert.Single(tooLong.Errors));
        Assert.Contains("Name the model", Assert.Single(blank.Errors), StringComparison.Ordinal);
        Assert.Equal("Choose at least one field besides Id and SystemModstamp.", Assert.Single(noField.Errors));
        // The same name is fine in another source.
        Assert.True((await SaveAsync(Input(await NewSourceAsync(), "Buyers", "Email"))).Succeeded);
    }

    [Fact]
    public async Task A_field_that_disappears_from_the_org_between_preview_and_save_is_named()
    {
        var field = "Loyalty_" + Guid.NewGuid().ToString("N")[..6] + "__c";
        await host.ControlAsync(HttpMethod.Post, "schema/Contact/fields", new { name = field, type = "string" });
        var sourceId = await NewSourceAsync(new Dictionary<string, string[]> { ["Contact"] = ["Email", field] });
        var session = await host.OpenSessionAsync(sourceId);
        var preview = await session.PreviewAsync("Contact", ["Email", field], null, revalidate: true, Cancel);
        Assert.Empty(preview.Errors);
        Assert.DoesNotContain(preview.Marks, m => m.Level == FieldMarkLevel.Error);

        await host.ControlAsync(HttpMethod.Delete, $"schema/Contact/fields/{field}");
        var result = await SaveAsync(Input(sourceId, "Loyal contacts", "Email", field), session);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains($"`{field}` no longer exists in Contact", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refuses_fields_outside_selective_sync_and_filters_that_do_not_compile()
    {
        var sourceId = await NewSourceAsync();
        var outside = await SaveAsync(Input(sourceId, "Outside", "Email", "MobilePhone", "Account.Website"));
        var badFilter = Input(sourceId, "Bad filter", "Email");
        badFilter.Conditions.Add(new FilterRow { Field = "Birthdate", Operator = FilterOperator.GreaterThan, Value = "13/45/2020" });
        var filtered = await SaveAsync(badFilter);

        Assert.Contains("`MobilePhone` is not in this source's Selective Sync. Add it there first, or remove it from the model.", outside.Errors);
        Assert.Contains("`Account.Website` is not in this source's Selective Sync. Add it there first, or remove it from the model.", outside.Errors);
        Assert.Equal("Filter row 1: `Birthdate` is a date; enter it as YYYY-MM-DD (got \"13/45/2020\").", Assert.Single(filtered.Errors));
    }

    [Fact]
    public async Task A_viewer_cannot_create_change_or_delete_models()
    {
        var sourceId = await NewSourceAsync();
        var saved = await SaveAsync(Input(sourceId, "Mine", "Email"));

        var create = await host.WithModelsAsync(m => m.SaveAsync(ModelsAppHost.Viewer, Input(sourceId, "Theirs", "Email"), null, Cancel));
        var edit = ModelInput.From(await LoadAsync(saved.Value));
        edit.Name = "Renamed";
        var change = await host.WithModelsAsync(m => m.SaveAsync(ModelsAppHost.Viewer, edit, null, Cancel));
        var delete = await host.WithModelsAsync(m => m.DeleteAsync(ModelsAppHost.Viewer, saved.Value, Cancel));

        Assert.Equal("Only an Admin can create or change models.", Assert.Single(create.Errors));
        Assert.Equal("Only an Admin can create or change models.", Assert.Single(change.Errors));
        Assert.Equal("Only an Admin can delete models.", Assert.Single(delete.Errors));
        Assert.Equal("Mine", (await LoadAsync(saved.Value)).Name);
        // Viewers still read models and previews.
        Assert.Single(await host.WithModelsAsync(m => m.ListAsync(sourceId, Cancel)));
    }

    [Fact]
    public async Task Delete_is_refused_while_a_mapping_uses_the_model_and_names_the_mapping()
    {
        var sourceId = await NewSourceAsync();
        var used = (await SaveAsync(Input(sourceId, "Used", "Email"))).Value;
        var unused = (await SaveAsync(Input(sourceId, "Unused", "Email"))).Value;
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Cancel))
        {
            var space = new ProfileSpace { Id = Guid.NewGuid(), SpaceId = "spa_demo", Name = "Demo space", WriteKeyProtected = "x" };
            var destination = new Destination { Id = Guid.NewGuid(), Name = "Profiles prod", Version = Guid.NewGuid(), Spaces = [space] };
            db.Destinations.Add(destination);
            db.Mappings.Add(new Mapping { Id = Guid.NewGuid(), ModelId = used, DestinationId = destination.Id, ProfileSpaceId = space.Id, Action = MappingAction.Identify, Version = Guid.NewGuid() });
            await db.SaveChangesAsync(Cancel);
        }

        var refused = await host.WithModelsAsync(m => m.DeleteAsync(ModelsAppHost.Admin, used, Cancel));
        var deleted = await host.WithModelsAsync(m => m.DeleteAsync(ModelsAppHost.Admin, unused, Cancel));

        Assert.Equal("\"Used\" is used by a mapping: Identify to Profiles prod (Demo space). Delete it first.", Assert.Single(refused.Errors));
        Assert.True(deleted.Succeeded);
        var left = await host.WithModelsAsync(m => m.ListAsync(sourceId, Cancel));
        Assert.Equal(("Used", 1), (Assert.Single(left).Name, left[0].MappingCount));
    }

    [Fact]
    public async Task Edits_keep_the_id_and_refuse_a_stale_version()
    {
        var sourceId = await NewSourceAsync();
        var id = (await SaveAsync(Input(sourceId, "Editable", "Email"))).Value;
        var first = ModelInput.From(await LoadAsync(id));
        var second = ModelInput.From(await LoadAsync(id));

        first.Fields.Add("LastName");
        Assert.True((await SaveAsync(first)).Succeeded);
        second.Name = "Stale";
        var stale = await SaveAsync(second);

        Assert.Contains("Someone else changed this model", Assert.Single(stale.Errors), StringComparison.Ordinal);
        var model = await LoadAsync(id);
        Assert.Equal(("Editable", 4), (model.Name, model.Fields.Count));
    }

    [Fact]
    public async Task A_source_that_needs_reconnecting_gets_a_message_that_asks_for_it()
    {
        var sourceId = await NewSourceAsync();
        await host.UpdateSourceAsync(sourceId, (s, _) =>
        {
            s.ConnectionState = SourceConnectionState.NeedsReconnect;
            s.ConnectionProblem = "Salesforce refused to renew the session (invalid_grant).";
        });

        var result = await SaveAsync(Input(sourceId, "Cannot check", "Email"));

        Assert.True(result.NeedsReconnect);
        Assert.Equal("This source must be reconnected before its org can be read: Salesforce refused to renew the session (invalid_grant).", Assert.Single(result.Errors));
    }
}
