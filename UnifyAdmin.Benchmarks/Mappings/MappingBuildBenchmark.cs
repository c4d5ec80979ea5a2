using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Benchmarks.Mappings;

/// <summary>
/// The sync's per-record work for one mapping: 10,000 Contact records of 20 fields, as the query parser
/// reads them, built into Identify messages and serialized into batches. Target: at least 200,000
/// records/s on one core (under 5 µs per record) and under 1 KB allocated per record (batch buffers are pooled).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class MappingBuildBenchmark
{
    private const int Records = 10_000;

    private static readonly (string Field, string Type, string Trait)[] Fields =
    [
        ("Id", "id", "salesforceId"), ("SystemModstamp", "datetime", "updatedAt"), ("External_Key__c", "string", "externalKey"),
        ("Email", "email", "email"), ("FirstName", "string", "firstName"), ("LastName", "string", "lastName"), ("Title", "string", "title"),
        ("Phone", "phone", "phone"), ("MailingStreet", "textarea", "address.street"), ("MailingCity", "string", "address.city"),
        ("MailingState", "string", "address.state"), ("MailingPostalCode", "string", "address.postalCode"), ("MailingCountry", "string", "address.country"),
        ("HasOptedOutOfEmail", "boolean", "emailOptOut"), ("Lifetime_Value__c", "currency", "lifetimeValue"), ("Score__c", "double", "score"),
        ("Visits__c", "int", "visits"), ("Birthdate", "date", "birthday"), ("Last_Activity__c", "datetime", "lastActivity"), ("LeadSource", "picklist", "leadSource"),
    ];

    private readonly SegmentLibrary library = new("unifyadmin", "1.0.0");
    private IReadOnlyList<SalesforceRecord> records = [];
    private MappingMessageBuilder builder = null!;
    private DateTimeOffset now;

    [GlobalSetup]
    public void Setup()
    {
        records = new SalesforceQueryPageParser().Parse(Encoding.UTF8.GetBytes(Page())).Records;
        var mapping = new Mapping
        {
            Id = Guid.NewGuid(),
            Action = MappingAction.Identify,
            UserIdField = "External_Key__c",
            Traits = Fields.Select(f => new TraitMapping(f.Trait, f.Field)).ToList(),
            Revision = 3,
        };
        builder = new MappingMessageBuilder(mapping, Fields.ToDictionary(f => f.Field, f => f.Type));
        now = DateTimeOffset.UtcNow;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public int BuildAndSerialize()
    {
        var batches = 0;
        using var batcher = new SegmentBatcher(library);
        foreach (var record in records)
        {
            var build = builder.Build(record, now);
            if (batcher.Add(build.Message!) is { } batch)
            {
                batches++;
                batch.Dispose();
            }
        }

        batcher.Flush()?.Dispose();
        return batches;
    }

    /// <summary>
    /// The same work timed in CPU time of this thread, not wall time: on a shared, busy machine wall time
    /// measures the neighbours. Run with <c>-- mapping-cpu</c>.
    /// </summary>
    public static void PrintCpuTime()
    {
        var benchmark = new MappingBuildBenchmark();
        benchmark.Setup();
        for (var i = 0; i < 20; i++)
        {
            benchmark.BuildAndSerialize();
        }

        const int passes = 50;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cpuBefore = ThreadCpuTime();
        for (var i = 0; i < passes; i++)
        {
            benchmark.BuildAndSerialize();
        }

        var cpu = ThreadCpuTime() - cpuBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var records = (double)passes * Records;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{records:N0} records of 20 fields in {cpu.TotalMilliseconds:N0} ms of CPU: {records / cpu.TotalSeconds:N0} records/s per core, {cpu.TotalMilliseconds * 1000 / records:N2} us and {allocated / records:N0} bytes allocated per record"));
    }

    private static TimeSpan ThreadCpuTime()
    {
        // Linux: this thread's user+system time from /proc (clock ticks of 10 ms are too coarse, so read the schedstat nanoseconds).
        var text = File.ReadAllText($"/proc/thread-self/schedstat");
        return TimeSpan.FromTicks(long.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture) / 100);
    }

    private static string Page()
    {
        var json = new StringBuilder("{\"totalSize\":").Append(Records).Append(",\"done\":true,\"records\":[");
        for (var i = 0; i < Records; i++)
        {
            var stamp = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i * 37);
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""
                {"attributes":{"type":"Contact","url":"/services/data/v64.0/sobjects/Contact/003{{i:D15}}"},
                "Id":"003{{i:D15}}","SystemModstamp":"{{stamp:yyyy-MM-dd'T'HH:mm:ss.fff}}+0000","External_Key__c":"EXT-{{i:D8}}",
                "Email":"person{{i}}@example.com","FirstName":"First{{i}}","LastName":"Last{{i}}","Title":"Director of Things","Phone":"+1 555 010 {{i % 10000:D4}}",
                "MailingStreet":"{{i}} Main Street","MailingCity":"Springfield","MailingState":"IL","MailingPostalCode":"{{62700 + (i % 99)}}","MailingCountry":"US",
                "HasOptedOutOfEmail":{{(i % 3 == 0 ? "true" : "false")}},"Lifetime_Value__c":{{i * 12.5m}},"Score__c":{{(i % 100) / 7.0}},"Visits__c":{{i % 250}},
                "Birthdate":"1980-{{1 + (i % 12):D2}}-{{1 + (i % 28):D2}}","Last_Activity__c":"{{stamp.AddDays(-3):yyyy-MM-dd'T'HH:mm:ss.fff}}+0000","LeadSource":"Web"}
                """);
        }

        return json.Append("]}").ToString();
    }
}
