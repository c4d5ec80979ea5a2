using System.Globalization;
using System.Text;

namespace UnifyAdmin.Core.Salesforce;

/// <summary>Comparison operators of SOQL <c>WHERE</c> conditions.</summary>
public enum SoqlOperator
{
    Equal,
    NotEqual,
    LessThan,
    LessOrEqual,
    GreaterThan,
    GreaterOrEqual,
    Like,
}

/// <summary>
/// A composable SOQL <c>WHERE</c> condition. Field names are checked against the describe when the
/// query is built; values are always written as escaped literals. Combine with <c>&amp;</c>, <c>|</c>, <c>!</c>.
/// </summary>
public abstract class SoqlCondition
{
    private protected SoqlCondition()
    {
    }

    public static SoqlCondition operator &(SoqlCondition left, SoqlCondition right) => new Junction("AND", left, right);

    public static SoqlCondition operator |(SoqlCondition left, SoqlCondition right) => new Junction("OR", left, right);

    public static SoqlCondition operator !(SoqlCondition condition) => new Negation(condition);

    internal abstract void Write(StringBuilder soql, Func<string, string> field);

    private sealed class Junction(string op, SoqlCondition left, SoqlCondition right) : SoqlCondition
    {
        internal override void Write(StringBuilder soql, Func<string, string> field)
        {
            soql.Append('(');
            left.Write(soql, field);
            soql.Append(' ').Append(op).Append(' ');
            right.Write(soql, field);
            soql.Append(')');
        }
    }

    private sealed class Negation(SoqlCondition inner) : SoqlCondition
    {
        internal override void Write(StringBuilder soql, Func<string, string> field)
        {
            soql.Append("(NOT ");
            inner.Write(soql, field);
            soql.Append(')');
        }
    }
}

/// <summary>Builds <see cref="SoqlCondition"/>s.</summary>
public static class Soql
{
    /// <summary><c>field = value</c> (null gives <c>field = null</c>).</summary>
    public static SoqlCondition Equal(string field, object? value) => new Comparison(field, SoqlOperator.Equal, value);

    /// <summary><c>field != value</c>.</summary>
    public static SoqlCondition NotEqual(string field, object? value) => new Comparison(field, SoqlOperator.NotEqual, value);

    /// <summary><c>field &lt; value</c>.</summary>
    public static SoqlCondition LessThan(string field, object value) => new Comparison(field, SoqlOperator.LessThan, value);

    /// <summary><c>field &lt;= value</c>.</summary>
    public static SoqlCondition LessOrEqual(string field, object value) => new Comparison(field, SoqlOperator.LessOrEqual, value);

    /// <summary><c>field &gt; value</c>.</summary>
    public static SoqlCondition GreaterThan(string field, object value) => new Comparison(field, SoqlOperator.GreaterThan, value);

    /// <summary><c>field &gt;= value</c>.</summary>
    public static SoqlCondition GreaterOrEqual(string field, object value) => new Comparison(field, SoqlOperator.GreaterOrEqual, value);

    /// <summary><c>field op value</c>.</summary>
    public static SoqlCondition Compare(string field, SoqlOperator op, object? value) => new Comparison(field, op, value);

    /// <summary><c>field LIKE 'pattern'</c>, where <c>%</c> and <c>_</c> in the pattern are wildcards.</summary>
    public static SoqlCondition Like(string field, string pattern) => new Comparison(field, SoqlOperator.Like, pattern);

    /// <summary><c>field LIKE 'text%'</c>, with <c>%</c> and <c>_</c> in the text matched literally.</summary>
    public static SoqlCondition StartsWith(string field, string text) => new LikeText(field, "", text, "%");

    /// <summary><c>field LIKE '%text%'</c>, with <c>%</c> and <c>_</c> in the text matched literally.</summary>
    public static SoqlCondition Contains(string field, string text) => new LikeText(field, "%", text, "%");

    /// <summary><c>field IN (values)</c>; at least one value.</summary>
    public static SoqlCondition In(string field, IEnumerable<object?> values) => new Membership(field, false, [.. values]);

    /// <summary><c>field NOT IN (values)</c>; at least one value.</summary>
    public static SoqlCondition NotIn(string field, IEnumerable<object?> values) => new Membership(field, true, [.. values]);

