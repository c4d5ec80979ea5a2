using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Core.Security;

/// <summary>How many failed sign-ins are allowed before an address or an account must wait.</summary>
public sealed class SignInThrottleOptions
{
    public const string SectionName = "SignInThrottle";

    /// <summary>Failed sign-ins one client address may make in a burst, across all accounts.</summary>
    public int FailuresPerAddress { get; set; } = 10;

    /// <summary>Failed sign-ins one account may receive in a burst from browsers it has never signed in from.</summary>
    public int FailuresPerAccount { get; set; } = 5;

    /// <summary>The time in which a full burst is earned back, one attempt at a time.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

internal sealed class SignInThrottleOptionsValidator : IValidateOptions<SignInThrottleOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInThrottleOptions options)
    {
        var failures = new List<string>();
        if (options.FailuresPerAddress < 1)
        {
            failures.Add($"{SignInThrottleOptions.SectionName}:{nameof(options.FailuresPerAddress)} must be at least 1.");
        }

        if (options.FailuresPerAccount < 1)
        {
            failures.Add($"{SignInThrottleOptions.SectionName}:{nameof(options.FailuresPerAccount)} must be at least 1.");
        }

        if (options.Window < TimeSpan.FromSeconds(1) || options.Window > TimeSpan.FromDays(1))
        {
            failures.Add($"{SignInThrottleOptions.SectionName}:{nameof(options.Window)} must be between 00:00:01 and 1.00:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Throttles failed sign-ins with token buckets (System.Threading.RateLimiting, the limiter behind ASP.NET Core's
/// rate limiting): one bucket per client address, one per account for unknown browsers, and one per trusted
/// browser, so that an attacker who drains an account's bucket cannot keep out a browser that signed in before
/// (docs/decisions/013-sign-in-throttling.md). Nothing is ever locked: waiting always helps.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> addresses;
    private readonly PartitionedRateLimiter<string> accounts;
    private readonly TimeSpan addressPeriod;
    private readonly TimeSpan accountPeriod;

    public SignInThrottle(IOptions<SignInThrottleOptions> options)
    {
        var o = options.Value;
        addressPeriod = o.Window / o.FailuresPerAddress;
        accountPeriod = o.Window / o.FailuresPerAccount;
        addresses = Buckets(o.FailuresPerAddress, o.Window);
        accounts = Buckets(o.FailuresPerAccount, o.Window);
    }

    /// <summary>The buckets an attempt draws from: a trusted browser has its own; others share the address's and the account's.</summary>
    public static SignInPartitions Partitions(string? clientAddress, string normalizedEmail, string? trustedDeviceId)
        => trustedDeviceId is not null
            ? new SignInPartitions(null, "device:" + trustedDeviceId)
            : new SignInPartitions("address:" + (clientAddress ?? "unknown"), "account:" + AccountKey(normalizedEmail));

    /// <summary>A stable key for an email that does not keep the address itself in memory.</summary>
    public static string AccountKey(string normalizedEmail)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)));

    /// <summary>How long the caller must wait before trying again, or null when an attempt is allowed now.</summary>
    public TimeSpan? RetryAfter(SignInPartitions partitions)
    {
        TimeSpan? wait = null;
        foreach (var (limiter, key, period) in Each(partitions))
        {
            // Buckets refill continuously; a fraction of an attempt is not an attempt (so no zero-permit probe).
            if (limiter.GetStatistics(key) is { CurrentAvailablePermits: < 1 })
            {
                wait = wait is { } w && w > period ? w : period;
            }
        }

        return wait;
    }

    /// <summary>Counts one failed attempt against every bucket it drew from.</summary>
    public void RecordFailure(SignInPartitions partitions)
    {
        foreach (var (limiter, key, _) in Each(partitions))
        {
            limiter.AttemptAcquire(key, 1).Dispose();
        }
    }

    private IEnumerable<(PartitionedRateLimiter<string> Limiter, string Key, TimeSpan Period)> Each(SignInPartitions partitions)
    {
        if (partitions.Address is { } address)
        {
            yield return (addresses, address, addressPeriod);
        }

        yield return (accounts, partitions.Account, accountPeriod);
    }

    private static PartitionedRateLimiter<string> Buckets(int burst, TimeSpan window)
        => PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = window / burst,
            QueueLimit = 0,
            // Each bucket refills by elapsed time (manual replenishment would add a whole token per call, whatever the time).
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        addresses.Dispose();
        accounts.Dispose();
    }
}

/// <summary>The rate-limiter partitions of one sign-in attempt; <see cref="Address"/> is null for a trusted browser.</summary>
public sealed record SignInPartitions(string? Address, string Account);
