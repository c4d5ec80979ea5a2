using Microsoft.Extensions.Time.Testing;

namespace UnifyAdmin.Tests.Infrastructure;

/// <summary>Drives a <see cref="FakeTimeProvider"/> while code under test waits on it, instead of sleeping real seconds.</summary>
public static class FakeClock
{
    /// <summary>
    /// Moves the clock forward in <paramref name="step"/>s until <paramref name="work"/> finishes, and returns how
    /// much fake time that took. Fails when the work needs more than <paramref name="limit"/> of fake time.
    /// </summary>
    public static async Task<TimeSpan> AdvanceUntilDoneAsync(this FakeTimeProvider clock, Task work, TimeSpan step, TimeSpan limit)
    {
        var start = clock.GetUtcNow();
        var realDeadline = DateTime.UtcNow.AddSeconds(30);
        while (!work.IsCompleted)
        {
            // Give the work a moment to reach its next timer before time moves on.
            await Task.WhenAny(work, Task.Delay(15, TestContext.Current.CancellationToken));
            if (work.IsCompleted)
            {
                break;
            }

            if (clock.GetUtcNow() - start > limit || DateTime.UtcNow > realDeadline)
            {
                throw new TimeoutException($"The work did not finish within {limit} of fake time.");
            }

            clock.Advance(step);
        }

        await work.ContinueWith(_ => { }, TaskScheduler.Default);
        return clock.GetUtcNow() - start;
    }
}
