using UnifyAdmin.Core.Models;

namespace UnifyAdmin.Features.Models;

/// <summary>Words for filter operators, as people read them.</summary>
public static class FilterLabels
{
    public static string Of(FilterOperator op) => op switch
    {
        FilterOperator.Equals => "equals",
        FilterOperator.NotEquals => "does not equal",
        FilterOperator.LessThan => "is less than",
        FilterOperator.LessOrEqual => "is at most",
        FilterOperator.GreaterThan => "is greater than",
        FilterOperator.GreaterOrEqual => "is at least",
        FilterOperator.Contains => "contains",
        FilterOperator.StartsWith => "starts with",
        FilterOperator.In => "is one of",
        FilterOperator.NotIn => "is none of",
        FilterOperator.IsNull => "is empty",
        FilterOperator.IsNotNull => "is not empty",
        _ => op.ToString(),
    };

    /// <summary>A filter as one line, e.g. <c>LeadSource equals "Web" AND …</c>.</summary>
    public static string Describe(ModelFilter? filter)
    {
        if (filter is null || filter.Conditions.Count == 0)
        {
            return "No filter: every record of the collection.";
        }

        var join = filter.Join == FilterJoin.Or ? " OR " : " AND ";
        return string.Join(join, filter.Conditions.Select(c => c.Operator is FilterOperator.IsNull or FilterOperator.IsNotNull
            ? $"{c.Field} {Of(c.Operator)}"
            : $"{c.Field} {Of(c.Operator)} \"{(c.Value ?? "").Replace("\n", "\", \"", StringComparison.Ordinal)}\""));
    }

    /// <summary>What kind of editor a describe type gets.</summary>
    public static string EditorFor(string type) => type.ToLowerInvariant() switch
    {
        "boolean" => "boolean",
        "int" or "long" or "double" or "currency" or "percent" => "number",
        "date" => "date",
        "datetime" => "datetime",
        "picklist" or "multipicklist" => "picklist",
        _ => "text",
    };
}
