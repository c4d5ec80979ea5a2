using System.Text;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Tests.Core.Mappings;

/// <summary>Records as the query parser reads them from Salesforce JSON, and helpers to read built messages back.</summary>
internal static class MappingRecords
{
    public static readonly SegmentLibrary Library = new("unifyadmin", "1.0.0");

    /// <summary>One Contact row from the JSON of its fields (without attributes).</summary>
    public static SalesforceRecord Contact(string fieldsJson) => Page("Contact", fieldsJson)[0];

    public static IReadOnlyList<SalesforceRecord> Page(string type, params string[] rows)
    {
        var records = string.Join(",", rows.Select(r => $"{{\"attributes\":{{\"type\":\"{type}\",\"url\":\"/x\"}},{r.Trim().TrimStart('{')}"));
        var json = $"{{\"totalSize\":{rows.Length},\"done\":true,\"records\":[{records}]}}";
        return new SalesforceQueryPageParser().Parse(Encoding.UTF8.GetBytes(json)).Records;
    }

    public static Mapping Identify(string? userIdField = "External_Key__c", params TraitMapping[] traits) => new()
    {
        Id = Guid.Parse("3f2b8c1e-0d4a-4b6e-9f1a-2c3d4e5f6a7b"),
        Action = MappingAction.Identify,
        UserIdField = userIdField,
        Traits = [.. traits],
        Revision = 1,
    };

    /// <summary>The message's JSON as the Segment client writes it, parsed.</summary>
    public static System.Text.Json.JsonElement Json(SegmentMessage message)
    {
        var preview = MappingPayload.Serialize(message, Library);
        Assert.Null(preview.Error);
        return System.Text.Json.JsonDocument.Parse(preview.Json!).RootElement.Clone();
    }
}
