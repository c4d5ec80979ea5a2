using System.Collections.Immutable;

namespace UnifyAdmin.Demo.Salesforce;

/// <summary>A record that differs from what the generator would produce: updated, inserted or deleted.</summary>
internal sealed record ChangedRecord(
    long Index,
    string Id,
    ImmutableDictionary<string, object?> Values,
    bool Inserted,
    bool IsDeleted,
    DateTime? DeletedAt,
    bool HardDeleted);

/// <summary>An object's current schema and changed records; replaced as a whole on every change, so readers hold a stable snapshot.</summary>
internal sealed record ObjectState(DemoObject Schema, ImmutableSortedDictionary<long, ChangedRecord> Changes, long NextInsertIndex);

/// <summary>A row of a query: a generated index, with the changed version when there is one.</summary>
internal readonly record struct DemoRow(long Index, ChangedRecord? Changed);

/// <summary>A compound address value, written as one JSON object next to its component fields.</summary>
internal sealed record DemoAddress(
    string? Street, string? City, string? State, string? PostalCode, string? Country, double? Latitude, double? Longitude, string? GeocodeAccuracy);

/// <summary>A consistent read-only view of the org for one request or one query cursor.</summary>
internal sealed class DemoView(DemoDataGenerator generator, IReadOnlyDictionary<string, ObjectState> objects)
{
    public DemoDataGenerator Generator => generator;

    public IEnumerable<ObjectState> Objects => objects.Values;

    public ObjectState? Object(string name) => objects.GetValueOrDefault(name);

    public long GeneratedCount(ObjectState state) => state.Schema.Noise ? 0 : generator.Count(state.Schema.Name);

    /// <summary>Finds a live or soft-deleted record by id; hard-deleted and unknown ids resolve to nothing.</summary>
    public bool TryResolve(ObjectState state, string? id, out DemoRow row)
    {
        row = default;
        if (!DemoIds.TryParse(id, state.Schema.KeyPrefix, out var index))
        {
            return false;
        }

        if (state.Changes.TryGetValue(index, out var changed))
        {
            if (changed.HardDeleted)
            {
                return false;
            }

            row = new DemoRow(index, changed);
            return true;
        }

        if (index < GeneratedCount(state))
        {
            row = new DemoRow(index, null);
            return true;
        }

        return false;
    }

    public object? Get(ObjectState state, DemoRow row, DemoField field)
    {
        var changed = row.Changed;
        switch (field.Generator)
        {
            case "Id":
                return changed?.Id ?? generator.Id(state.Schema, row.Index);
            case "IsDeleted":
                return changed?.IsDeleted ?? false;
            case "FullName":
            case "FullNameFormula":
            {
                var first = GetByName(state, row, "FirstName") as string;
                var last = GetByName(state, row, "LastName") as string;
                if (string.IsNullOrEmpty(first))
                {
                    return string.IsNullOrEmpty(last) ? null : last;
                }

                return string.IsNullOrEmpty(last) ? first : string.Concat(first, " ", last);
            }

            case "RevenueBand":
                return GetByName(state, row, "AnnualRevenue") switch
                {
                    null => null,
                    double d when d < 1_000_000 => "Small",
                    double d when d < 50_000_000 => "Mid-Market",
                    double => "Enterprise",
                    _ => null,
                };
            case { } g when g.StartsWith("Address:", StringComparison.Ordinal):
            {
                var prefix = g["Address:".Length..];
                var address = new DemoAddress(
                    GetByName(state, row, prefix + "Street") as string,
                    GetByName(state, row, prefix + "City") as string,
                    GetByName(state, row, prefix + "State") as string,
                    GetByName(state, row, prefix + "PostalCode") as string,
                    GetByName(state, row, prefix + "Country") as string,
                    GetByName(state, row, prefix + "Latitude") as double?,
                    GetByName(state, row, prefix + "Longitude") as double?,
                    GetByName(state, row, prefix + "GeocodeAccuracy") as string);
                return address == new DemoAddress(null, null, null, null, null, null, null, null) ? null : address;
            }
        }

        if (changed is not null)
        {
            if (changed.Values.TryGetValue(field.Name, out var value))
            {
                return value;
            }

            if (changed.Inserted)
            {
                return field.Kind == DemoValueKind.Boolean ? false : null;
            }
        }

        return generator.Value(state.Schema, field, row.Index);
    }

    private object? GetByName(ObjectState state, DemoRow row, string name)
    {
        var field = state.Schema.Field(name);
        return field is null ? null : Get(state, row, field);
    }
}
