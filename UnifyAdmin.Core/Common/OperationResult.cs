namespace UnifyAdmin.Core.Common;

/// <summary>
/// The outcome of a service operation that a person asked for: success, or errors written so that a
/// person can act on them (never exception text). Services return it instead of throwing for
/// everything a user can cause: refused roles, invalid input, conflicts, unreachable services.
/// </summary>
public record OperationResult
{
    protected OperationResult(IReadOnlyList<string> errors)
    {
        Errors = errors;
    }

    /// <summary>True when the operation did what was asked.</summary>
    public bool Succeeded => Errors.Count == 0;

    /// <summary>What went wrong, one sentence each; empty on success.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>The failure is the source's connection: the page offers Reconnect next to the errors.</summary>
    public bool NeedsReconnect { get; init; }

    /// <summary>Nothing to report but success.</summary>
    public static OperationResult Ok() => new([]);

    /// <summary>A failure with at least one message.</summary>
    public static OperationResult Fail(params IEnumerable<string> errors) => new(Checked(errors));

    /// <summary>The errors joined into one line, for a single alert or snackbar.</summary>
    public string ErrorText => string.Join(" ", Errors);

    protected static IReadOnlyList<string> Checked(IEnumerable<string> errors)
    {
        var list = errors.Where(e => !string.IsNullOrWhiteSpace(e)).Distinct(StringComparer.Ordinal).ToArray();
        return list.Length > 0 ? list : ["The operation failed. The details are in the server log."];
    }
}

/// <summary>An <see cref="OperationResult"/> that carries a value on success.</summary>
public sealed record OperationResult<T> : OperationResult
{
    private readonly T? value;

    private OperationResult(T? value, IReadOnlyList<string> errors)
        : base(errors)
    {
        this.value = value;
    }

    /// <summary>The value; reading it after a failure is a bug in the caller.</summary>
    public T Value => Succeeded ? value! : throw new InvalidOperationException("A failed operation has no value: " + ErrorText);

    public static OperationResult<T> Ok(T value) => new(value, []);

    public static new OperationResult<T> Fail(params IEnumerable<string> errors) => new(default, Checked(errors));
}
