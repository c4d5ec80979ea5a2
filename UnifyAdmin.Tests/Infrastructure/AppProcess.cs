using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sync;

namespace UnifyAdmin.Tests.Infrastructure;

/// <summary>
/// The real app (its built <c>UnifyAdmin.dll</c>) as a child process on a data folder, as an
/// operator would run it, so that it can be killed with SIGKILL and started again on the same data.
/// </summary>
/// <remarks>
/// This file and <see cref="SyncCrashLoop"/> are linked into the benchmarks project as well: the
/// small crash test and the large crash run share one harness.
/// </remarks>
public sealed class AppProcess : IDisposable
{
    private const int TailLines = 40;
    private readonly Process process;
    private readonly Queue<string> tail = new();

    private AppProcess(Process process)
    {
        this.process = process;
    }

    public bool HasExited => process.HasExited;

    /// <summary>The last lines the app wrote, to explain an early exit.</summary>
    public string Tail
    {
        get
        {
            lock (tail)
            {
                return string.Join(Environment.NewLine, tail);
            }
        }
    }

    /// <summary>
    /// Starts the app with the scheduler on and the in-app demo off: the flows' org and workspace live in the caller.
    /// <paramref name="settings"/> (configuration keys with ':') are passed on as environment variables.
    /// </summary>
    public static AppProcess Start(string appDll, string dataDirectory, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", [appDll])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DataDirectory"] = dataDirectory;
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Demo__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? [])
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var app = new AppProcess(Process.Start(start)!);
        app.process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        app.process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        app.process.BeginOutputReadLine();
        app.process.BeginErrorReadLine();
        return app;
    }

    /// <summary>SIGKILL (no shutdown code runs), then waits until the process is gone; nothing happens if it already is.</summary>
    public async Task KillAsync(CancellationToken ct = default)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(ct);
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (tail)
        {
            tail.Enqueue(line);
            if (tail.Count > TailLines)
            {
                tail.Dequeue();
            }
        }
    }
}

/// <summary>
/// Kills the app at chosen points of a sync and starts it again on the same data folder; the
/// Quartz job, stored with "request recovery", resumes the run after each restart.
/// </summary>
public sealed class SyncCrashLoop(string appDll, string dataDirectory)
{
    /// <summary>How many times the app was started (the first start and every restart after a kill).</summary>
    public int Starts { get; private set; }

    public int Kills { get; private set; }

    /// <summary>Starts the app, waits until <paramref name="progress"/> reaches <paramref name="point"/>, kills it; returns the progress it had at the kill.</summary>
    public async Task<long> KillAtAsync(long point, Func<Task<long>> progress, TimeSpan timeout, CancellationToken ct = default)
    {
        using var app = Start();
        var reached = 0L;
        await Eventually.TrueAsync(
            async () =>
            {
                ThrowIfExited(app);
                return (reached = await progress()) >= point;
            },
            $"the sync passed {point:N0}",
            timeout);
        await app.KillAsync(ct);
        Kills++;
        return reached;
    }

    /// <summary>Starts the app and waits until <paramref name="done"/>; the app is killed afterwards too (nothing is left to lose).</summary>
    public async Task FinishAsync(Func<Task<bool>> done, string what, TimeSpan timeout, CancellationToken ct = default)
    {
        using var app = Start();
        await Eventually.TrueAsync(
            async () =>
            {
                ThrowIfExited(app);
                return await done();
            },
            what,
            timeout);
        await app.KillAsync(ct);
    }

    /// <summary>A context on the data folder's database, opened beside the app (no pooling, so nothing keeps the file open).</summary>
    public SqliteAppDbContext OpenDatabase()
    {
        var options = new DbContextOptionsBuilder<SqliteAppDbContext>()
            .UseSqlite($"Data Source={Path.Combine(dataDirectory, "unifyadmin.db")};Pooling=False")
            .Options;
        return new SqliteAppDbContext(options);
    }

    /// <summary>Records of the mapping whose message Segment accepted, as the app checkpointed them.</summary>
    public async Task<long> SentAsync(Guid mappingId)
    {
        await using var db = OpenDatabase();
        return await db.RecordStates.LongCountAsync(s => s.MappingId == mappingId && s.State == RecordSyncState.Sent);
    }

    public async Task<bool> InitialDoneAsync(Guid mappingId)
    {
        await using var db = OpenDatabase();
        return await db.Mappings.AnyAsync(m => m.Id == mappingId && m.InitialSyncDone);
    }

    private AppProcess Start()
    {
        Starts++;
        return AppProcess.Start(appDll, dataDirectory);
    }

    private static void ThrowIfExited(AppProcess app)
    {
        if (app.HasExited)
        {
            throw new InvalidOperationException("The app exited by itself:" + Environment.NewLine + app.Tail);
        }
    }
}
