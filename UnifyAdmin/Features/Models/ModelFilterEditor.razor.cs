using System.Globalization;
using Microsoft.AspNetCore.Components;
using UnifyAdmin.Core.Models;
using FilterOperator = UnifyAdmin.Core.Models.FilterOperator;

namespace UnifyAdmin.Features.Models;

/// <summary>Filter rows with an editor fit for each field's type; values are kept as the text the compiler reads.</summary>
public sealed partial class ModelFilterEditor
{
    [Parameter, EditorRequired]
    public required List<FilterRow> Rows { get; set; }

    [Parameter]
    public FilterJoin Join { get; set; }

    [Parameter]
    public EventCallback<FilterJoin> JoinChanged { get; set; }

    /// <summary>The fields a condition can test (the collection's and its parents').</summary>
    [Parameter, EditorRequired]
    public required IReadOnlyList<ModelFieldOption> Fields { get; set; }

    /// <summary>Messages from compiling the filter, shown under the rows.</summary>
    [Parameter]
    public IReadOnlyList<string> Errors { get; set; } = [];

    [Parameter]
    public EventCallback OnChanged { get; set; }

    private ModelFieldOption? Find(string path) => Fields.FirstOrDefault(f => string.Equals(f.Path, path, StringComparison.OrdinalIgnoreCase));

    private static string EditorKind(ModelFieldOption field, FilterRow row)
    {
        if (row.Operator is FilterOperator.IsNull or FilterOperator.IsNotNull)
        {
            return "none";
        }

        var many = row.Operator is FilterOperator.In or FilterOperator.NotIn;
        return FilterLabels.EditorFor(field.Type) switch
        {
            "picklist" => many ? "picklist-many" : "picklist",
            "datetime" => "date",
            "text" => many ? "text-many" : "text",
            var kind => kind,
        };
    }

    private static decimal? Number(string? value)
        => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static DateTime? Day(string? value)
        => DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static IReadOnlyCollection<string> Lines(string? value) => (value ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string DateLabel(ModelFieldOption field) => field.Type == "datetime" ? "Date (00:00 UTC)" : "Date";

    private Task SetDayAsync(FilterRow row, DateTime? day) => SetValueAsync(row, day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    private Task SetNumberAsync(FilterRow row, decimal? value) => SetValueAsync(row, value?.ToString(CultureInfo.InvariantCulture));

    private Task SetManyAsync(FilterRow row, IEnumerable<string>? values) => SetValueAsync(row, string.Join('\n', values ?? []));

    private async Task SetFieldAsync(FilterRow row, string path)
    {
        row.Field = path;
        row.Operator = Find(path) is { } field ? ModelFilterCompiler.OperatorsFor(field.Type)[0] : FilterOperator.Equals;
        row.Value = null;
        await OnChanged.InvokeAsync();
    }

    private async Task SetOperatorAsync(FilterRow row, FilterOperator op)
    {
        var wasMany = row.Operator is FilterOperator.In or FilterOperator.NotIn;
        row.Operator = op;
        if (op is FilterOperator.IsNull or FilterOperator.IsNotNull || wasMany != (op is FilterOperator.In or FilterOperator.NotIn))
        {
            row.Value = null;
        }

        await OnChanged.InvokeAsync();
    }

    private async Task SetValueAsync(FilterRow row, string? value)
    {
        row.Value = value;
        await OnChanged.InvokeAsync();
    }

    private async Task SetJoinAsync(FilterJoin join)
    {
        Join = join;
        await JoinChanged.InvokeAsync(join);
        await OnChanged.InvokeAsync();
    }

    private async Task AddAsync()
    {
        Rows.Add(new FilterRow());
        await OnChanged.InvokeAsync();
    }

    private async Task RemoveAsync(FilterRow row)
    {
        Rows.Remove(row);
        await OnChanged.InvokeAsync();
    }
}
