using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Segment;
using static UnifyAdmin.Tests.Core.Mappings.MappingRecords;

namespace UnifyAdmin.Tests.Core.Mappings;

public sealed class MappingMessageBuilderTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private const string Base = "\"Id\":\"003000000000001AAA\",\"External_Key__c\":\"ext-1\",\"SystemModstamp\":\"2024-03-05T17:03:29.000+0000\"";

    private static JsonElement Traits(Mapping mapping, IReadOnlyDictionary<string, string> types, string fields)
    {
        var build = new MappingMessageBuilder(mapping, types).Build(Contact("{" + Base + "," + fields + "}"), Now);
        Assert.True(build.Succeeded, build.Error);
        return Json(build.Message!).GetProperty("traits");
    }

    public static TheoryData<string, string, string> EveryType => new()
    {
        { "id", "\"001000000000001AAA\"", "\"001000000000001AAA\"" },
        { "reference", "\"005000000000001AAA\"", "\"005000000000001AAA\"" },
        { "string", "\"Ada\"", "\"Ada\"" },
        { "textarea", "\"line one\\nline two\"", "\"line one\\nline two\"" },
        { "email", "\"ada@example.com\"", "\"ada@example.com\"" },
        { "phone", "\"+44 20 7946 0000\"", "\"+44 20 7946 0000\"" },
        { "url", "\"https://example.com/a?b=c\"", "\"https://example.com/a?b=c\"" },
        { "picklist", "\"Warm\"", "\"Warm\"" },
        { "combobox", "\"Other\"", "\"Other\"" },
        { "encryptedstring", "\"****1234\"", "\"****1234\"" },
        { "base64", "\"/services/data/v64.0/sobjects/Document/015/Body\"", "\"/services/data/v64.0/sobjects/Document/015/Body\"" },
        { "boolean", "true", "true" },
        { "int", "42", "42" },
        { "long", "9007199254740993", "9007199254740993" },
        { "double", "12.5", "12.5" },
        { "currency", "1234.56", "1234.56" },
        { "percent", "7.25", "7.25" },
        { "date", "\"2024-03-05\"", "\"2024-03-05\"" },
        { "datetime", "\"2024-03-05T17:03:29.000+0000\"", "\"2024-03-05T17:03:29.000Z\"" },
        { "datetime", "\"2024-03-05T19:03:29.123+0200\"", "\"2024-03-05T17:03:29.123Z\"" },
        { "time", "\"17:03:29.000Z\"", "\"17:03:29.000Z\"" },
        { "multipicklist", "\"Gold;Silver; Bronze\"", "[\"Gold\",\"Silver\",\"Bronze\"]" },
        { "location", "{\"latitude\":51.5,\"longitude\":-0.12}", "{\"latitude\":51.5,\"longitude\":-0.12}" },
        { "anyType", "\"free\"", "\"free\"" },
    };

    [Theory]
    [MemberData(nameof(EveryType))]
    public void Every_Salesforce_type_becomes_the_JSON_its_describe_type_calls_for(string type, string raw, string expected)
    {
        var mapping = Identify(traits: new TraitMapping("value", "Value__c"));

        var traits = Traits(mapping, new Dictionary<string, string> { ["Value__c"] = type }, $"\"Value__c\":{raw}");

        Assert.Equal(expected, traits.GetProperty("value").GetRawText());
    }

    [Fact]
    public void A_number_typed_field_that_arrives_as_text_is_sent_as_a_number_and_text_fields_stay_text()
    {
        var mapping = Identify(traits: [new TraitMapping("employees", "Employees__c"), new TraitMapping("zip", "Zip__c")]);

        var traits = Traits(mapping, new Dictionary<string, string> { ["Employees__c"] = "int", ["Zip__c"] = "string" }, "\"Employees__c\":\"120\",\"Zip__c\":\"02134\"");

        Assert.Equal("120", traits.GetProperty("employees").GetRawText());
        Assert.Equal("\"02134\"", traits.GetProperty("zip").GetRawText());
    }

    [Fact]
    public void Null_values_are_left_out_unless_send_nulls_is_on()
    {
        var types = new Dictionary<string, string> { ["Title"] = "string", ["Phone"] = "phone" };
        var mapping = Identify(traits: [new TraitMapping("title", "Title"), new TraitMapping("phone", "Phone")]);

        var without = Traits(mapping, types, "\"Title\":null,\"Phone\":\"123\"");
        mapping.SendNulls = true;
        var with = Traits(mapping, types, "\"Title\":null,\"Phone\":\"123\"");

        Assert.False(without.TryGetProperty("title", out _));
        Assert.Equal("\"123\"", without.GetProperty("phone").GetRawText());
        Assert.Equal(JsonValueKind.Null, with.GetProperty("title").ValueKind);
    }

    [Fact]
    public void Dotted_and_reserved_traits_build_nested_objects_and_static_values_are_sent_as_text()
    {
        var types = new Dictionary<string, string>
        {
            ["FirstName"] = "string", ["Email"] = "email", ["MailingStreet"] = "textarea", ["MailingCity"] = "string", ["MailingState"] = "string",
            ["MailingPostalCode"] = "string", ["MailingCountry"] = "string", ["Account.Name"] = "string",
        };
        var mapping = Identify(traits:
        [
            new TraitMapping("firstName", "FirstName"), new TraitMapping("email", "Email"),
            new TraitMapping("address.street", "MailingStreet"), new TraitMapping("address.city", "MailingCity"), new TraitMapping("address.state", "MailingState"),
            new TraitMapping("address.postalCode", "MailingPostalCode"), new TraitMapping("address.country", "MailingCountry"),
            new TraitMapping("company.name", "Account.Name"), new TraitMapping("source", null, "salesforce"),
        ]);

        var traits = Traits(mapping, types,
            "\"FirstName\":\"Ada\",\"Email\":\"ada@example.com\",\"MailingStreet\":\"1 Main St\",\"MailingCity\":\"London\",\"MailingState\":null," +
            "\"MailingPostalCode\":\"N1\",\"MailingCountry\":\"UK\",\"Account\":{\"attributes\":{\"type\":\"Account\",\"url\":\"/a\"},\"Name\":\"Acme\"}");

        Assert.Equal("Ada", traits.GetProperty("firstName").GetString());
        Assert.Equal("{\"street\":\"1 Main St\",\"city\":\"London\",\"postalCode\":\"N1\",\"country\":\"UK\"}", traits.GetProperty("address").GetRawText());
        Assert.Equal("{\"name\":\"Acme\"}", traits.GetProperty("company").GetRawText());
        Assert.Equal("salesforce", traits.GetProperty("source").GetString());
    }

    [Fact]
    public void A_null_parent_record_sends_no_company_and_an_address_compound_becomes_an_object()
    {
        var types = new Dictionary<string, string> { ["Account.Name"] = "string", ["MailingAddress"] = "address" };
        var mapping = Identify(traits: [new TraitMapping("company.name", "Account.Name"), new TraitMapping("address", "MailingAddress")]);

        var traits = Traits(mapping, types,
            "\"Account\":null,\"MailingAddress\":{\"street\":\"1 Main St\",\"city\":\"London\",\"state\":null,\"postalCode\":\"N1\",\"country\":\"UK\",\"latitude\":51.5,\"longitude\":-0.1,\"geocodeAccuracy\":null}");

        Assert.False(traits.TryGetProperty("company", out _));
        var address = traits.GetProperty("address");
        Assert.Equal("London", address.GetProperty("city").GetString());
        Assert.Equal("N1", address.GetProperty("postalCode").GetString());
        Assert.Equal(51.5, address.GetProperty("latitude").GetDouble());
        Assert.False(address.TryGetProperty("state", out _));
    }

    [Fact]
    public void Identify_carries_ids_timestamp_and_integrations_all_false()
    {
        var mapping = Identify(traits: new TraitMapping("email", "Email"));
        mapping.AnonymousIdField = "Id";

        var build = new MappingMessageBuilder(mapping, new Dictionary<string, string> { ["Email"] = "email", ["Id"] = "id" })
            .Build(Contact("{" + Base + ",\"Email\":\"a@b.c\"}"), Now);
        var json = Json(build.Message!);

        Assert.Equal("identify", json.GetProperty("type").GetString());
        Assert.Equal("ext-1", json.GetProperty("userId").GetString());
        Assert.Equal("003000000000001AAA", json.GetProperty("anonymousId").GetString());
        Assert.Equal("2024-03-05T17:03:29.000Z", json.GetProperty("timestamp").GetString());
        Assert.Equal("{\"All\":false}", json.GetProperty("integrations").GetRawText());
    }

    [Fact]
    public void Group_carries_the_group_id_and_time_of_sending_when_no_timestamp_field()
    {
        var mapping = Identify(traits: new TraitMapping("name", "Account.Name"));
        mapping.Action = MappingAction.Group;
        mapping.GroupIdField = "AccountId";
        mapping.TimestampField = null;

        var build = new MappingMessageBuilder(mapping, new Dictionary<string, string> { ["AccountId"] = "reference", ["Account.Name"] = "string" })
            .Build(Contact("{" + Base + ",\"AccountId\":\"001000000000009AAA\",\"Account\":{\"attributes\":{\"type\":\"Account\",\"url\":\"/a\"},\"Name\":\"Acme\"}}"), Now);
        var json = Json(build.Message!);

        Assert.Equal("group", json.GetProperty("type").GetString());
        Assert.Equal("001000000000009AAA", json.GetProperty("groupId").GetString());
        Assert.Equal("2025-01-02T03:04:05.000Z", json.GetProperty("timestamp").GetString());
    }

    [Theory]
    [InlineData(null, null, "You must map either a User ID or Anonymous ID field.")]
    [InlineData("External_Key__c", null, "User ID field `External_Key__c` is empty for 003000000000002AAA.")]
    [InlineData(null, "External_Key__c", "Anonymous ID field `External_Key__c` is empty for 003000000000002AAA.")]
    public void A_record_without_an_id_value_is_a_per_record_error_naming_the_field(string? user, string? anonymous, string expected)
    {
        var mapping = Identify(user);
        mapping.AnonymousIdField = anonymous;

        var build = new MappingMessageBuilder(mapping, new Dictionary<string, string>())
            .Build(Contact("{\"Id\":\"003000000000002AAA\",\"External_Key__c\":\"  \",\"SystemModstamp\":\"2024-03-05T17:03:29.000+0000\"}"), Now);

        Assert.False(build.Succeeded);
        Assert.Equal(expected, build.Error);
    }

    [Fact]
    public void Group_without_a_group_id_value_is_refused_per_record()
    {
        var mapping = Identify();
        mapping.Action = MappingAction.Group;
        mapping.GroupIdField = "AccountId";

        var build = new MappingMessageBuilder(mapping, new Dictionary<string, string>()).Build(Contact("{" + Base + ",\"AccountId\":null}"), Now);

        Assert.Equal("Group ID field `AccountId` is empty for 003000000000001AAA.", build.Error);
    }

    [Fact]
    public void The_same_record_version_gets_the_same_message_id_and_a_new_modstamp_or_revision_a_new_one()
    {
        var mapping = Identify(traits: new TraitMapping("email", "Email"));
        var types = new Dictionary<string, string> { ["Email"] = "email" };
        var v1 = Contact("{" + Base + ",\"Email\":\"a@b.c\"}");
        var v1Again = Contact("{" + Base + ",\"Email\":\"a@b.c\"}");
        var v2 = Contact("{\"Id\":\"003000000000001AAA\",\"External_Key__c\":\"ext-1\",\"SystemModstamp\":\"2024-03-05T17:03:30.000+0000\",\"Email\":\"a@b.c\"}");

        var first = new MappingMessageBuilder(mapping, types).Build(v1, Now).Message!.MessageId;
        var again = new MappingMessageBuilder(mapping, types).Build(v1Again, Now.AddHours(1)).Message!.MessageId;
        var newVersion = new MappingMessageBuilder(mapping, types).Build(v2, Now).Message!.MessageId;
        mapping.Revision = 2;
        var newRevision = new MappingMessageBuilder(mapping, types).Build(v1, Now).Message!.MessageId;

        Assert.Equal(first, again);
        Assert.NotEqual(first, newVersion);
        Assert.NotEqual(first, newRevision);
        Assert.StartsWith("sf-003000000000001AAA-", first);
        Assert.True(first.Length <= 44);
    }

    [Fact]
    public void The_message_id_hashes_mapping_revision_record_and_modstamp_as_the_rule_says()
    {
        var mappingId = Guid.NewGuid();
        var modstamp = new DateTimeOffset(2024, 3, 5, 17, 3, 29, TimeSpan.Zero);
        var key = string.Create(CultureInfo.InvariantCulture, $"{mappingId:N}|7|003000000000001AAA|{modstamp.UtcTicks}");
        var expected = "sf-003000000000001AAA-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))[..11]);

        Assert.Equal(expected, MessageIds.For(mappingId, 7, "003000000000001AAA", modstamp));
        Assert.Equal(MessageIds.For(mappingId, 7, "003000000000001AAA", modstamp), MessageIds.For(mappingId, 7, "003000000000001AAA", modstamp.ToOffset(TimeSpan.FromHours(2))));
        Assert.StartsWith("sf-" + new string('x', 300) + "-", MessageIds.For(mappingId, 1, new string('x', 300), modstamp));
    }

    [Fact]
    public void A_deleted_record_sends_its_ids_and_the_deleted_trait()
    {
        var mapping = Identify();
        mapping.DeletedTrait = "salesforce.deleted";

        var build = new MappingMessageBuilder(mapping, new Dictionary<string, string>()).BuildDeleted(Contact("{" + Base + "}"), Now);

        Assert.Equal("{\"salesforce\":{\"deleted\":true}}", Json(build.Message!).GetProperty("traits").GetRawText());
    }

    [Fact]
    public void Three_hundred_traits_are_refused_before_sending()
    {
        var traits = Enumerable.Range(0, 300).Select(i => new TraitMapping($"t{i}", null, "x")).ToArray();

        var build = new MappingMessageBuilder(Identify(traits: traits), new Dictionary<string, string>()).Build(Contact("{" + Base + "}"), Now);

        Assert.Contains("300 traits", build.Error);
    }

    [Fact]
    public void The_preview_is_byte_for_byte_what_the_batcher_puts_in_a_batch()
    {
        var mapping = Identify(traits: [new TraitMapping("email", "Email"), new TraitMapping("note", null, "café \"quoted\" <b>")]);
        var message = new MappingMessageBuilder(mapping, new Dictionary<string, string> { ["Email"] = "email" }).Build(Contact("{" + Base + ",\"Email\":\"a@b.c\"}"), Now).Message!;

        var preview = MappingPayload.Serialize(message, Library);
        using var batcher = new SegmentBatcher(Library);
        batcher.Add(message);
        using var batch = batcher.Flush()!;
        var body = Encoding.UTF8.GetString(batch.Frame(Now).AsSpan());

        Assert.StartsWith("{\"batch\":[" + preview.Json + "],\"sentAt\":", body);
        Assert.Equal(Encoding.UTF8.GetByteCount(preview.Json!), preview.Bytes);
    }

    [Fact]
    public void A_record_over_32_KB_is_refused_with_its_size()
    {
        var mapping = Identify(traits: new TraitMapping("description", "Description"));
        var message = new MappingMessageBuilder(mapping, new Dictionary<string, string> { ["Description"] = "textarea" })
            .Build(Contact("{" + Base + ",\"Description\":\"" + new string('a', 40_000) + "\"}"), Now).Message!;

        var preview = MappingPayload.Serialize(message, Library);

        Assert.Null(preview.Json);
        Assert.Contains("32 KB", preview.Error);
        Assert.True(preview.Bytes > 40_000);
    }
}
