using System.Diagnostics;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Web.Security;

/// <summary>A host whose throttling never gets in the way of many measured attempts.</summary>
public sealed class UnthrottledAppHost : AppHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("SignInThrottle:FailuresPerAddress", "100000"),
        new("SignInThrottle:FailuresPerAccount", "100000"),
    ];
}

/// <summary>How long a failed sign-in takes must not tell whether the account exists.</summary>
public sealed class SignInTimingTests(UnthrottledAppHost host) : IClassFixture<UnthrottledAppHost>
{
    private const int Attempts = 40;

    [Fact]
    public async Task A_wrong_password_for_a_real_account_takes_as_long_as_an_unknown_email()
    {
        await host.CreateUserAsync("real@example.com", "Real-Account-123", Roles.Viewer);
        using var client = new HttpSession(host);
        var token = await client.FormTokenAsync("/account/login");
        var real = new List<double>();
        var unknown = new List<double>();

        // Interleaved, after a warm-up, so drift in the machine's load hits both kinds alike.
        for (var i = -3; i < Attempts; i++)
        {
            var a = await TimeAsync(() => client.SignInAsync("real@example.com", "Wrong-Password-1", token));
            var b = await TimeAsync(() => client.SignInAsync($"unknown{i + 3}@example.com", "Wrong-Password-1", token));
            if (i >= 0)
            {
                real.Add(a);
                unknown.Add(b);
            }
        }

        // The chance that a random real-account failure is slower than a random unknown-email failure
        // (the Mann-Whitney statistic). Before the fix every real-account failure was slower: 1.0.
        // Indistinguishable timings give about 0.5; with 40 of each, 0.2 and 0.8 lie beyond four standard errors.
        var slower = Probability(real, unknown);
        Assert.True(slower is > 0.2 and < 0.8,
            $"Failures are told apart by timing: P(real slower) = {slower:0.00}; medians {Median(real):0.0} ms vs {Median(unknown):0.0} ms");
    }

    private static async Task<double> TimeAsync(Func<Task<SignInAnswer>> attempt)
    {
        var watch = Stopwatch.StartNew();
        var answer = await attempt();
        watch.Stop();
        Assert.Equal([SignInService.WrongCredentials], answer.Errors);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Probability(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double wins = 0;
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                wins += x > y ? 1 : x == y ? 0.5 : 0;
            }
        }

        return wins / (a.Count * b.Count);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