    /// <summary>
    /// A value as a SOQL literal: strings single-quoted with backslash escapes, datetimes as
    /// <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (UTC, unquoted), dates as <c>yyyy-MM-dd</c>, numbers in the
    /// invariant culture, <c>true</c>/<c>false</c>, <c>null</c>. Other types are refused.
    /// </summary>
    public static string Literal(object? value)
    {
        var soql = new StringBuilder();
        AppendLiteral(soql, value);
        return soql.ToString();
    }

    internal static void AppendLiteral(StringBuilder soql, object? value)
    {
        switch (value)
        {
            case null:
                soql.Append("null");
                break;
            case string text:
                soql.Append('\'');
                foreach (var c in text)
                {
                    AppendEscaped(soql, c);
                }

                soql.Append('\'');
                break;
            case bool flag:
                soql.Append(flag ? "true" : "false");
                break;
            case DateTimeOffset instant:
                soql.Append(instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case DateTime dateTime:
                var utc = dateTime.Kind == DateTimeKind.Local ? dateTime.ToUniversalTime() : DateTime.SpecifyKind(dateTime, DateTimeKind.Utc);
                soql.Append(utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case DateOnly date:
                soql.Append(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case int or long or short or byte or sbyte or uint or ulong or ushort or decimal:
                soql.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case double or float:
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (!double.IsFinite(d))
                {
                    throw new ArgumentException("SOQL has no literal for NaN or infinity.", nameof(value));
                }

                soql.Append(Math.Abs(d) < 7.9e27 ? ((decimal)d).ToString(CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture));
                break;
            default:
                throw new ArgumentException($"A {value.GetType().Name} cannot be written as a SOQL literal; pass a string, number, bool, DateTimeOffset, DateOnly or null.", nameof(value));
        }
    }

    internal static void AppendEscaped(StringBuilder soql, char c)
    {
        switch (c)
        {
            case '\\': soql.Append(@"\\"); break;
            case '\'': soql.Append(@"\'"); break;
            case '"': soql.Append("\\\""); break;
            case '\n': soql.Append(@"\n"); break;
            case '\r': soql.Append(@"\r"); break;
            case '\t': soql.Append(@"\t"); break;
            case '\b': soql.Append(@"\b"); break;
            case '\f': soql.Append(@"\f"); break;
            default: soql.Append(c); break;
        }
    }

    private static string Symbol(SoqlOperator op) => op switch
    {
        SoqlOperator.Equal => "=",
        SoqlOperator.NotEqual => "!=",
        SoqlOperator.LessThan => "<",
        SoqlOperator.LessOrEqual => "<=",
        SoqlOperator.GreaterThan => ">",
        SoqlOperator.GreaterOrEqual => ">=",
        SoqlOperator.Like => "LIKE",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private sealed class Comparison(string field, SoqlOperator op, object? value) : SoqlCondition
    {
        internal override void Write(StringBuilder soql, Func<string, string> resolve)
        {
            if (op == SoqlOperator.Like && value is not string)
            {
                throw new ArgumentException("LIKE needs a string pattern.");
            }

            if (value is null && op is not (SoqlOperator.Equal or SoqlOperator.NotEqual))
            {
                throw new ArgumentException($"Only = and != compare with null (field {field}).");
            }

            soql.Append(resolve(field)).Append(' ').Append(Symbol(op)).Append(' ');
            AppendLiteral(soql, value);
        }
    }

    private sealed class LikeText(string field, string prefix, string text, string suffix) : SoqlCondition
    {
        internal override void Write(StringBuilder soql, Func<string, string> resolve)
        {
            soql.Append(resolve(field)).Append(" LIKE '").Append(prefix);
            foreach (var c in text)
            {
                if (c is '%' or '_')
                {
                    soql.Append('\\').Append(c);
                }
                else
                {
                    AppendEscaped(soql, c);
                }
            }

            soql.Append(suffix).Append('\'');
        }
    }

    private sealed class Membership(string field, bool negated, object?[] values) : SoqlCondition
    {
        internal override void Write(StringBuilder soql, Func<string, string> resolve)
        {
            if (values.Length == 0)
            {
                throw new ArgumentException($"IN needs at least one value (field {field}).");
            }

            soql.Append(resolve(field)).Append(negated ? " NOT IN (" : " IN (");
            for (var i = 0; i < values.Length; i++)
            {
                if (i > 0)
                {
                    soql.Append(", ");
                }

                AppendLiteral(soql, values[i]);
            }

            soql.Append(')');
        }
    }
}

/// <summary>A query that Salesforce would refuse for its length.</summary>
public sealed class SoqlTooLongException(string message) : SalesforceException(message);

/// <summary>A field, relationship or object name that the describe does not know.</summary>
public sealed class SoqlUnknownNameException(string message, string name) : SalesforceException(message)
{
    /// <summary>The name that was not found.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// Builds SOQL from a describe: only object and field names the describe knows are emitted (in the
/// describe's spelling), and every value is an escaped literal. Immutable: each call returns a new query.
/// </summary>
public sealed class SoqlQuery
{
    /// <summary>Salesforce's limit on SOQL text.</summary>
    public const int MaxSoqlLength = 100_000;

    /// <summary>
    /// Limit on the encoded request path and query (<c>/services/data/vNN.0/query?q=…</c>). Salesforce
    /// allows 16,384 bytes for URI plus headers; 2,384 are kept for the host, bearer token and other headers.
    /// </summary>
    public const int MaxRequestPathLength = 14_000;

    private static readonly string[] CursorCandidates = ["SystemModstamp", "LastModifiedDate", "CreatedDate"];

    private readonly SalesforceObjectDescribe describe;
    private readonly IReadOnlyDictionary<string, SalesforceObjectDescribe> related;
    private readonly IReadOnlyList<string> fields;
    private readonly bool count;
    private readonly SoqlCondition? where;
    private readonly IReadOnlyList<(string Field, bool Descending)> orderBy;
    private readonly int? limit;

    private SoqlQuery(
        SalesforceObjectDescribe describe,
        IReadOnlyDictionary<string, SalesforceObjectDescribe> related,
        IReadOnlyList<string> fields,
        bool count,
        SoqlCondition? where,
        IReadOnlyList<(string, bool)> orderBy,
        int? limit)
    {
        this.describe = describe;
        this.related = related;
        this.fields = fields;
        this.count = count;
        this.where = where;
        this.orderBy = orderBy;
        this.limit = limit;
    }

    /// <summary>The object queried.</summary>
    public string ObjectName => describe.Name;

    /// <summary>Starts a query on the described object.</summary>
    public static SoqlQuery From(SalesforceObjectDescribe describe)
        => new(describe, new Dictionary<string, SalesforceObjectDescribe>(StringComparer.OrdinalIgnoreCase), [], false, null, [], null);

    /// <summary>
    /// The incremental read of the sync engine:
    /// <c>SELECT fields FROM X WHERE cursorField &gt;= (cursor − lookback) ORDER BY cursorField, Id</c>.
    /// The cursor field (default: <see cref="ChooseCursorField"/>) and <c>Id</c> are always selected; without
    /// a cursor the whole object is read in the same order. An extra filter (e.g. a model's) is ANDed.
    /// </summary>
    public static SoqlQuery Incremental(
        SalesforceObjectDescribe describe,
        IEnumerable<string> fields,
        DateTimeOffset? cursor,
        TimeSpan lookback,
        string? cursorField = null,
        SoqlCondition? filter = null)
    {
        var cursorName = cursorField ?? ChooseCursorField(describe)
            ?? throw new SoqlUnknownNameException($"{describe.Name} has none of {string.Join(", ", CursorCandidates)} to use as a cursor.", "SystemModstamp");
        var query = From(describe).Select([.. fields, "Id", cursorName]);
        if (cursor is { } from)
        {
            query = query.Where(Soql.GreaterOrEqual(cursorName, from - lookback));
        }

        if (filter is not null)
        {
            query = query.Where(filter);
        }

        return query.OrderBy(cursorName).OrderBy("Id");
    }

    /// <summary>The best cursor field the object has: SystemModstamp, else LastModifiedDate, else CreatedDate.</summary>
    public static string? ChooseCursorField(SalesforceObjectDescribe describe)
        => CursorCandidates.Select(describe.FindField).FirstOrDefault(f => f is not null)?.Name;

    /// <summary>Lets dotted fields (<c>Account.Name</c>) through one relationship, checked against the related object's describe.</summary>
    public SoqlQuery WithRelationship(string relationshipName, SalesforceObjectDescribe relatedDescribe)
    {
        var field = describe.FindRelationship(relationshipName)
            ?? throw new SoqlUnknownNameException($"{describe.Name} has no relationship \"{relationshipName}\".", relationshipName);
        var map = new Dictionary<string, SalesforceObjectDescribe>(related, StringComparer.OrdinalIgnoreCase) { [field.RelationshipName!] = relatedDescribe };
        return new SoqlQuery(describe, map, fields, count, where, orderBy, limit);
    }

    /// <summary>Adds fields to the SELECT list (duplicates are dropped).</summary>
    public SoqlQuery Select(params IEnumerable<string> names)
    {
        var list = new List<string>(fields);
        foreach (var name in names)
        {
            var resolved = Resolve(name);
            if (!list.Contains(resolved, StringComparer.OrdinalIgnoreCase))
            {
                list.Add(resolved);
            }
        }

        return new SoqlQuery(describe, related, list, false, where, orderBy, limit);
    }

    /// <summary>Turns the query into <c>SELECT COUNT() FROM …</c> with the same filter.</summary>
    public SoqlQuery Count() => new(describe, related, [], true, where, [], null);

    /// <summary>Adds a condition; several are ANDed.</summary>
    public SoqlQuery Where(SoqlCondition condition)
    {
        CheckFields(condition);
        return new SoqlQuery(describe, related, fields, count, where is null ? condition : where & condition, orderBy, limit);
    }

    /// <summary>Adds an ORDER BY key.</summary>
    public SoqlQuery OrderBy(string field, bool descending = false)
        => new(describe, related, fields, count, where, [.. orderBy, (Resolve(field), descending)], limit);

    /// <summary>Sets LIMIT.</summary>
    public SoqlQuery Limit(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        return new SoqlQuery(describe, related, fields, count, where, orderBy, rows);
    }

    /// <summary>The SOQL text; throws <see cref="SoqlTooLongException"/> when Salesforce would refuse its length.</summary>
    public string ToSoql()
    {
        if (!count && fields.Count == 0)
        {
            throw new InvalidOperationException($"The query on {describe.Name} selects no fields.");
        }

        var soql = new StringBuilder("SELECT ");
        soql.Append(count ? "COUNT()" : string.Join(", ", fields));
        soql.Append(" FROM ").Append(describe.Name);
        if (where is not null)
        {
            soql.Append(" WHERE ");
            where.Write(soql, Resolve);
        }

        if (orderBy.Count > 0)
        {
            soql.Append(" ORDER BY ").AppendJoin(", ", orderBy.Select(o => o.Descending ? o.Field + " DESC" : o.Field));
        }

        if (limit is { } rows)
        {
            soql.Append(" LIMIT ").Append(rows.ToString(CultureInfo.InvariantCulture));
        }

        var text = soql.ToString();
        if (text.Length > MaxSoqlLength)
        {
            throw new SoqlTooLongException($"The query on {describe.Name} is {text.Length} characters; SOQL allows {MaxSoqlLength}. Select fewer than {fields.Count} fields.");
        }

        var encoded = Uri.EscapeDataString(text).Length + 40;
        if (encoded > MaxRequestPathLength)
        {
            throw new SoqlTooLongException(
                $"The query on {describe.Name} selects {fields.Count} fields and would make a {encoded}-byte request URL; Salesforce allows about {MaxRequestPathLength}. Select fewer fields or split them over several queries joined by Id.");
        }

        return text;
    }

    public override string ToString() => ToSoql();

    private void CheckFields(SoqlCondition condition) => condition.Write(new StringBuilder(), Resolve);

    /// <summary>The describe's spelling of a field or one-hop relationship path; unknown names throw.</summary>
    private string Resolve(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return describe.FindField(name)?.Name
                ?? throw new SoqlUnknownNameException($"{describe.Name} has no field \"{name}\".", name);
        }

        var relationship = name[..dot];
        var rest = name[(dot + 1)..];
        if (rest.Contains('.', StringComparison.Ordinal))
        {
            throw new SoqlUnknownNameException($"Only one relationship hop is supported: \"{name}\".", name);
        }

        var reference = describe.FindRelationship(relationship)
            ?? throw new SoqlUnknownNameException($"{describe.Name} has no relationship \"{relationship}\".", relationship);
        if (!related.TryGetValue(reference.RelationshipName!, out var target))
        {
            throw new SoqlUnknownNameException($"The relationship \"{relationship}\" needs its object's describe (WithRelationship) before \"{name}\" can be used.", name);
        }

        var field = target.FindField(rest)
            ?? throw new SoqlUnknownNameException($"{target.Name} (through {reference.RelationshipName}) has no field \"{rest}\".", name);
        return reference.RelationshipName + "." + field.Name;
    }
}
