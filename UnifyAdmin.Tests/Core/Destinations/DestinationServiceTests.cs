using System.Security.Claims;
using System.Text;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Segment;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Destinations;

/// <summary>The destination service against the real app: its SQLite database and its demo Segment workspace over loopback.</summary>
public sealed class DestinationServiceTests(VerboseLogAppHost host) : IClassFixture<VerboseLogAppHost>
{
    private const string WriteKey = "demo-write-key";
    private const string AccessToken = "demo-access-token";

    private static readonly ClaimsPrincipal Admin = Principal(Roles.Admin);
    private static readonly ClaimsPrincipal Viewer = Principal(Roles.Viewer);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static ClaimsPrincipal Principal(string role)
        => new(new ClaimsIdentity([new Claim(ClaimTypes.Role, role), new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString())], "test"));

    private static string UniqueName(string prefix) => $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private DestinationInput DemoInput(string name, string? accessToken = AccessToken, string writeKey = WriteKey) => new()
    {
        Name = name,
        Region = SegmentRegion.Us,
        TrackingApiUrl = host.Url("demo/segment"),
        ProfileApiUrl = host.Url("demo/segment-profiles"),
        Spaces = [new ProfileSpaceInput { SpaceId = "spa_demo", Name = "Demo space", WriteKey = writeKey, AccessToken = accessToken }],
    };

    private async Task<T> WithAsync<T>(Func<DestinationService, Task<T>> action)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<DestinationService>());
    }

    private async Task<Guid> CreateAsync(DestinationInput input)
    {
        var result = await WithAsync(s => s.CreateAsync(Admin, input, Cancel));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return result.Value;
    }

    private async Task<Destination> LoadEntityAsync(Guid id)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Cancel);
        return await db.Destinations.AsNoTracking().Include(d => d.Spaces).SingleAsync(d => d.Id == id, Cancel);
    }

    private async Task<int> CountAsync()
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Cancel);
        return await db.Destinations.CountAsync(Cancel);
    }

    /// <summary>Every column of every row of a table, as the database holds it.</summary>
    private async Task<string> RawTableAsync(string table)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Cancel);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        var text = new StringBuilder();
        while (await reader.ReadAsync(Cancel))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(reader.GetValue(i)).Append('|');
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    [Fact]
    public async Task A_free_name_is_the_name_itself_until_taken_then_numbered_ignoring_case()
    {
        var name = UniqueName("Demo workspace");
        Assert.Equal(name, await WithAsync(s => s.FreeNameAsync(name, Cancel)));

        await CreateAsync(DemoInput(name.ToUpperInvariant()));

        Assert.Equal(name + " 2", await WithAsync(s => s.FreeNameAsync(name, Cancel)));
    }

    [Fact]
    public async Task A_new_destination_is_saved_disabled_with_its_spaces()
    {
        var name = UniqueName("Disabled");

        var id = await CreateAsync(DemoInput(name));

        var details = await WithAsync(s => s.GetAsync(id, Cancel));
        Assert.NotNull(details);
        Assert.False(details.Enabled);
        Assert.Equal(name, details.Name);
        Assert.Equal(SegmentRegion.Us, details.Region);
        Assert.Equal(host.Url("demo/segment"), details.TrackingApiUrl);
        var space = Assert.Single(details.Spaces);
        Assert.Equal("spa_demo", space.SpaceId);
        var row = Assert.Single((await WithAsync(s => s.ListAsync(Cancel))), r => r.Id == id);
        Assert.Equal(1, row.SpaceCount);
        Assert.False(row.Enabled);
    }

    [Fact]
    public async Task Write_keys_and_access_tokens_are_encrypted_at_rest()
    {
        var id = await CreateAsync(DemoInput(UniqueName("Encrypted"), accessToken: "at-rest-token-5f1c", writeKey: "at-rest-write-key-9d2e"));

        var raw = await RawTableAsync("ProfileSpaces");
        Assert.Contains(id.ToString(), raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("at-rest-write-key-9d2e", raw);
        Assert.DoesNotContain("at-rest-token-5f1c", raw);
        Assert.DoesNotContain("at-rest-write-key-9d2e", await RawTableAsync("Destinations"));

        // Encrypted, not lost: the protector reads back what was typed.
        var entity = await LoadEntityAsync(id);
        var secrets = host.Services.GetRequiredService<SecretProtector>();
        Assert.Equal("at-rest-write-key-9d2e", secrets.Unprotect(entity.Spaces[0].WriteKeyProtected));
        Assert.Equal("at-rest-token-5f1c", secrets.Unprotect(entity.Spaces[0].AccessTokenProtected));
    }

    [Fact]
    public async Task Reading_a_destination_says_a_secret_is_set_and_masks_it_never_its_value()
    {
        var id = await CreateAsync(DemoInput(UniqueName("Masked"), accessToken: null));

        var details = await WithAsync(s => s.GetAsync(id, Cancel));

        var space = Assert.Single(details!.Spaces);
        Assert.True(space.HasWriteKey);
        Assert.Equal("••••••••", space.WriteKeyMask);
        Assert.False(space.HasAccessToken);
        Assert.Equal("", space.AccessTokenMask);
        Assert.DoesNotContain(WriteKey, details.ToString());
        var form = details.ToInput();
        Assert.Null(form.Spaces[0].WriteKey);
        Assert.True(form.Spaces[0].HasSavedWriteKey);
    }

    [Fact]
    public async Task Saving_settings_with_a_blank_secret_keeps_the_saved_one_and_a_typed_one_replaces_it()
    {
        var id = await CreateAsync(DemoInput(UniqueName("Keep")));
        var secrets = host.Services.GetRequiredService<SecretProtector>();
        var form = (await WithAsync(s => s.GetAsync(id, Cancel)))!.ToInput();
        form.Name = UniqueName("Renamed");
        form.Region = SegmentRegion.Eu;

        var kept = await WithAsync(s => s.UpdateAsync(Admin, id, form, Cancel));

        Assert.True(kept.Succeeded, string.Join("; ", kept.Errors));
        var entity = await LoadEntityAsync(id);
        Assert.Equal(form.Name, entity.Name);
        Assert.Equal(SegmentRegion.Eu, entity.Region);
        Assert.Equal(WriteKey, secrets.Unprotect(entity.Spaces[0].WriteKeyProtected));
        Assert.Equal(AccessToken, secrets.Unprotect(entity.Spaces[0].AccessTokenProtected));
        Assert.NotEqual(form.Version, entity.Version);

        var next = (await WithAsync(s => s.GetAsync(id, Cancel)))!.ToInput();
        next.Spaces[0].WriteKey = "replacement-write-key";
        Assert.True((await WithAsync(s => s.UpdateAsync(Admin, id, next, Cancel))).Succeeded);
        Assert.Equal("replacement-write-key", secrets.Unprotect((await LoadEntityAsync(id)).Spaces[0].WriteKeyProtected));
    }

    [Fact]
    public async Task A_new_space_added_in_settings_needs_its_own_write_key()
    {
        var id = await CreateAsync(DemoInput(UniqueName("Second space")));
        var form = (await WithAsync(s => s.GetAsync(id, Cancel)))!.ToInput();
        form.Spaces.Add(new ProfileSpaceInput { SpaceId = "spa_second", Name = "Second", HasSavedWriteKey = true });

        var result = await WithAsync(s => s.UpdateAsync(Admin, id, form, Cancel));

        Assert.False(result.Succeeded);
        Assert.Contains("Space 2: Enter the write key of the space's internal source.", result.Errors);
        Assert.Single((await LoadEntityAsync(id)).Spaces);
    }

    [Fact]
    public async Task Adding_a_space_in_settings_saves_it()
    {
        var id = await CreateAsync(DemoInput(UniqueName("Growing")));
        var form = (await WithAsync(s => s.GetAsync(id, Cancel)))!.ToInput();
        form.Spaces.Add(new ProfileSpaceInput { SpaceId = "spa_added", Name = "Added", WriteKey = "added-write-key" });

        var result = await WithAsync(s => s.UpdateAsync(Admin, id, form, Cancel));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(["spa_added", "spa_demo"], (await LoadEntityAsync(id)).Spaces.Select(s => s.SpaceId).Order());
    }

    [Fact]
    public async Task Removing_a_space_in_settings_deletes_it()
    {
        var input = DemoInput(UniqueName("Two spaces"));
        input.Spaces.Add(new ProfileSpaceInput { SpaceId = "spa_other", Name = "Other", WriteKey = "other-write-key" });
        var id = await CreateAsync(input);
        var form = (await WithAsync(s => s.GetAsync(id, Cancel)))!.ToInput();
        form.Spaces.RemoveAll(s => s.SpaceId == "spa_other");

        Assert.True((await WithAsync(s => s.UpdateAsync(Admin, id, form, Cancel))).Succeeded);

        Assert.Equal(["spa_demo"], (await LoadEntityAsync(id)).Spaces.Select(s => s.SpaceId));
    }

    [Fact]
    public async Task A_viewer_cannot_add_change_enable_or_delete_a_destination_even_by_calling_the_service()
    {
        var id = await CreateAsync(DemoInput(UniqueName("Guarded")));
        var before = await CountAsync();
        var form = (await WithAsync(s => s.GetAsync(id, Cancel)))!.ToInput();
        form.Name = UniqueName("Hijacked");
        form.Enabled = true;

        var created = await WithAsync(s => s.CreateAsync(Viewer, DemoInput(UniqueName("Viewer")), Cancel));
        var updated = await WithAsync(s => s.UpdateAsync(Viewer, id, form, Cancel));
        var deleted = await WithAsync(s => s.DeleteAsync(Viewer, id, Cancel));
        var tested = await WithAsync(s => s.TestConnectionAsync(Viewer, form, id, Cancel));

        Assert.Equal(["Only an Admin can add destinations."], created.Errors);
        Assert.Equal(["Only an Admin can change destinations."], updated.Errors);
        Assert.Equal(["Only an Admin can delete destinations."], deleted.Errors);
        Assert.False(Assert.Single(tested).Success);
        Assert.Equal(before, await CountAsync());
        var entity = await LoadEntityAsync(id);
        Assert.NotEqual(form.Name, entity.Name);
        Assert.False(entity.Enabled);
    }

    [Fact]
    public async Task A_second_destination_with_the_same_name_in_any_case_is_refused_with_a_clear_message()
    {
        var name = UniqueName("Unique");
        await CreateAsync(DemoInput(name));
        var before = await CountAsync();

        var result = await WithAsync(s => s.CreateAsync(Admin, DemoInput(name.ToUpperInvariant()), Cancel));

        Assert.False(result.Succeeded);
        Assert.Equal([$"A destination named \"{name.ToUpperInvariant()}\" already exists. Choose another name."], result.Errors);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Renaming_to_the_name_of_another_destination_is_refused()
    {
        var taken = UniqueName("Taken");
        await CreateAsync(DemoInput(taken));
        var id = await CreateAsync(DemoInput(UniqueName("Mine")));
        var form = (await WithAsync(s => s.GetAsync(id, Cancel)))!.ToInput();
        form.Name = taken;

        var result = await WithAsync(s => s.UpdateAsync(Admin, id, form, Cancel));

        Assert.Equal([$"A destination named \"{taken}\" already exists. Choose another name."], result.Errors);
    }

    [Fact]
    public async Task Saving_a_form_opened_before_someone_elses_change_is_reported_as_a_conflict()
    {
        var id = await CreateAsync(DemoInput(UniqueName("Concurrent")));
        var mine = (await WithAsync(s => s.GetAsync(id, Cancel)))!.ToInput();
        var theirs = (await WithAsync(s => s.GetAsync(id, Cancel)))!.ToInput();
        theirs.Name = UniqueName("Theirs");
        Assert.True((await WithAsync(s => s.UpdateAsync(Admin, id, theirs, Cancel))).Succeeded);
        mine.Name = UniqueName("Mine");

        var result = await WithAsync(s => s.UpdateAsync(Admin, id, mine, Cancel));

        Assert.Equal([DestinationService.ConcurrencyMessage], result.Errors);
        Assert.Equal(theirs.Name, (await LoadEntityAsync(id)).Name);
    }

    [Fact]
    public async Task Invalid_input_is_refused_by_the_service_with_what_to_fix_and_nothing_is_saved()
    {
        var before = await CountAsync();
        var input = DemoInput(" ");
        input.Spaces.Add(new ProfileSpaceInput { SpaceId = "spa_demo", Name = "Twice", WriteKey = "has spaces in it" });
        input.ProfileApiUrl = "profiles.segment.com";

        var result = await WithAsync(s => s.CreateAsync(Admin, input, Cancel));

        Assert.False(result.Succeeded);
        Assert.Contains("Enter a name for the destination.", result.Errors);
        Assert.Contains("Space 2: spa_demo is already in this destination: remove one of the two rows.", result.Errors);
        Assert.Contains("Space 2: A write key has no spaces or line breaks: copy it again from Segment.", result.Errors);
        Assert.Contains(result.Errors, e => e.StartsWith("Enter an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Enabling_shows_in_the_list_and_deleting_removes_the_destination_and_its_spaces()
    {
        var created = DemoInput(UniqueName("Lifecycle"));
        created.Enabled = true;
        var id = await CreateAsync(created);
        var addedDisabled = Assert.Single(await WithAsync(s => s.ListAsync(Cancel)), r => r.Id == id).Enabled;

        // The Settings tab saves Enable destination with the rest of the form.
        var form = (await WithAsync(s => s.GetAsync(id, Cancel)))!.ToInput();
        form.Enabled = true;
        Assert.True((await WithAsync(s => s.UpdateAsync(Admin, id, form, Cancel))).Succeeded);
        Assert.False(addedDisabled);
        Assert.True(Assert.Single(await WithAsync(s => s.ListAsync(Cancel)), r => r.Id == id).Enabled);

        Assert.True((await WithAsync(s => s.DeleteAsync(Admin, id, Cancel))).Succeeded);
        Assert.Null(await WithAsync(s => s.GetAsync(id, Cancel)));
        Assert.DoesNotContain(id.ToString(), await RawTableAsync("ProfileSpaces"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal([DestinationService.NotFoundMessage], (await WithAsync(s => s.DeleteAsync(Admin, id, Cancel))).Errors);
    }

    [Fact]
    public async Task A_destination_added_from_a_source_remembers_it_and_the_list_names_it()
    {
        var sourceId = Guid.NewGuid();
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Cancel))
        {
            db.Sources.Add(new Source { Id = sourceId, Name = "Demo org", LoginHost = host.Url("demo/salesforce"), ClientId = "client", Version = Guid.NewGuid() });
            await db.SaveChangesAsync(Cancel);
        }

        var input = DemoInput(UniqueName("From source"));
        input.SourceId = sourceId;
        var id = await CreateAsync(input);

        var row = Assert.Single(await WithAsync(s => s.ListAsync(Cancel)), r => r.Id == id);
        Assert.Equal(sourceId, row.SourceId);
        Assert.Equal("Demo org", row.SourceName);
        Assert.Equal("Demo org", await WithAsync(s => s.GetSourceNameAsync(sourceId, Cancel)));

        var missing = DemoInput(UniqueName("Lost source"));
        missing.SourceId = Guid.NewGuid();
        var refused = await WithAsync(s => s.CreateAsync(Admin, missing, Cancel));
        Assert.False(refused.Succeeded);
    }

    [Fact]
    public async Task Test_connection_against_the_demo_passes_with_the_demo_write_key_and_token()
    {
        var results = await WithAsync(s => s.TestConnectionAsync(Admin, DemoInput("Probe"), null, Cancel));

        var result = Assert.Single(results);
        Assert.True(result.Success, result.Message);
        Assert.Equal("spa_demo", result.SpaceId);
        Assert.Equal("Connected: the Tracking API accepted the write key and the Profile API accepted the access token.", result.Message);
    }

    [Fact]
    public async Task Test_connection_with_a_wrong_access_token_says_the_profile_api_rejected_it()
    {
        var results = await WithAsync(s => s.TestConnectionAsync(Admin, DemoInput("Probe", accessToken: "wrong-access-token"), null, Cancel));

        var result = Assert.Single(results);
        Assert.False(result.Success);
        Assert.Equal("The Profile API rejected the access token for space spa_demo: check the token.", result.Message);
    }

    [Fact]
    public async Task Test_connection_with_a_wrong_write_key_says_segment_rejected_it()
    {
        var results = await WithAsync(s => s.TestConnectionAsync(Admin, DemoInput("Probe", writeKey: "wrong-write-key"), null, Cancel));

        var result = Assert.Single(results);
        Assert.False(result.Success);
        Assert.StartsWith("Segment rejected the write key for space spa_demo", result.Message);
    }

    [Fact]
    public async Task Test_connection_says_when_the_tracking_endpoint_does_not_answer()
    {
        var input = DemoInput("Probe");
        input.TrackingApiUrl = "http://127.0.0.1:9/segment";

        var result = Assert.Single(await WithAsync(s => s.TestConnectionAsync(Admin, input, null, Cancel)));

        Assert.False(result.Success);
        Assert.StartsWith("The Tracking API at http://127.0.0.1:9/segment did not answer for space spa_demo", result.Message);
    }

    [Fact]
    public async Task Test_connection_of_a_saved_destination_uses_the_saved_secrets_for_blank_fields()
    {
        var id = await CreateAsync(DemoInput(UniqueName("Saved secrets")));
        var form = (await WithAsync(s => s.GetAsync(id, Cancel)))!.ToInput();

        var result = Assert.Single(await WithAsync(s => s.TestConnectionAsync(Admin, form, id, Cancel)));

        Assert.True(result.Success, result.Message);
        Assert.Contains("accepted the access token", result.Message);
    }

    [Fact]
    public async Task The_log_holds_no_write_key_or_token_after_saving_changing_testing_and_deleting()
    {
        string[] plain = ["logged-write-key-41b7", "logged-token-8c2a", "logged-wrong-token-3e9f", "logged-new-key-77d1"];
        var secrets = plain.Concat(plain.Select(p => Convert.ToBase64String(Encoding.UTF8.GetBytes(p + ":")))).ToArray();
        var id = await CreateAsync(DemoInput(UniqueName("Logged"), accessToken: plain[1], writeKey: plain[0]));
        await WithAsync(s => s.TestConnectionAsync(Admin, DemoInput("Probe", accessToken: plain[2], writeKey: plain[0]), null, Cancel));
        var form = (await WithAsync(s => s.GetAsync(id, Cancel)))!.ToInput();
        form.Spaces[0].WriteKey = plain[3];
        Assert.True((await WithAsync(s => s.UpdateAsync(Admin, id, form, Cancel))).Succeeded);
        await WithAsync(async s => await s.TestConnectionAsync(Admin, (await s.GetAsync(id, Cancel))!.ToInput(), id, Cancel));
        var enable = (await WithAsync(s => s.GetAsync(id, Cancel)))!.ToInput();
        enable.Enabled = true;
        Assert.True((await WithAsync(s => s.UpdateAsync(Admin, id, enable, Cancel))).Succeeded);
        Assert.True((await WithAsync(s => s.DeleteAsync(Admin, id, Cancel))).Succeeded);

        // The log did record the work (the service's own lines and the HTTP calls), just never a secret.
        Assert.Contains(host.Logs.Lines, line => line.Contains(id.ToString(), StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, line => line.Contains("demo/segment", StringComparison.Ordinal));
        foreach (var line in host.Logs.Lines)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line);
            }
        }
    }
}
