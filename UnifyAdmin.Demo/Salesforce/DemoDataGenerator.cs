namespace UnifyAdmin.Demo.Salesforce;

/// <summary>
/// Produces the value of any field of any generated record from (seed, object, index) alone, so an
/// untouched record costs no memory. Timestamps grow with the index, which lets queries on them use
/// index ranges instead of scans.
/// </summary>
internal sealed class DemoDataGenerator
{
    /// <summary>Inserted records take indexes from here on, so their ids sort after every generated one.</summary>
    public const long InsertedIndexBase = 1_000_000_000_000;

    private static readonly TimeSpan Window = TimeSpan.FromDays(730);

    private static readonly string[] FirstNames =
        ["Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger", "Radia", "Tim",
         "Katherine", "John", "Hedy", "Donald", "Sophie", "Niklaus", "Anita", "Bjarne", "Shafi", "Guido", "Jean", "Yukihiro",
         "Carol", "James", "Mary", "Robert", "Lucia", "Ahmed", "Priya", "Mateo", "Chen", "Amara", "Olga", "Kwame",
         "Ingrid", "Diego", "Fatima", "Hiro", "Elena", "Noah", "Zara", "Liam", "Aisha", "Emil", "Yara", "Tomas"];

    private static readonly string[] LastNames =
        ["Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra",
         "Perlman", "Berners-Lee", "Johnson", "McCarthy", "Lamarr", "Knuth", "Wilson", "Wirth", "Borg", "Stroustrup",
         "Goldwasser", "van Rossum", "Sammet", "Matsumoto", "Shaw", "Gosling", "Keller", "Noyce", "Garcia", "Hassan",
         "Patel", "Rossi", "Wei", "Okafor", "Ivanova", "Mensah", "Larsen", "Fernandez", "Al-Sayed", "Tanaka", "Novak",
         "Schmidt", "Dubois", "O'Brien", "Nakamura", "Kowalski", "Silva", "Andersson"];

