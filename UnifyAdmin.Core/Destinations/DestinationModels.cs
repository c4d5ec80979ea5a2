using UnifyAdmin.Core.Segment;

namespace UnifyAdmin.Core.Destinations;

/// <summary>One row of the destinations list.</summary>
public sealed record DestinationSummary(Guid Id, string Name, SegmentRegion Region, int SpaceCount, bool Enabled, Guid? SourceId, string? SourceName);

/// <summary>A saved destination as pages see it: secrets are reduced to whether one is set.</summary>
public sealed record DestinationDetails(
    Guid Id,
    string Name,
    SegmentRegion Region,
    string? TrackingApiUrl,
    string? ProfileApiUrl,
    Guid? SourceId,
    string? SourceName,
    bool Enabled,
    Guid Version,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ProfileSpaceDetails> Spaces)
{
    /// <summary>A form input for the settings page, with every secret field blank ("keep the saved one").</summary>
    public DestinationInput ToInput() => new()
    {
        Name = Name,
        Region = Region,
        TrackingApiUrl = TrackingApiUrl,
        ProfileApiUrl = ProfileApiUrl,
        SourceId = SourceId,
        Enabled = Enabled,
        Version = Version,
        Spaces = Spaces.Select(s => new ProfileSpaceInput
        {
            Id = s.Id,
            SpaceId = s.SpaceId,
            Name = s.Name,
            HasSavedWriteKey = s.HasWriteKey,
            HasSavedAccessToken = s.HasAccessToken,
        }).ToList(),
    };
}

/// <summary>A saved profile space; <see cref="WriteKeyMask"/> is what a page may show instead of the key.</summary>
public sealed record ProfileSpaceDetails(Guid Id, string SpaceId, string Name, bool HasWriteKey, bool HasAccessToken, string WriteKeyMask, string AccessTokenMask);

/// <summary>The result of "Test connection" for one profile space: what happened and what to do about it.</summary>
public sealed record SpaceConnectionResult(string SpaceId, string SpaceName, bool Success, string Message);

/// <summary>A workspace offered to fill the form in one click (e.g. a test workspace the operator runs).</summary>
public sealed record DestinationPreset(string TrackingApiUrl, string ProfileApiUrl, IReadOnlyList<PresetSpace> Spaces, string Name = DestinationPreset.DefaultName)
{
    /// <summary>The name offered for the demo workspace; the add page makes it unique.</summary>
    public const string DefaultName = "Demo workspace";

    /// <summary>Fills a form with the preset's spaces and endpoints, and its name unless the admin typed one.</summary>
    public void ApplyTo(DestinationInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            input.Name = Name;
        }

        input.TrackingApiUrl = TrackingApiUrl;
        input.ProfileApiUrl = ProfileApiUrl;
        input.Spaces = Spaces.Select(s => new ProfileSpaceInput { SpaceId = s.SpaceId, Name = s.Name, WriteKey = s.WriteKey, AccessToken = s.AccessToken }).ToList();
    }
}

/// <summary>One space of a <see cref="DestinationPreset"/>.</summary>
public sealed record PresetSpace(string SpaceId, string Name, string WriteKey, string AccessToken)
{
    // Carries secrets: keep them out of anything that prints records.
    public override string ToString() => $"PresetSpace {{ SpaceId = {SpaceId}, Name = {Name} }}";
}
