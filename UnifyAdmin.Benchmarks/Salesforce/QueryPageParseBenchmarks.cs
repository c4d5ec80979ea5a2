using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Benchmarks.Salesforce;

/// <summary>
/// Parses one 2,000-row Contact page (10 columns, Salesforce's wire format) with the client's parser
/// and with plain <see cref="JsonSerializer"/> into a POCO and into dictionaries.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SalesforceQueryPageParseBenchmarks
{
    private byte[] page = [];

    [GlobalSetup]
    public void Setup() => page = SyntheticPage.Create(2000);

    [Benchmark(Baseline = true, Description = "JsonSerializer → POCO")]
    public int Poco() => JsonSerializer.Deserialize<PocoPage>(page, SerializerOptions)!.Records.Count;

    [Benchmark(Description = "JsonSerializer → Dictionary<string, JsonElement>")]
    public int Dictionaries() => JsonSerializer.Deserialize<DictionaryPage>(page, SerializerOptions)!.Records.Count;

    [Benchmark(Description = "SalesforceQueryPageParser → SalesforceRecord")]
    public int Client() => new SalesforceQueryPageParser().Parse(page).Records.Count;

    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    // Mutable classes: System.Text.Json's fastest path, so the comparison flatters the baseline, not the client.
    public sealed class PocoPage
    {
        public int TotalSize { get; set; }

        public bool Done { get; set; }

        public string? NextRecordsUrl { get; set; }

        public List<ContactPoco> Records { get; set; } = [];
    }

    public sealed class DictionaryPage
    {
        public int TotalSize { get; set; }

        public bool Done { get; set; }

        public string? NextRecordsUrl { get; set; }

        public List<Dictionary<string, JsonElement>> Records { get; set; } = [];
    }

    public sealed class Attributes
    {
        public string? Type { get; set; }

        public string? Url { get; set; }
    }

    public sealed class ContactPoco
    {
        public Attributes? Attributes { get; set; }

        public string? Id { get; set; }

        public string? FirstName { get; set; }

        public string? LastName { get; set; }

        public string? Email { get; set; }

        public string? Phone { get; set; }

        public string? Title { get; set; }

        public DateOnly? Birthdate { get; set; }

        // The standard parser does not accept Salesforce's "+0000" offset, so the baseline keeps the text.
        public string? SystemModstamp { get; set; }

        [JsonPropertyName("NumberOfEmployees__c")]
        public long? NumberOfEmployees { get; set; }

        public bool IsDeleted { get; set; }
    }
}

/// <summary>Builds a query page in Salesforce's JSON shape.</summary>
internal static class SyntheticPage
{
    public static byte[] Create(int rows)
    {
        var json = new StringBuilder(rows * 420);
        json.Append("{\"totalSize\":").Append(rows * 10).Append(",\"done\":false,\"nextRecordsUrl\":\"/services/data/v64.0/query/01gD0000000001AAA-2000\",\"records\":[");
        for (var i = 0; i < rows; i++)
        {
            var id = $"003D{i:D11}AAA";
            json.Append(i == 0 ? "" : ",")
                .Append("{\"attributes\":{\"type\":\"Contact\",\"url\":\"/services/data/v64.0/sobjects/Contact/").Append(id).Append("\"},")
                .Append("\"Id\":\"").Append(id).Append("\",")
                .Append("\"FirstName\":\"First").Append(i).Append("\",")
                .Append("\"LastName\":\"Last").Append(i).Append("\",")
                .Append("\"Email\":\"person").Append(i).Append("@example.com\",")
                .Append("\"Phone\":\"+1 415 555 ").Append((i % 10000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).Append("\",")
                .Append("\"Title\":").Append(i % 3 == 0 ? "null" : "\"Engineer\"").Append(',')
                .Append("\"Birthdate\":\"19").Append(50 + (i % 50)).Append("-0").Append(1 + (i % 9)).Append("-1").Append(i % 10).Append("\",")
                .Append("\"SystemModstamp\":\"2024-03-05T17:").Append((i / 60 % 60).ToString("D2", System.Globalization.CultureInfo.InvariantCulture)).Append(':')
                .Append((i % 60).ToString("D2", System.Globalization.CultureInfo.InvariantCulture)).Append(".000+0000\",")
                .Append("\"NumberOfEmployees__c\":").Append(i % 500).Append(',')
                .Append("\"IsDeleted\":false}");
        }

        return Encoding.UTF8.GetBytes(json.Append("]}").ToString());
    }
}