    private static readonly string[] CompanyStems =
        ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Tyrell", "Cyberdyne",
         "Wonka", "Aperture", "Black Mesa", "Oscorp", "Pied Piper", "Massive Dynamic", "Gringotts", "Nakatomi", "Zorg",
         "Blue Sun", "Monarch", "Virtucon", "Gekko", "Duff", "Krusty", "Dunder Mifflin", "Prestige", "Sterling", "Bluth"];

    private static readonly string[] CompanySuffixes = ["Inc.", "LLC", "Ltd", "Group", "Corp.", "Holdings", "GmbH", "Partners", "Labs", "Systems"];

    private static readonly string[] Titles =
        ["CEO", "CTO", "CFO", "VP Sales", "VP Marketing", "Head of Data", "Sales Manager", "Account Executive",
         "Marketing Manager", "Data Engineer", "Software Engineer", "Product Manager", "Operations Lead", "Buyer", "Analyst"];

    private static readonly string[] Departments = ["Sales", "Marketing", "Finance", "Engineering", "Operations", "Support", "Legal", "IT"];

    private static readonly string[] Streets =
        ["Market St", "Main St", "Elm St", "Oak Ave", "Pine St", "Maple Ave", "Cedar Rd", "Lake Shore Dr", "Broadway",
         "Sunset Blvd", "High St", "King St", "Queen St", "Mission St", "Park Ave"];

    private static readonly (string City, string State, string Country, string Postal, double Lat, double Lon)[] Cities =
    [
        ("San Francisco", "CA", "United States", "941", 37.7749, -122.4194),
        ("New York", "NY", "United States", "100", 40.7128, -74.0060),
        ("Austin", "TX", "United States", "787", 30.2672, -97.7431),
        ("Chicago", "IL", "United States", "606", 41.8781, -87.6298),
        ("Seattle", "WA", "United States", "981", 47.6062, -122.3321),
        ("Boston", "MA", "United States", "021", 42.3601, -71.0589),
        ("Denver", "CO", "United States", "802", 39.7392, -104.9903),
        ("Toronto", "ON", "Canada", "M5V", 43.6532, -79.3832),
        ("London", "England", "United Kingdom", "EC1", 51.5074, -0.1278),
        ("Paris", "Île-de-France", "France", "750", 48.8566, 2.3522),
        ("Berlin", "Berlin", "Germany", "101", 52.5200, 13.4050),
        ("Dublin", "Leinster", "Ireland", "D02", 53.3498, -6.2603),
        ("Sydney", "NSW", "Australia", "200", -33.8688, 151.2093),
        ("Tokyo", "Tokyo", "Japan", "100", 35.6762, 139.6503),
    ];

    private static readonly string[] Words =
        ["renewal", "pilot", "expansion", "onboarding", "integration", "escalation", "migration", "rollout", "audit",
         "training", "support", "upgrade", "licence", "analytics", "security", "pricing", "contract", "feedback"];

    private static readonly string[] Domains = ["example.com", "example.org", "example.net", "mail.example.com", "corp.example.io"];

    private readonly ulong seedHash;
    private readonly IReadOnlyDictionary<string, int> sizes;

    public DemoDataGenerator(int seed, IReadOnlyDictionary<string, int> sizes, DateTime anchorUtc)
    {
        seedHash = DemoHash.Mix((ulong)(uint)seed * 0x100000001B3UL);
        this.sizes = new Dictionary<string, int>(sizes, StringComparer.OrdinalIgnoreCase);
        AnchorUtc = DateTime.SpecifyKind(anchorUtc, DateTimeKind.Utc);
        WindowStartUtc = AnchorUtc - Window;
    }

    /// <summary>End of the generated history; every generated timestamp is at or before it.</summary>
    public DateTime AnchorUtc { get; }

    public DateTime WindowStartUtc { get; }

    public long Count(string objectName) => sizes.TryGetValue(objectName, out var n) ? n : 0;

    public string Id(DemoObject obj, long index) => DemoIds.Create(obj.KeyPrefix, index);

    public DateTime CreatedDate(long index, long count)
    {
        var u = (double)index / count;
        var seconds = Math.Floor(Window.TotalSeconds * 0.97 * u);
        return WindowStartUtc.AddSeconds(seconds);
    }

    /// <summary>Later than <see cref="CreatedDate"/> and strictly non-decreasing in the index, denser towards now.</summary>
    public DateTime SystemModstamp(long index, long count)
    {
        var u = (double)index / count;
        var seconds = Math.Floor(Window.TotalSeconds * (u + 0.3 * u * (1 - u)));
        return WindowStartUtc.AddSeconds(seconds);
    }

    /// <summary>First index in [0, count) whose timestamp is at or after <paramref name="value"/> (count when none).</summary>
    public long FirstIndexAtOrAfter(bool modstamp, long count, DateTime value)
    {
        long lo = 0;
        long hi = count;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            var at = modstamp ? SystemModstamp(mid, count) : CreatedDate(mid, count);
            if (at < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>First index whose timestamp is strictly after <paramref name="value"/>.</summary>
    public long FirstIndexAfter(bool modstamp, long count, DateTime value) =>
        value == DateTime.MaxValue ? count : FirstIndexAtOrAfter(modstamp, count, value.AddTicks(1));

    private ulong Random(DemoObject obj, ulong key, long index) =>
        DemoHash.Mix(seedHash ^ DemoHash.Mix(obj.NameHash ^ key) ^ ((ulong)index * 0x9E3779B97F4A7C15UL));

    private static ulong Key(string text) => DemoHash.Of(text);

    private static readonly ulong PersonKey = Key("person");
    private static readonly ulong EmailKey = Key("Email");
    private static readonly ulong IsClosedKey = Key("IsClosed");
    private static readonly string[] FirstNamesLower = FirstNames.Select(n => n.ToLowerInvariant()).ToArray();
    private static readonly string[] LastNamesLower = LastNames
        .Select(n => n.ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal)).ToArray();
    private static readonly ulong PlaceKey = Key("place");
    private static readonly ulong CompanyKey = Key("company");

    private static T Pick<T>(T[] values, ulong r) => values[(int)(r % (ulong)values.Length)];

    private static bool Chance(ulong r, int percent) => (int)((r >> 20) % 100) < percent;

    /// <summary>The stored value of a plain (not computed) field of a generated record.</summary>
    public object? Value(DemoObject obj, DemoField field, long index)
    {
        var r = Random(obj, field.Hash, index);
        switch (field.Generator)
        {
            case "Id":
                return Id(obj, index);
            case "IsDeleted":
                return false;
            case "CreatedDate":
                return CreatedDate(index, Count(obj.Name));
            case "SystemModstamp":
                return SystemModstamp(index, Count(obj.Name));
            case "FirstName":
                if (obj.Name == "User" && index == 0)
                {
                    return "Ada";
                }

                return Pick(FirstNames, Random(obj, PersonKey, index));
            case "LastName":
                if (obj.Name == "User" && index == 0)
                {
                    return "Admin";
                }

                return Pick(LastNames, Random(obj, PersonKey, index) >> 16);
            case "Email":
                return EmailOf(obj, index);
            case "Username":
                return UsernameOf(obj, index);
            case "Alias":
            {
                var first = (string)Value(obj, obj.Field("FirstName")!, index)!;
                var last = (string)Value(obj, obj.Field("LastName")!, index)!;
                var alias = (first[..1] + last.Replace(" ", "", StringComparison.Ordinal)).ToLowerInvariant();
                return alias.Length > 8 ? alias[..8] : alias;
            }

            case "CompanyName":
            {
                var c = Random(obj, CompanyKey, index);
                return $"{Pick(CompanyStems, c)} {Pick(CompanySuffixes, c >> 12)} {index + 1}";
            }

            case "OpportunityName":
                return $"{Pick(CompanyStems, r)} {Pick(Words, r >> 8)} {index + 1}";
            case "SubscriptionName":
                return $"SUB-{index + 1:D6}";
            case "CaseNumber":
                return $"{index + 1:D8}";
            case "AccountNumber":
                return Chance(r, 30) ? null : $"CD{(r >> 8) % 1000000:D6}";
            case "Title":
                return Chance(r, 15) ? null : Pick(Titles, r >> 8);
            case "Department":
                return Chance(r, 25) ? null : Pick(Departments, r >> 8);
            case "Subject":
                return $"{char.ToUpperInvariant(Pick(Words, r)[0])}{Pick(Words, r)[1..]} question about {Pick(Words, r >> 9)}";
            case "Description":
                return Chance(r, 60) ? null : $"Notes on {Pick(Words, r >> 8)} and {Pick(Words, r >> 16)}.\nFollow up next quarter.";
            case "Picklist":
                return field.PicklistValues.Count == 0 || (field.Nillable && Chance(r, 10))
                    ? null
                    : field.PicklistValues[(int)((r >> 8) % (ulong)field.PicklistValues.Count)];
            case "Phone":
                return Chance(r, 10) ? null : $"(415) 555-{(r >> 8) % 10000:D4}";
            case "MobilePhone":
                return Chance(r, 40) ? null : $"(650) 555-{(r >> 8) % 10000:D4}";
            case "Website":
                return Chance(r, 20) ? null : $"https://www.{Pick(CompanyStems, Random(obj, CompanyKey, index)).ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal)}{index + 1}.example.com";
            case "AnnualRevenue":
                return Chance(r, 20) ? null : (double)(((r >> 8) % 200_000) * 1000);
            case "Employees":
                return Chance(r, 20) ? null : (long)((r >> 8) % 20000) + 1;
            case "Street":
                return $"{(Random(obj, PlaceKey, index) >> 8) % 9000 + 100} {Pick(Streets, Random(obj, PlaceKey, index) >> 24)}";
            case "City":
                return Place(obj, index).City;
            case "State":
                return Place(obj, index).State;
            case "Country":
                return Place(obj, index).Country;
            case "PostalCode":
                return Place(obj, index).Postal + ((Random(obj, PlaceKey, index) >> 32) % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
            case "Latitude":
                return Math.Round(Place(obj, index).Lat + ((long)((Random(obj, PlaceKey, index) >> 40) % 1000) - 500) / 10000.0, 6);
            case "Longitude":
                return Math.Round(Place(obj, index).Lon + ((long)((Random(obj, PlaceKey, index) >> 44) % 1000) - 500) / 10000.0, 6);
            case "GeocodeAccuracy":
                return "Address";
            case "Birthdate":
                return Chance(r, 40) ? null : new DateOnly(1950, 1, 1).AddDays((int)((r >> 8) % 18000));
            case "OptOut":
                return Chance(r, 12);
            case "LifetimeValue":
                return Chance(r, 30) ? null : Math.Round(((r >> 8) % 5_000_000) / 100.0, 2);
            case "ExternalKey":
                return $"EXT-{obj.KeyPrefix}-{index + 1:D9}";
            case "IsConverted":
                return Chance(r, 20);
            case "Amount":
                return Chance(r, 10) ? null : (double)(((r >> 8) % 50_000) * 10);
            case "Probability":
                return (double)((r >> 8) % 11 * 10);
            case "CloseDate":
                return DateOnly.FromDateTime(CreatedDate(index, Count(obj.Name))).AddDays((int)((r >> 8) % 120));
            case "OpportunityClosed":
                return Chance(r, 45);
            case "OpportunityWon":
                return Chance(Random(obj, IsClosedKey, index), 45) && Chance(r, 50);
            case "CaseClosed":
                return Chance(r, 60);
            case "CaseClosedDate":
                return Chance(Random(obj, IsClosedKey, index), 60) ? SystemModstamp(index, Count(obj.Name)) : null;
            case "IsActive":
                return index == 0 || !Chance(r, 10);
            case "LastLoginDate":
                return Chance(r, 10) ? null : AnchorUtc.AddMinutes(-(double)((r >> 8) % 100_000));
            case "Seats":
                return (double)((r >> 8) % 500 + 1);
            case "MonthlyAmount":
                return Math.Round(((r >> 8) % 1_000_000) / 100.0, 2);
            case "StartDate":
                return DateOnly.FromDateTime(CreatedDate(index, Count(obj.Name)));
            case "RenewalDate":
                return DateOnly.FromDateTime(CreatedDate(index, Count(obj.Name))).AddYears(1);
            case "AutoRenew":
                return !Chance(r, 25);
            case "ContactAccount":
            case "OpportunityAccount":
            case "CaseAccount":
                return Chance(r, 5) ? null : ReferenceTo("Account", "001", r >> 8);
            case "SubscriptionAccount":
                return ReferenceTo("Account", "001", r >> 8);
            case "CaseContact":
                return Chance(r, 10) ? null : ReferenceTo("Contact", "003", r >> 8);
            case "Owner":
            case "AuditUser":
                return ReferenceTo("User", "005", r >> 8);
            case "None":
                return null;
            default:
                return Generic(field, r, index);
        }
    }

    /// <summary>The demo user signs in as record 0 of User.</summary>
    public string DemoUsername { get; init; } = "admin@demo.unifyadmin.dev";

    private string UsernameOf(DemoObject obj, long index) => index == 0
        ? DemoUsername
        : $"{((string)Value(obj, obj.Field("FirstName")!, index)!).ToLowerInvariant()}.{index}@demo.unifyadmin.dev";

    private string? EmailOf(DemoObject obj, long index)
    {
        if (obj.Name == "User")
        {
            return UsernameOf(obj, index);
        }

        var p = Random(obj, PersonKey, index);
        if (Chance(Random(obj, EmailKey, index), 8))
        {
            return null;
        }

        var first = Pick(FirstNamesLower, p);
        var last = Pick(LastNamesLower, p >> 16);
        return $"{first}.{last}{index + 1}@{Pick(Domains, p >> 32)}";
    }

    private (string City, string State, string Country, string Postal, double Lat, double Lon) Place(DemoObject obj, long index) =>
        Pick(Cities, Random(obj, PlaceKey, index));

    private string? ReferenceTo(string objectName, string prefix, ulong r)
    {
        var count = Count(objectName);
        return count == 0 ? null : DemoIds.Create(prefix, (long)(r % (ulong)count));
    }

    private object? Generic(DemoField field, ulong r, long index)
    {
        if (field.Nillable && Chance(r, 20))
        {
            return null;
        }

        return field.Type switch
        {
            "boolean" => Chance(r >> 3, 50),
            "int" or "long" => (long)((r >> 8) % 1000),
            "double" or "currency" or "percent" => Math.Round(((r >> 8) % 100_000) / 100.0, 2),
            "date" => DateOnly.FromDateTime(WindowStartUtc).AddDays((int)((r >> 8) % 730)),
            "datetime" => WindowStartUtc.AddSeconds((double)((r >> 8) % (ulong)Window.TotalSeconds)),
            "picklist" or "multipicklist" or "combobox" when field.PicklistValues.Count > 0 =>
                field.PicklistValues[(int)((r >> 8) % (ulong)field.PicklistValues.Count)],
            "email" => $"user{index + 1}@example.com",
            "phone" => $"(212) 555-{(r >> 8) % 10000:D4}",
            "url" => $"https://example.com/{index + 1}",
            "reference" or "id" => null,
            _ => $"{Pick(Words, r >> 8)} {index + 1}",
        };
    }
}
