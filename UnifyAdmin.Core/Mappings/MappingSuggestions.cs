using System.Text;

namespace UnifyAdmin.Core.Mappings;

/// <summary>A field suggested for an identifier, with why; the editor offers it, it never picks it.</summary>
public sealed record IdSuggestion(string Path, string Reason);

/// <summary>One-click traits with names Segment reserves (firstName, email, address.city, company.name, …).</summary>
public sealed record ReservedTraitSet(string Label, IReadOnlyList<TraitMapping> Rows);

/// <summary>Suggestions and naming for the mapping editor: likely identifier fields, reserved traits, trait names from field names.</summary>
public static class MappingSuggestions
{
    private static readonly (string Label, string Field, string Trait)[] SimpleReserved =
    [
        ("First name", "FirstName", "firstName"),
        ("Last name", "LastName", "lastName"),
        ("Email", "Email", "email"),
        ("Phone", "Phone", "phone"),
        ("Title", "Title", "title"),
    ];

    private static readonly (string Suffix, string Trait)[] AddressParts =
    [
        ("Street", "address.street"),
        ("City", "address.city"),
        ("State", "address.state"),
        ("PostalCode", "address.postalCode"),
        ("Country", "address.country"),
    ];

    /// <summary>Fields that look like user identifiers: external ids, unique fields, *UserId*, Email; best first.</summary>
    public static IReadOnlyList<IdSuggestion> IdCandidates(MappingFieldCatalog catalog)
    {
        var suggestions = new List<(int Rank, IdSuggestion Suggestion)>();
        foreach (var field in catalog.Available)
        {
            var name = field.Path;
            if (field.ExternalId)
            {
                suggestions.Add((0, new IdSuggestion(name, "external id")));
            }
            else if (name.Replace("_", "", StringComparison.Ordinal).Contains("UserId", StringComparison.OrdinalIgnoreCase))
            {
                suggestions.Add((1, new IdSuggestion(name, "named like a user id")));
            }
            else if (field.Unique && field.Type is "string")
            {
                suggestions.Add((2, new IdSuggestion(name, "unique")));
            }
            else if (field.Type == "email" || string.Equals(name, "Email", StringComparison.OrdinalIgnoreCase))
            {
                suggestions.Add((3, new IdSuggestion(name, "email")));
            }
        }

        return suggestions.OrderBy(s => s.Rank).ThenBy(s => s.Suggestion.Path, StringComparer.OrdinalIgnoreCase).Select(s => s.Suggestion).ToList();
    }

    /// <summary>The reserved trait sets this model's fields can fill.</summary>
    public static IReadOnlyList<ReservedTraitSet> Reserved(MappingFieldCatalog catalog)
    {
        var sets = new List<ReservedTraitSet>();
        foreach (var (label, field, trait) in SimpleReserved)
        {
            if (catalog.Find(field) is { InOrg: true } found)
            {
                sets.Add(new ReservedTraitSet($"{label} → {trait}", [new TraitMapping(trait, found.Path)]));
            }
        }

        // Contacts have Mailing*, accounts Billing*, leads plain Street/City/…
        foreach (var prefix in new[] { "Mailing", "Billing", "" })
        {
            var rows = AddressParts
                .Select(p => (Field: catalog.Find(prefix + p.Suffix), p.Trait))
                .Where(p => p.Field is { InOrg: true })
                .Select(p => new TraitMapping(p.Trait, p.Field!.Path))
                .ToList();
            if (rows.Count > 0)
            {
                sets.Add(new ReservedTraitSet($"{(prefix.Length == 0 ? "Address" : prefix + " address")} → address.{{street, city, state, postalCode, country}}", rows));
                break;
            }
        }

        var company = catalog.Find("Account.Name") ?? catalog.Find("Company");
        if (company is { InOrg: true })
        {
            sets.Add(new ReservedTraitSet($"{company.Path} → company.name", [new TraitMapping("company.name", company.Path)]));
        }

        return sets;
    }

    /// <summary>Trait rows for every field of the model not mapped yet, named in the chosen convention.</summary>
    public static IReadOnlyList<TraitMapping> AllFields(MappingFieldCatalog catalog, TraitNaming naming, IEnumerable<TraitRowInput> existing)
    {
        var rows = existing.ToList();
        var usedFields = rows.Where(r => !r.IsStatic && r.Field is not null).Select(r => r.Field!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var usedNames = rows.Select(r => r.Trait.Trim()).ToHashSet(StringComparer.Ordinal);
        var added = new List<TraitMapping>();
        foreach (var field in catalog.Available)
        {
            // IsDeleted is the engine's business (delete policy), not a profile trait.
            if (usedFields.Contains(field.Path) || string.Equals(field.Path, "IsDeleted", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = TraitName(field.Path, naming);
            if (name.Length == 0 || !usedNames.Add(name))
            {
                continue;
            }

            added.Add(new TraitMapping(name, field.Path));
        }

        return added;
    }

    /// <summary>
    /// A trait name for a field path: <c>FirstName</c> → <c>firstName</c> / <c>first_name</c>;
    /// <c>External_Key__c</c> → <c>externalKey</c> / <c>external_key</c>; <c>Account.Name</c> → <c>accountName</c>;
    /// the record <c>Id</c> → <c>salesforceId</c> / <c>salesforce_id</c>.
    /// </summary>
    public static string TraitName(string fieldPath, TraitNaming naming)
    {
        var words = new List<string>();
        if (string.Equals(fieldPath, "Id", StringComparison.OrdinalIgnoreCase))
        {
            words.AddRange(["salesforce", "id"]);
        }
        else
        {
            foreach (var part in fieldPath.Split('.'))
            {
                var name = part;
                foreach (var suffix in new[] { "__c", "__r" })
                {
                    if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                    {
                        name = name[..^suffix.Length];
                    }
                }

                foreach (var chunk in name.Split('_', StringSplitOptions.RemoveEmptyEntries))
                {
                    words.AddRange(SplitHumps(chunk));
                }
            }
        }

        if (words.Count == 0)
        {
            return "";
        }

        if (naming == TraitNaming.SnakeCase)
        {
            return string.Join('_', words.Select(w => w.ToLowerInvariant()));
        }

        var text = new StringBuilder(words[0].ToLowerInvariant());
        foreach (var word in words.Skip(1))
        {
            text.Append(char.ToUpperInvariant(word[0])).Append(word[1..].ToLowerInvariant());
        }

        return text.ToString();
    }

    /// <summary>Splits <c>MailingPostalCode</c> into Mailing, Postal, Code and <c>HTTPStatus2</c> into HTTP, Status2.</summary>
    private static IEnumerable<string> SplitHumps(string chunk)
    {
        var start = 0;
        for (var i = 1; i < chunk.Length; i++)
        {
            var lowerToUpper = char.IsLower(chunk[i - 1]) && char.IsUpper(chunk[i]);
            var acronymEnd = char.IsUpper(chunk[i - 1]) && char.IsUpper(chunk[i]) && i + 1 < chunk.Length && char.IsLower(chunk[i + 1]);
            var digitToUpper = char.IsDigit(chunk[i - 1]) && char.IsUpper(chunk[i]);
            if (lowerToUpper || acronymEnd || digitToUpper)
            {
                yield return chunk[start..i];
                start = i;
            }
        }

        yield return chunk[start..];
    }
}
