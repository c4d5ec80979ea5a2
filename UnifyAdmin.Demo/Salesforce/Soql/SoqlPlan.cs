using System.Text;
using System.Text.RegularExpressions;

namespace UnifyAdmin.Demo.Salesforce.Soql;

/// <summary>A field reached from the queried object, possibly through parent relationships.</summary>
internal sealed class BoundPath(DemoView view, IReadOnlyList<(DemoField Reference, ObjectState Target)> hops, ObjectState baseState, ObjectState owner, DemoField target)
{
    public DemoField Field => target;

    public bool IsDirect => hops.Count == 0;

    public object? Evaluate(DemoRow row)
    {
        var state = baseState;
        foreach (var (reference, target) in hops)
        {
            if (!view.TryResolve(target, view.Get(state, row, reference) as string, out row))
            {
                return null;
            }

            state = target;
        }

        return view.Get(owner, row, target);
    }
}

/// <summary>What to write for one level of a record: plain fields and nested parent records, in SELECT order.</summary>
internal sealed class SelectNode(ObjectState state)
{
    private string? urlPrefix;

    public ObjectState State => state;

    public System.Text.Json.JsonEncodedText TypeName { get; } = System.Text.Json.JsonEncodedText.Encode(state.Schema.Name);

    /// <summary>The record URL up to the id; the version is fixed per query, so it is built once.</summary>
    public string UrlPrefix(string version) => urlPrefix ??= $"/services/data/v{version}/sobjects/{state.Schema.Name}/";

    public List<SelectItem> Items { get; } = [];
}

internal abstract record SelectItem;

internal sealed record LeafItem(DemoField Field) : SelectItem
{
    /// <summary>Pre-encoded, because it is written once per row.</summary>
    public System.Text.Json.JsonEncodedText JsonName { get; } = System.Text.Json.JsonEncodedText.Encode(Field.Name);
}

internal sealed record RelationItem(DemoField Reference, SelectNode Child) : SelectItem
{
    public System.Text.Json.JsonEncodedText JsonName { get; } = System.Text.Json.JsonEncodedText.Encode(Reference.RelationshipName!);
}

/// <summary>A query bound to one view of the org: names resolved, filters compiled, rows produced lazily.</summary>
internal sealed class SoqlPlan
{
    private readonly DemoView view;
    private readonly Func<DemoRow, bool>? fullFilter;
    private readonly Func<DemoRow, bool>? residualFilter;
    private readonly long rangeStart;
    private readonly long rangeEnd;
    private readonly List<(BoundPath Path, SoqlOrdering Ordering)> generalOrder = [];

    private SoqlPlan(DemoView view, SoqlQuery query, ObjectState state, bool includeDeleted)
    {
        this.view = view;
        Query = query;
        State = state;
        IncludeDeleted = includeDeleted;
        Select = new SelectNode(state);
        var generated = view.GeneratedCount(state);
        rangeStart = 0;
        rangeEnd = generated;

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in query.Fields)
        {
            var bound = Bind(path, forFilter: false);
            if (!seen.Add(string.Join('.', NormalizedParts(path))))
            {
                throw SoqlException.Malformed($"duplicate field selected: {path}");
            }

            AddToSelect(path, bound);
        }

        if (query.Where is not null)
        {
            fullFilter = Compile(query.Where);
            var residual = new List<SoqlCondition>();
            foreach (var conjunct in Conjuncts(query.Where))
            {
                if (!TryNarrowRange(conjunct, generated, ref rangeStart, ref rangeEnd))
                {
                    residual.Add(conjunct);
                }
            }

            residualFilter = residual.Count == 0 ? null : Compile(residual.Aggregate((a, b) => new SoqlAnd(a, b)));
        }

        foreach (var ordering in query.OrderBy)
        {
            var bound = Bind(ordering.Field, forFilter: true);
            if (!Sortable(bound.Field))
            {
                throw new SoqlException("INVALID_FIELD", $"field '{bound.Field.Name}' can not be sorted in a query call");
            }

            generalOrder.Add((bound, ordering));
        }

