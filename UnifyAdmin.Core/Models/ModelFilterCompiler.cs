using System.Globalization;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Core.Models;

/// <summary>A compiled filter, or the messages that say which condition to fix.</summary>
public sealed record CompiledFilter(SoqlCondition? Condition, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Compiles a model's filter rows into a SOQL condition. Each value is typed by its field's describe
/// (a date must be a date, a number a number) and escaped by the SOQL builder; no raw SOQL is accepted.
/// </summary>
public static class ModelFilterCompiler
{
    /// <param name="filter">The rows; null or empty compiles to no condition.</param>
    /// <param name="findField">Looks up a field path (<c>Email</c> or <c>Account.Industry</c>) in the describes.</param>
    public static CompiledFilter Compile(ModelFilter? filter, Func<string, SalesforceField?> findField)
    {
        if (filter is null || filter.Conditions.Count == 0)
        {
            return new CompiledFilter(null, []);
        }

        var errors = new List<string>();
        SoqlCondition? result = null;
        foreach (var (row, index) in filter.Conditions.Select((c, i) => (c, i + 1)))
        {
            var field = string.IsNullOrWhiteSpace(row.Field) ? null : findField(row.Field);
            if (field is null)
            {
                errors.Add(string.IsNullOrWhiteSpace(row.Field)
                    ? $"Filter row {index}: choose a field."
                    : $"Filter row {index}: the field `{row.Field}` does not exist in the org (any more).");
                continue;
            }

            var condition = Condition(row, field, index, errors);
            if (condition is not null)
            {
                result = result is null ? condition : filter.Join == FilterJoin.Or ? result | condition : result & condition;
            }
        }

        return errors.Count > 0 ? new CompiledFilter(null, errors) : new CompiledFilter(result, []);
    }

    /// <summary>The operators that make sense for a describe type.</summary>
    public static IReadOnlyList<FilterOperator> OperatorsFor(string fieldType) => Kind(fieldType) switch
    {
        ValueKind.Boolean => [FilterOperator.Equals, FilterOperator.NotEquals],
        ValueKind.Text => [FilterOperator.Equals, FilterOperator.NotEquals, FilterOperator.Contains, FilterOperator.StartsWith, FilterOperator.In, FilterOperator.NotIn, FilterOperator.IsNull, FilterOperator.IsNotNull],
        ValueKind.Picklist => [FilterOperator.Equals, FilterOperator.NotEquals, FilterOperator.In, FilterOperator.NotIn, FilterOperator.IsNull, FilterOperator.IsNotNull],
        _ => [FilterOperator.Equals, FilterOperator.NotEquals, FilterOperator.LessThan, FilterOperator.LessOrEqual, FilterOperator.GreaterThan, FilterOperator.GreaterOrEqual, FilterOperator.IsNull, FilterOperator.IsNotNull],
    };

    private static SoqlCondition? Condition(FilterCondition row, SalesforceField field, int index, List<string> errors)
    {
        if (!OperatorsFor(field.Type).Contains(row.Operator))
        {
            errors.Add($"Filter row {index}: `{row.Field}` is a {field.Type} field; \"{row.Operator}\" does not apply to it.");
            return null;
        }

        switch (row.Operator)
        {
            case FilterOperator.IsNull:
                return Soql.Equal(row.Field, null);
            case FilterOperator.IsNotNull:
                return Soql.NotEqual(row.Field, null);
            case FilterOperator.Contains:
            case FilterOperator.StartsWith:
                if (string.IsNullOrEmpty(row.Value))
                {
                    errors.Add($"Filter row {index}: enter the text `{row.Field}` should {(row.Operator == FilterOperator.Contains ? "contain" : "start with")}.");
                    return null;
                }

                return row.Operator == FilterOperator.Contains ? Soql.Contains(row.Field, row.Value) : Soql.StartsWith(row.Field, row.Value);
            case FilterOperator.In:
            case FilterOperator.NotIn:
                var parts = (row.Value ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (parts.Length == 0)
                {
                    errors.Add($"Filter row {index}: enter at least one value for `{row.Field}`, one per line.");
                    return null;
                }

                var values = new List<object?>();
                foreach (var part in parts)
                {
                    if (Typed(part, field, index, row.Field, errors) is { } typed)
                    {
                        values.Add(typed);
                    }
                    else
                    {
                        return null;
                    }
                }

                return row.Operator == FilterOperator.In ? Soql.In(row.Field, values) : Soql.NotIn(row.Field, values);
            default:
                if (row.Value is null || (row.Value.Length == 0 && Kind(field.Type) != ValueKind.Text))
                {
                    errors.Add($"Filter row {index}: enter a value for `{row.Field}`.");
                    return null;
                }

                var value = Typed(row.Value, field, index, row.Field, errors);
                return value is null ? null : Soql.Compare(row.Field, Operator(row.Operator), value);
        }
    }

    private static object? Typed(string text, SalesforceField field, int index, string name, List<string> errors)
    {
        switch (Kind(field.Type))
        {
            case ValueKind.Boolean:
                if (bool.TryParse(text.Trim(), out var flag))
                {
                    return flag;
                }

                errors.Add($"Filter row {index}: `{name}` is a checkbox; choose true or false (got \"{text}\").");
                return null;
            case ValueKind.Number:
                if (decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return number;
                }

                errors.Add($"Filter row {index}: `{name}` is a number; enter digits such as 42 or 12.5 (got \"{text}\").");
                return null;
            case ValueKind.Date:
                if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return date;
                }

                errors.Add($"Filter row {index}: `{name}` is a date; enter it as YYYY-MM-DD (got \"{text}\").");
                return null;
            case ValueKind.DateTime:
                if (SalesforceDateTime.TryParseDateTime(text.Trim().AsSpan(), out var instant)
                    || DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant))
                {
                    return instant;
                }

                if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                }

                errors.Add($"Filter row {index}: `{name}` is a date and time; enter it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (got \"{text}\").");
                return null;
            default:
                return text;
        }
    }

    private static SoqlOperator Operator(FilterOperator op) => op switch
    {
        FilterOperator.Equals => SoqlOperator.Equal,
        FilterOperator.NotEquals => SoqlOperator.NotEqual,
        FilterOperator.LessThan => SoqlOperator.LessThan,
        FilterOperator.LessOrEqual => SoqlOperator.LessOrEqual,
        FilterOperator.GreaterThan => SoqlOperator.GreaterThan,
        FilterOperator.GreaterOrEqual => SoqlOperator.GreaterOrEqual,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static ValueKind Kind(string fieldType) => fieldType.ToLowerInvariant() switch
    {
        "boolean" => ValueKind.Boolean,
        "int" or "long" or "double" or "currency" or "percent" => ValueKind.Number,
        "date" => ValueKind.Date,
        "datetime" => ValueKind.DateTime,
        "picklist" or "multipicklist" => ValueKind.Picklist,
        _ => ValueKind.Text,
    };

    private enum ValueKind
    {
        Text,
        Picklist,
        Boolean,
        Number,
        Date,
        DateTime,
    }
}
