using System.Text.RegularExpressions;
using FluentValidation;

namespace UnifyAdmin.Core.Destinations;

/// <summary>
/// The rules of the destination form, shared by the page (per field) and <see cref="DestinationService"/>.
/// Failures on a space carry the path <c>Spaces[i].Field</c>, so the form can show each next to its field.
/// </summary>
public sealed partial class DestinationInputValidator : AbstractValidator<DestinationInput>
{
    public const int NameMaxLength = 100;
    public const int SpaceNameMaxLength = 100;
    public const int SpaceIdMaxLength = 100;
    public const int WriteKeyMinLength = 8;
    public const int WriteKeyMaxLength = 200;
    public const int AccessTokenMaxLength = 1000;
    public const int UrlMaxLength = 300;

    public DestinationInputValidator()
    {
        RuleFor(x => x.Name)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Enter a name for the destination.")
            .MaximumLength(NameMaxLength).WithMessage($"Use at most {NameMaxLength} characters for the name.");
        RuleFor(x => x.Region).IsInEnum().WithMessage("Choose the workspace's region: US or EU.");
        RuleFor(x => x.TrackingApiUrl).Must(BeAbsoluteHttpUrl!).When(x => !string.IsNullOrWhiteSpace(x.TrackingApiUrl))
            .WithMessage("Enter an absolute http(s) URL, like https://api.segment.io, or leave it blank to use the region's endpoint.");
        RuleFor(x => x.ProfileApiUrl).Must(BeAbsoluteHttpUrl!).When(x => !string.IsNullOrWhiteSpace(x.ProfileApiUrl))
            .WithMessage("Enter an absolute http(s) URL, like https://profiles.segment.com, or leave it blank to use the region's endpoint.");
        RuleFor(x => x.Spaces).NotEmpty().WithMessage("Add at least one profile space.");
        RuleFor(x => x).Custom((input, context) =>
        {
            for (var i = 0; i < input.Spaces.Count; i++)
            {
                foreach (var (field, message) in SpaceFailures(input, i))
                {
                    context.AddFailure($"{nameof(DestinationInput.Spaces)}[{i}].{field}", message);
                }
            }
        });
    }

    /// <summary>
    /// The Segment space id rule: <c>spa_</c> followed by 1 to 96 ASCII letters or digits
    /// (e.g. <c>spa_demo</c>, <c>spa_9aQ1xzT3mK</c>). Segment's ids are <c>spa_</c> plus a base-62 string;
    /// no other characters appear in them, so anything else is a copy-paste mistake.
    /// </summary>
    public static bool IsSpaceId(string? value) => value is not null && SpaceIdPattern().IsMatch(value);

    public static bool BeAbsoluteHttpUrl(string value)
        => value.Length <= UrlMaxLength
            && Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && !string.IsNullOrEmpty(uri.Host);

    private static IEnumerable<(string Field, string Message)> SpaceFailures(DestinationInput input, int index)
    {
        var space = input.Spaces[index];
        if (string.IsNullOrWhiteSpace(space.SpaceId))
        {
            yield return (nameof(ProfileSpaceInput.SpaceId), "Enter the space id, like spa_demo.");
        }
        else if (!IsSpaceId(space.SpaceId))
        {
            yield return (nameof(ProfileSpaceInput.SpaceId), "A space id is spa_ followed by letters and digits only, like spa_9aQ1xz. Copy it from the space's settings in Segment.");
        }
        else if (input.Spaces.Take(index).Any(s => string.Equals(s.SpaceId, space.SpaceId, StringComparison.Ordinal)))
        {
            yield return (nameof(ProfileSpaceInput.SpaceId), $"{space.SpaceId} is already in this destination: remove one of the two rows.");
        }

        if (string.IsNullOrWhiteSpace(space.Name))
        {
            yield return (nameof(ProfileSpaceInput.Name), "Enter the space's name.");
        }
        else if (space.Name.Length > SpaceNameMaxLength)
        {
            yield return (nameof(ProfileSpaceInput.Name), $"Use at most {SpaceNameMaxLength} characters for the space's name.");
        }

        if (string.IsNullOrEmpty(space.WriteKey))
        {
            if (!space.HasSavedWriteKey)
            {
                yield return (nameof(ProfileSpaceInput.WriteKey), "Enter the write key of the space's internal source.");
            }
        }
        else if (HasWhitespace(space.WriteKey))
        {
            yield return (nameof(ProfileSpaceInput.WriteKey), "A write key has no spaces or line breaks: copy it again from Segment.");
        }
        else if (space.WriteKey.Length is < WriteKeyMinLength or > WriteKeyMaxLength)
        {
            yield return (nameof(ProfileSpaceInput.WriteKey), $"A write key is {WriteKeyMinLength} to {WriteKeyMaxLength} characters long: copy it again from Segment.");
        }

        if (!string.IsNullOrEmpty(space.AccessToken))
        {
            if (HasWhitespace(space.AccessToken))
            {
                yield return (nameof(ProfileSpaceInput.AccessToken), "An access token has no spaces or line breaks: copy it again from Segment.");
            }
            else if (space.AccessToken.Length > AccessTokenMaxLength)
            {
                yield return (nameof(ProfileSpaceInput.AccessToken), $"An access token is at most {AccessTokenMaxLength} characters long.");
            }
        }
    }

    private static bool HasWhitespace(string value) => value.Any(char.IsWhiteSpace);

    [GeneratedRegex("^spa_[A-Za-z0-9]{1,96}$", RegexOptions.CultureInvariant)]
    private static partial Regex SpaceIdPattern();
}