        Mode = ChooseMode();
    }

    public SoqlQuery Query { get; }

    public DemoView View => view;

    public ObjectState State { get; }

    public bool IncludeDeleted { get; }

    public SelectNode Select { get; }

    /// <summary>Natural and timestamp orders stream from index ranges; anything else sorts in memory.</summary>
    public SoqlOrderMode Mode { get; }

    public static SoqlPlan Create(DemoView view, string? soql, bool includeDeleted)
    {
        var query = SoqlParser.Parse(soql);
        var state = view.Object(query.From);
        if (state is null)
        {
            throw new SoqlException("INVALID_TYPE",
                $"sObject type '{query.From}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.");
        }

        if (!state.Schema.Queryable)
        {
            throw new SoqlException("INVALID_TYPE", $"entity type {state.Schema.Name} does not support query");
        }

        return new SoqlPlan(view, query, state, includeDeleted);
    }

    private SoqlOrderMode ChooseMode()
    {
        if (generalOrder.Count == 0)
        {
            return SoqlOrderMode.Natural;
        }

        var first = generalOrder[0];
        var idThen = generalOrder.Count == 1 || (generalOrder.Count == 2 && IsIdAscending(generalOrder[1]));
        if (generalOrder.Count == 1 && IsIdAscending(first))
        {
            return SoqlOrderMode.Natural;
        }

        if (first.Path.IsDirect && first.Path.Field.IsSystemTimestamp && !first.Ordering.Descending && idThen)
        {
            return SoqlOrderMode.Timestamp;
        }

        return SoqlOrderMode.General;
    }

    private static bool IsIdAscending((BoundPath Path, SoqlOrdering Ordering) o) =>
        o.Path.IsDirect && o.Path.Field.Generator == "Id" && !o.Ordering.Descending;

    private IEnumerable<string> NormalizedParts(SoqlFieldPath path) =>
        path.Parts.Count > 1 && path.Parts[0].Equals(State.Schema.Name, StringComparison.OrdinalIgnoreCase) ? path.Parts.Skip(1) : path.Parts;

    private BoundPath Bind(SoqlFieldPath path, bool forFilter)
    {
        var parts = NormalizedParts(path).ToList();
        var hops = new List<(DemoField, ObjectState)>();
        var current = State;
        for (var i = 0; i < parts.Count - 1; i++)
        {
            var reference = current.Schema.Relationship(parts[i]);
            var target = reference?.ReferenceTo is null ? null : view.Object(reference.ReferenceTo);
            if (reference is null || target is null)
            {
                throw new SoqlException("INVALID_FIELD",
                    $"Didn't understand relationship '{parts[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");
            }

            hops.Add((reference, target));
            current = target;
        }

        var field = current.Schema.Field(parts[^1]);
        if (field is null)
        {
            throw new SoqlException("INVALID_FIELD",
                $"No such column '{parts[^1]}' on entity '{current.Schema.Name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");
        }

        if (forFilter && field.Kind == DemoValueKind.Address)
        {
            throw new SoqlException("INVALID_FIELD", $"field '{field.Name}' can not be filtered in a query call");
        }

        return new BoundPath(view, hops, State, current, field);
    }

    private static bool Sortable(DemoField field) => field.Kind != DemoValueKind.Address && field.Type != "textarea";

    private void AddToSelect(SoqlFieldPath path, BoundPath bound)
    {
        var parts = NormalizedParts(path).ToList();
        var node = Select;
        for (var i = 0; i < parts.Count - 1; i++)
        {
            var reference = node.State.Schema.Relationship(parts[i])!;
            var existing = node.Items.OfType<RelationItem>().FirstOrDefault(r => r.Reference.Name == reference.Name);
            if (existing is null)
            {
                existing = new RelationItem(reference, new SelectNode(view.Object(reference.ReferenceTo!)!));
                node.Items.Add(existing);
            }

            node = existing.Child;
        }

        node.Items.Add(new LeafItem(bound.Field));
    }

    private static IEnumerable<SoqlCondition> Conjuncts(SoqlCondition condition) => condition is SoqlAnd and
        ? Conjuncts(and.Left).Concat(Conjuncts(and.Right))
        : [condition];

    private bool TryNarrowRange(SoqlCondition condition, long generated, ref long start, ref long end)
    {
        if (condition is not SoqlComparison { Value.Kind: SoqlLiteralKind.DateTime } comparison || comparison.Operator == SoqlOperator.NotEqual)
        {
            return false;
        }

        var bound = Bind(comparison.Field, forFilter: true);
        if (!bound.IsDirect || !bound.Field.IsSystemTimestamp)
        {
            return false;
        }

        var modstamp = bound.Field.Generator == "SystemModstamp";
        var value = (DateTime)comparison.Value.Value!;
        var generator = view.Generator;
        switch (comparison.Operator)
        {
            case SoqlOperator.GreaterOrEqual:
                start = Math.Max(start, generator.FirstIndexAtOrAfter(modstamp, generated, value));
                break;
            case SoqlOperator.Greater:
                start = Math.Max(start, generator.FirstIndexAfter(modstamp, generated, value));
                break;
            case SoqlOperator.Less:
                end = Math.Min(end, generator.FirstIndexAtOrAfter(modstamp, generated, value));
                break;
            case SoqlOperator.LessOrEqual:
                end = Math.Min(end, generator.FirstIndexAfter(modstamp, generated, value));
                break;
            default:
                start = Math.Max(start, generator.FirstIndexAtOrAfter(modstamp, generated, value));
                end = Math.Min(end, generator.FirstIndexAfter(modstamp, generated, value));
                break;
        }

        return true;
    }

    private Func<DemoRow, bool> Compile(SoqlCondition condition)
    {
        switch (condition)
        {
            case SoqlAnd and:
            {
                var left = Compile(and.Left);
                var right = Compile(and.Right);
                return row => left(row) && right(row);
            }

            case SoqlOr or:
            {
                var left = Compile(or.Left);
                var right = Compile(or.Right);
                return row => left(row) || right(row);
            }

            case SoqlNot not:
            {
                var operand = Compile(not.Operand);
                return row => !operand(row);
            }

            case SoqlComparison comparison:
            {
                var path = Bind(comparison.Field, forFilter: true);
                var literal = Convert(path.Field, comparison.Value);
                var caseSensitive = IsIdLike(path.Field);
                return comparison.Operator switch
                {
                    SoqlOperator.Equal => row => SoqlValues.AreEqual(path.Evaluate(row), literal, caseSensitive),
                    SoqlOperator.NotEqual => row => !SoqlValues.AreEqual(path.Evaluate(row), literal, caseSensitive),
                    SoqlOperator.Less => row => SoqlValues.CompareNonNull(path.Evaluate(row), literal, caseSensitive) is < 0,
                    SoqlOperator.LessOrEqual => row => SoqlValues.CompareNonNull(path.Evaluate(row), literal, caseSensitive) is <= 0,
                    SoqlOperator.Greater => row => SoqlValues.CompareNonNull(path.Evaluate(row), literal, caseSensitive) is > 0,
                    _ => row => SoqlValues.CompareNonNull(path.Evaluate(row), literal, caseSensitive) is >= 0,
                };
            }

            case SoqlIn @in:
            {
                var path = Bind(@in.Field, forFilter: true);
                var values = @in.Values.Select(v => Convert(path.Field, v)).ToArray();
                var caseSensitive = IsIdLike(path.Field);
                var negated = @in.Negated;
                return row =>
                {
                    var value = path.Evaluate(row);
                    var found = values.Any(v => SoqlValues.AreEqual(value, v, caseSensitive));
                    return negated ? !found && value is not null : found;
                };
            }

            case SoqlLike like:
            {
                var path = Bind(like.Field, forFilter: true);
                if (path.Field.Kind != DemoValueKind.Text)
                {
                    throw new SoqlException("INVALID_FIELD", $"invalid operator on {path.Field.Type} field: {path.Field.Name} LIKE");
                }

                var regex = LikeToRegex(like.Pattern);
                return row => path.Evaluate(row) is string s && regex.IsMatch(s);
            }

            default:
                throw SoqlException.Malformed("unsupported condition");
        }
    }

    private static bool IsIdLike(DemoField field) => field.Type is "id" or "reference";

    private static object? Convert(DemoField field, SoqlLiteral literal)
    {
        if (literal.Kind == SoqlLiteralKind.Null)
        {
            return null;
        }

        object? value = (field.Kind, literal.Kind) switch
        {
            (DemoValueKind.Text, SoqlLiteralKind.String) => IsIdLike(field) ? DemoIds.To18((string)literal.Value!) : literal.Value,
            (DemoValueKind.Boolean, SoqlLiteralKind.Boolean) => literal.Value,
            (DemoValueKind.Integer or DemoValueKind.Number, SoqlLiteralKind.Number) => (double)(decimal)literal.Value!,
            (DemoValueKind.Date, SoqlLiteralKind.Date) => literal.Value,
            (DemoValueKind.DateTime, SoqlLiteralKind.DateTime) => literal.Value,
            _ => null,
        };
        if (value is not null)
        {
            return value;
        }

        var expected = field.Kind switch
        {
            DemoValueKind.Text => "string and should be enclosed in quotes",
            DemoValueKind.Boolean => "boolean and should not be enclosed in quotes",
            DemoValueKind.Date => "date and should not be enclosed in quotes",
            DemoValueKind.DateTime => "dateTime and should not be enclosed in quotes",
            _ => "double and should not be enclosed in quotes",
        };
        throw new SoqlException("INVALID_FIELD", $"value of filter criterion for field '{field.Name}' must be of type {expected}");
    }

    private static Regex LikeToRegex(string raw)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\\' && i + 1 < raw.Length)
            {
                var next = raw[++i];
                var literal = next switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => next };
                pattern.Append(Regex.Escape(literal.ToString()));
            }
            else if (c == '%')
            {
                pattern.Append("[\\s\\S]*");
            }
            else if (c == '_')
            {
                pattern.Append("[\\s\\S]");
            }
            else
            {
                pattern.Append(Regex.Escape(c.ToString()));
            }
        }

        pattern.Append('$');
        return new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    private bool Visible(ChangedRecord changed) => !changed.HardDeleted && (IncludeDeleted || !changed.IsDeleted);

    private bool MatchesChanged(DemoRow row) => Visible(row.Changed!) && (fullFilter is null || fullFilter(row));

    private bool MatchesGenerated(DemoRow row) => residualFilter is null || residualFilter(row);

    /// <summary>Rows in query order, produced on demand; LIMIT applied.</summary>
    public IEnumerable<DemoRow> Rows()
    {
        var rows = Mode switch
        {
            SoqlOrderMode.Natural => NaturalRows(),
            SoqlOrderMode.Timestamp => TimestampRows(),
            _ => SortedRows(),
        };
        return Query.Limit is { } limit ? rows.Take(limit) : rows;
    }

    /// <summary>The number of rows the query returns, computed without walking the rows when only timestamp ranges filter.</summary>
    public long Count()
    {
        long count;
        if (residualFilter is null && Mode != SoqlOrderMode.General)
        {
            var generatedInRange = rangeEnd - rangeStart;
            var changedMatching = 0L;
            var generated = view.GeneratedCount(State);
            foreach (var changed in State.Changes.Values)
            {
                if (changed.Index >= rangeStart && changed.Index < rangeEnd && changed.Index < generated)
                {
                    generatedInRange--;
                }

                if (MatchesChanged(new DemoRow(changed.Index, changed)))
                {
                    changedMatching++;
                }
            }

            count = generatedInRange + changedMatching;
        }
        else
        {
            count = 0;
            foreach (var _ in Mode == SoqlOrderMode.General ? NaturalRows() : Rows())
            {
                count++;
            }
        }

        return Query.Limit is { } limit ? Math.Min(count, limit) : count;
    }

    private IEnumerable<DemoRow> GeneratedRows()
    {
        var changes = State.Changes;
        for (var i = rangeStart; i < rangeEnd; i++)
        {
            if (changes.Count > 0 && changes.ContainsKey(i))
            {
                continue;
            }

            var row = new DemoRow(i, null);
            if (MatchesGenerated(row))
            {
                yield return row;
            }
        }
    }

    private IEnumerable<DemoRow> NaturalRows()
    {
        var changed = State.Changes.Values.Select(c => new DemoRow(c.Index, c)).Where(MatchesChanged);
        return Merge(GeneratedRows(), changed, (a, b) => a.Index.CompareTo(b.Index));
    }

    private IEnumerable<DemoRow> TimestampRows()
    {
        var field = generalOrder[0].Path.Field;
        var changed = State.Changes.Values
            .Select(c => new DemoRow(c.Index, c))
            .Where(MatchesChanged)
            .OrderBy(r => (DateTime)view.Get(State, r, field)!)
            .ThenBy(r => r.Index)
            .ToList();
        Comparison<DemoRow> compare = (a, b) =>
        {
            var byTime = ((DateTime)view.Get(State, a, field)!).CompareTo((DateTime)view.Get(State, b, field)!);
            return byTime != 0 ? byTime : a.Index.CompareTo(b.Index);
        };
        return Merge(GeneratedRows(), changed, compare);
    }

    private IEnumerable<DemoRow> SortedRows()
    {
        var keyed = NaturalRows()
            .Select(row => (Row: row, Keys: generalOrder.Select(o => o.Path.Evaluate(row)).ToArray()))
            .ToList();
        keyed.Sort((a, b) =>
        {
            for (var i = 0; i < generalOrder.Count; i++)
            {
                var ordering = generalOrder[i].Ordering;
                var result = SoqlValues.CompareForSort(a.Keys[i], b.Keys[i], ordering.NullsFirst, IsIdLike(generalOrder[i].Path.Field));
                if (result != 0)
                {
                    return ordering.Descending && a.Keys[i] is not null && b.Keys[i] is not null ? -result : result;
                }
            }

            return a.Row.Index.CompareTo(b.Row.Index);
        });
        return keyed.Select(k => k.Row);
    }

    private static IEnumerable<DemoRow> Merge(IEnumerable<DemoRow> first, IEnumerable<DemoRow> second, Comparison<DemoRow> compare)
    {
        using var a = first.GetEnumerator();
        using var b = second.GetEnumerator();
        var hasA = a.MoveNext();
        var hasB = b.MoveNext();
        while (hasA || hasB)
        {
            if (hasA && (!hasB || compare(a.Current, b.Current) <= 0))
            {
                yield return a.Current;
                hasA = a.MoveNext();
            }
            else
            {
                yield return b.Current;
                hasB = b.MoveNext();
            }
        }
    }
}

