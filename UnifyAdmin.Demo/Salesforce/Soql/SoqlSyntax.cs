namespace UnifyAdmin.Demo.Salesforce.Soql;

/// <summary>A parsed SOQL query, before its names are checked against a schema.</summary>
internal sealed record SoqlQuery(
    IReadOnlyList<SoqlFieldPath> Fields,
    bool IsCount,
    string From,
    SoqlCondition? Where,
    IReadOnlyList<SoqlOrdering> OrderBy,
    int? Limit);

/// <summary>A dotted field reference such as <c>Account.Owner.Email</c>, as written.</summary>
internal sealed record SoqlFieldPath(IReadOnlyList<string> Parts)
{
    public override string ToString() => string.Join('.', Parts);
}

internal sealed record SoqlOrdering(SoqlFieldPath Field, bool Descending, bool NullsFirst);

internal enum SoqlOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

internal enum SoqlLiteralKind
{
    Null,
    String,
    Number,
    Boolean,
    Date,
    DateTime,
}

/// <summary>A literal of a WHERE clause; dates and datetimes are unquoted in SOQL.</summary>
internal sealed record SoqlLiteral(SoqlLiteralKind Kind, object? Value, string Text);

internal abstract record SoqlCondition;

internal sealed record SoqlAnd(SoqlCondition Left, SoqlCondition Right) : SoqlCondition;

internal sealed record SoqlOr(SoqlCondition Left, SoqlCondition Right) : SoqlCondition;

internal sealed record SoqlNot(SoqlCondition Operand) : SoqlCondition;

internal sealed record SoqlComparison(SoqlFieldPath Field, SoqlOperator Operator, SoqlLiteral Value) : SoqlCondition;

internal sealed record SoqlIn(SoqlFieldPath Field, IReadOnlyList<SoqlLiteral> Values, bool Negated) : SoqlCondition;

internal sealed record SoqlLike(SoqlFieldPath Field, string Pattern) : SoqlCondition;

/// <summary>A query Salesforce would reject, with the error code it would answer.</summary>
internal sealed class SoqlException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;

    public static SoqlException Malformed(string message) => new("MALFORMED_QUERY", message);
}
