using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace UnifyAdmin.Core.Persistence;

/// <summary>Stores a <see cref="DateTimeOffset"/> as UTC ticks so SQLite can order and compare it.</summary>
public sealed class DateTimeOffsetToUtcTicksConverter()
    : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
