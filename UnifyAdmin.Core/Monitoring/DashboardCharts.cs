using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Monitoring;

/// <summary>A source's API usage over time, its allowance and its budget line.</summary>
public sealed record ApiUsageSeries(Guid SourceId, string SourceName, int BudgetPercent, IReadOnlyList<ApiUsagePoint> Points);

public sealed record ApiUsagePoint(DateTimeOffset At, long Used, long Allowed);

/// <summary>Records sent and failed per day.</summary>
public sealed record DailyRecords(DateOnly Day, long Sent, long Failed, int Runs);

/// <summary>The dashboard's chart data, bounded in time and size.</summary>
public sealed class DashboardCharts(IDbContextFactory<AppDbContext> contexts, TimeProvider time)
{
    public const int MaxPointsPerSource = 48;

    /// <summary>API usage of the last <paramref name="hours"/>, thinned to at most <see cref="MaxPointsPerSource"/> points per source.</summary>
    public async Task<IReadOnlyList<ApiUsageSeries>> ApiUsageAsync(int hours, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var since = time.GetUtcNow().AddHours(-hours);
        var sources = await db.Sources.AsNoTracking().Select(s => new { s.Id, s.Name, s.ApiBudgetPercent }).ToListAsync(ct);
        var result = new List<ApiUsageSeries>();
        foreach (var source in sources.OrderBy(s => s.Name))
        {
            var samples = await db.ApiUsageSamples.AsNoTracking().Where(a => a.SourceId == source.Id && a.At >= since)
                .OrderBy(a => a.At).Select(a => new ApiUsagePoint(a.At, a.Used, a.Allowed)).ToListAsync(ct);
            if (samples.Count == 0)
            {
                continue;
            }

            // One point per time bucket (the highest reading), so the chart stays readable.
            var bucket = TimeSpan.FromHours(hours) / MaxPointsPerSource;
            var thinned = samples.GroupBy(p => (p.At - since).Ticks / bucket.Ticks).Select(g => g.MaxBy(p => p.Used)!).ToList();
            result.Add(new ApiUsageSeries(source.Id, source.Name, source.ApiBudgetPercent, thinned));
        }

        return result;
    }

    /// <summary>Records sent and failed per day over the last <paramref name="days"/> days.</summary>
    public async Task<IReadOnlyList<DailyRecords>> RecordsPerDayAsync(int days, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var since = new DateTimeOffset(today.AddDays(1 - days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var runs = await (
            from r in db.SyncRuns.AsNoTracking()
            where r.StartedAt >= since
            select new { r.StartedAt, Sent = r.Mappings.Sum(m => m.Accepted), Failed = r.Mappings.Sum(m => m.Failed) }).ToListAsync(ct);
        var byDay = runs.GroupBy(r => DateOnly.FromDateTime(r.StartedAt.UtcDateTime)).ToDictionary(g => g.Key);
        return Enumerable.Range(0, days).Select(i => today.AddDays(i + 1 - days)).Select(day => byDay.TryGetValue(day, out var g)
            ? new DailyRecords(day, g.Sum(r => r.Sent), g.Sum(r => r.Failed), g.Count())
            : new DailyRecords(day, 0, 0, 0)).ToList();
    }
}