internal enum SoqlOrderMode
{
    Natural,
    Timestamp,
    General,
}

/// <summary>SOQL comparison rules: text compares case-insensitively (ids do not), null only equals null.</summary>
internal static class SoqlValues
{
    public static bool AreEqual(object? value, object? literal, bool caseSensitive)
    {
        if (value is null || literal is null)
        {
            return value is null && literal is null;
        }

        return Compare(value, literal, caseSensitive) == 0;
    }

    public static int? CompareNonNull(object? value, object? literal, bool caseSensitive) =>
        value is null || literal is null ? null : Compare(value, literal, caseSensitive);

    public static int CompareForSort(object? a, object? b, bool nullsFirst, bool caseSensitive)
    {
        if (a is null || b is null)
        {
            if (a is null && b is null)
            {
                return 0;
            }

            return (a is null) == nullsFirst ? -1 : 1;
        }

        return Compare(a, b, caseSensitive);
    }

    public static int Compare(object a, object b, bool caseSensitive) => (a, b) switch
    {
        (string x, string y) => caseSensitive ? string.CompareOrdinal(x, y) : string.Compare(x, y, StringComparison.OrdinalIgnoreCase),
        (bool x, bool y) => x.CompareTo(y),
        (DateTime x, DateTime y) => x.CompareTo(y),
        (DateOnly x, DateOnly y) => x.CompareTo(y),
        (long x, long y) => x.CompareTo(y),
        (double or long or int or decimal, double or long or int or decimal) => System.Convert.ToDouble(a, System.Globalization.CultureInfo.InvariantCulture)
            .CompareTo(System.Convert.ToDouble(b, System.Globalization.CultureInfo.InvariantCulture)),
        _ => string.Compare(
            System.Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture),
            System.Convert.ToString(b, System.Globalization.CultureInfo.InvariantCulture),
            StringComparison.OrdinalIgnoreCase),
    };
}
