using System.Collections.Frozen;

namespace UnifyAdmin.Demo.Salesforce;

/// <summary>How a field's values are held in memory, whatever its Salesforce type name.</summary>
internal enum DemoValueKind
{
    Text,
    Boolean,
    Integer,
    Number,
    Date,
    DateTime,
    Address,
}

/// <summary>One field of a demo object's describe, plus the key of the generator that fills it.</summary>
internal sealed record DemoField(string Name, string Label, string Type)
{
    public int Length { get; init; }

    public bool Nillable { get; init; } = true;

    public bool Calculated { get; init; }

    public string? Formula { get; init; }

    public string? ReferenceTo { get; init; }

    public string? RelationshipName { get; init; }

    public string? CompoundFieldName { get; init; }

    public IReadOnlyList<string> PicklistValues { get; init; } = [];

    public bool Unique { get; init; }

    public bool ExternalId { get; init; }

    public bool NameField { get; init; }

    /// <summary>Built-in generator key; null means "a plausible value of the field's type".</summary>
    public string? Generator { get; init; }

    public bool Custom => Name.EndsWith("__c", StringComparison.OrdinalIgnoreCase);

    public DemoValueKind Kind => KindOf(Type);

    public bool IsSystemTimestamp => Generator is "CreatedDate" or "SystemModstamp" && Kind == DemoValueKind.DateTime;

    public ulong Hash { get; } = DemoHash.Of(Name);

    public static DemoValueKind KindOf(string type) => type switch
    {
        "boolean" => DemoValueKind.Boolean,
        "int" or "long" => DemoValueKind.Integer,
        "double" or "currency" or "percent" => DemoValueKind.Number,
        "date" => DemoValueKind.Date,
        "datetime" => DemoValueKind.DateTime,
        "address" => DemoValueKind.Address,
        _ => DemoValueKind.Text,
    };

    public static readonly FrozenSet<string> SupportedTypes = new[]
    {
        "id", "string", "boolean", "int", "long", "double", "currency", "percent", "date", "datetime", "picklist",
        "multipicklist", "combobox", "reference", "textarea", "email", "phone", "url", "encryptedstring",
    }.ToFrozenSet();
}

/// <summary>One demo object (sObject) with its fields in describe order.</summary>
internal sealed class DemoObject
{
    private readonly Dictionary<string, DemoField> byName;
    private readonly Dictionary<string, DemoField> byRelationship;

    public DemoObject(string name, string label, string labelPlural, string keyPrefix, IReadOnlyList<DemoField> fields)
    {
        Name = name;
        NameHash = DemoHash.Of(name);
        Label = label;
        LabelPlural = labelPlural;
        KeyPrefix = keyPrefix;
        Fields = fields;
        byName = fields.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        byRelationship = fields.Where(f => f.RelationshipName is not null)
            .ToDictionary(f => f.RelationshipName!, StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }

    public ulong NameHash { get; }

    public string Label { get; }

    public string LabelPlural { get; }

    public string KeyPrefix { get; }

    public IReadOnlyList<DemoField> Fields { get; }

    public bool Custom => Name.EndsWith("__c", StringComparison.Ordinal);

    public bool Queryable { get; init; } = true;

    /// <summary>History, Share, Feed and ChangeEvent objects: listed by describeGlobal, never holding data.</summary>
    public bool Noise { get; init; }

    public DemoField? Field(string name) => byName.GetValueOrDefault(name);

    public DemoField? Relationship(string name) => byRelationship.GetValueOrDefault(name);

    public DemoObject WithFields(IReadOnlyList<DemoField> fields) =>
        new(Name, Label, LabelPlural, KeyPrefix, fields) { Queryable = Queryable, Noise = Noise };
}

/// <summary>Stable 64-bit hashing, so generated data is the same on every machine and run.</summary>
internal static class DemoHash
{
    public static ulong Of(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ char.ToLowerInvariant(c)) * 1099511628211UL;
        }

        return hash;
    }

    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}

/// <summary>The built-in objects and fields of the demo org.</summary>
internal static class DemoSchema
{
    private static readonly string[] Industries =
        ["Agriculture", "Apparel", "Banking", "Biotechnology", "Communications", "Construction", "Consulting", "Education",
         "Electronics", "Energy", "Engineering", "Entertainment", "Finance", "Healthcare", "Hospitality", "Insurance",
         "Manufacturing", "Media", "Retail", "Technology", "Transportation", "Utilities"];

    private static readonly string[] LeadSources = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"];

    private static readonly string[] GeocodeAccuracies = ["Address", "NearAddress", "Block", "Street", "ExtendedZip", "Zip", "City"];

    public static IReadOnlyList<DemoObject> BuiltIn() =>
    [
        Account(), Contact(), Lead(), Opportunity(), Case(), User(), Subscription(),
        Noise("AccountHistory", "Account History", "017", queryable: true),
        Noise("AccountShare", "Account Share", "00r", queryable: true),
        Noise("AccountFeed", "Account Feed", "0D5", queryable: true),
        Noise("ContactHistory", "Contact History", "017", queryable: true),
        Noise("ContactShare", "Contact Share", "03s", queryable: true),
        Noise("AccountChangeEvent", "Account Change Event", "1CE", queryable: false),
        Noise("ContactChangeEvent", "Contact Change Event", "1CE", queryable: false),
        Noise("BatchApexErrorEvent", "Batch Apex Error Event", "e00", queryable: false),
    ];

    private static DemoObject Account() => new("Account", "Account", "Accounts", "001",
    [
        IdField(),
        IsDeleted(),
        Text("Name", "Account Name", "CompanyName", 255) with { Nillable = false, NameField = true },
        Text("AccountNumber", "Account Number", "AccountNumber", 40),
        Picklist("Type", "Account Type", "Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller", "Other"),
        Picklist("Industry", "Industry", Industries),
        Picklist("Rating", "Account Rating", "Hot", "Warm", "Cold"),
        new DemoField("AnnualRevenue", "Annual Revenue", "currency") { Generator = "AnnualRevenue" },
        new DemoField("NumberOfEmployees", "Employees", "int") { Generator = "Employees" },
        new DemoField("Phone", "Account Phone", "phone") { Length = 40, Generator = "Phone" },
        new DemoField("Website", "Website", "url") { Length = 255, Generator = "Website" },
        new DemoField("Description", "Account Description", "textarea") { Length = 32000, Generator = "Description" },
        .. Address("Billing"),
        Reference("OwnerId", "Owner ID", "User", "Owner", "Owner") with { Nillable = false },
        new DemoField("Annual_Revenue_Band__c", "Annual Revenue Band", "string")
        {
            Length = 1300, Calculated = true, Generator = "RevenueBand",
            Formula = "IF(AnnualRevenue < 1000000, \"Small\", IF(AnnualRevenue < 50000000, \"Mid-Market\", \"Enterprise\"))",
        },
        Picklist("Customer_Tier__c", "Customer Tier", "Bronze", "Silver", "Gold", "Platinum"),
        .. Audit(),
    ]);

    private static DemoObject Contact() => new("Contact", "Contact", "Contacts", "003",
    [
        IdField(),
        IsDeleted(),
        Reference("AccountId", "Account ID", "Account", "Account", "ContactAccount"),
        Picklist("Salutation", "Salutation", "Mr.", "Ms.", "Mrs.", "Dr.", "Prof."),
        Text("FirstName", "First Name", "FirstName", 40),
        Text("LastName", "Last Name", "LastName", 80) with { Nillable = false },
        Text("Name", "Full Name", "FullName", 121) with { Nillable = false, NameField = true },
        Text("Title", "Title", "Title", 128),
        Text("Department", "Department", "Department", 80),
        new DemoField("Email", "Email", "email") { Length = 80, Generator = "Email", ExternalId = false },
        new DemoField("Phone", "Business Phone", "phone") { Length = 40, Generator = "Phone" },
        new DemoField("MobilePhone", "Mobile Phone", "phone") { Length = 40, Generator = "MobilePhone" },
        .. Address("Mailing"),
        new DemoField("Birthdate", "Birthdate", "date") { Generator = "Birthdate" },
        Picklist("LeadSource", "Lead Source", LeadSources),
        new DemoField("HasOptedOutOfEmail", "Email Opt Out", "boolean") { Nillable = false, Generator = "OptOut" },
        new DemoField("Description", "Contact Description", "textarea") { Length = 32000, Generator = "Description" },
        Reference("OwnerId", "Owner ID", "User", "Owner", "Owner") with { Nillable = false },
        new DemoField("Full_Name__c", "Full Name (formula)", "string")
        {
            Length = 1300, Calculated = true, Generator = "FullNameFormula", Formula = "FirstName & \" \" & LastName",
        },
        new DemoField("Lifetime_Value__c", "Lifetime Value", "currency") { Generator = "LifetimeValue" },
        new DemoField("External_Key__c", "External Key", "string") { Length = 64, Unique = true, ExternalId = true, Generator = "ExternalKey" },
        .. Audit(),
    ]);

    private static DemoObject Lead() => new("Lead", "Lead", "Leads", "00Q",
    [
        IdField(),
        IsDeleted(),
        Text("FirstName", "First Name", "FirstName", 40),
        Text("LastName", "Last Name", "LastName", 80) with { Nillable = false },
        Text("Name", "Full Name", "FullName", 121) with { Nillable = false, NameField = true },
        Text("Company", "Company", "CompanyName", 255) with { Nillable = false },
        Text("Title", "Title", "Title", 128),
        new DemoField("Email", "Email", "email") { Length = 80, Generator = "Email" },
        new DemoField("Phone", "Phone", "phone") { Length = 40, Generator = "Phone" },
        Picklist("Status", "Lead Status", "Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted") with { Nillable = false },
        Picklist("LeadSource", "Lead Source", LeadSources),
        Picklist("Industry", "Industry", Industries),
        Picklist("Rating", "Rating", "Hot", "Warm", "Cold"),
        new DemoField("AnnualRevenue", "Annual Revenue", "currency") { Generator = "AnnualRevenue" },
        new DemoField("NumberOfEmployees", "Employees", "int") { Generator = "Employees" },
        .. Address(""),
        new DemoField("IsConverted", "Converted", "boolean") { Nillable = false, Generator = "IsConverted" },
        Reference("OwnerId", "Owner ID", "User", "Owner", "Owner") with { Nillable = false },
        .. Audit(),
    ]);

    private static DemoObject Opportunity() => new("Opportunity", "Opportunity", "Opportunities", "006",
    [
        IdField(),
        IsDeleted(),
        Reference("AccountId", "Account ID", "Account", "Account", "OpportunityAccount"),
        Text("Name", "Name", "OpportunityName", 120) with { Nillable = false, NameField = true },
        Picklist("StageName", "Stage", "Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost") with { Nillable = false },
        new DemoField("Amount", "Amount", "currency") { Generator = "Amount" },
        new DemoField("Probability", "Probability (%)", "percent") { Generator = "Probability" },
        new DemoField("CloseDate", "Close Date", "date") { Nillable = false, Generator = "CloseDate" },
        Picklist("Type", "Opportunity Type", "Existing Customer - Upgrade", "Existing Customer - Replacement", "Existing Customer - Downgrade", "New Customer"),
        Picklist("LeadSource", "Lead Source", LeadSources),
        new DemoField("IsClosed", "Closed", "boolean") { Nillable = false, Generator = "OpportunityClosed" },
        new DemoField("IsWon", "Won", "boolean") { Nillable = false, Generator = "OpportunityWon" },
        Reference("OwnerId", "Owner ID", "User", "Owner", "Owner") with { Nillable = false },
        .. Audit(),
    ]);

    private static DemoObject Case() => new("Case", "Case", "Cases", "500",
    [
        IdField(),
        IsDeleted(),
        Text("CaseNumber", "Case Number", "CaseNumber", 30) with { Nillable = false, NameField = true },
        Reference("AccountId", "Account ID", "Account", "Account", "CaseAccount"),
        Reference("ContactId", "Contact ID", "Contact", "Contact", "CaseContact"),
        Text("Subject", "Subject", "Subject", 255),
        new DemoField("Description", "Description", "textarea") { Length = 32000, Generator = "Description" },
        Picklist("Status", "Status", "New", "Working", "Escalated", "Closed"),
        Picklist("Priority", "Priority", "High", "Medium", "Low"),
        Picklist("Origin", "Case Origin", "Phone", "Email", "Web"),
        Picklist("Type", "Case Type", "Mechanical", "Electrical", "Electronic", "Structural", "Other"),
        new DemoField("IsClosed", "Closed", "boolean") { Nillable = false, Generator = "CaseClosed" },
        new DemoField("ClosedDate", "Closed Date", "datetime") { Generator = "CaseClosedDate" },
        Reference("OwnerId", "Owner ID", "User", "Owner", "Owner") with { Nillable = false },
        .. Audit(),
    ]);

    private static DemoObject User() => new("User", "User", "Users", "005",
    [
        IdField(),
        Text("Username", "Username", "Username", 80) with { Nillable = false, Unique = true },
        Text("FirstName", "First Name", "FirstName", 40),
        Text("LastName", "Last Name", "LastName", 80) with { Nillable = false },
        Text("Name", "Full Name", "FullName", 121) with { Nillable = false, NameField = true },
        new DemoField("Email", "Email", "email") { Length = 128, Nillable = false, Generator = "Email" },
        Text("Alias", "Alias", "Alias", 8) with { Nillable = false },
        Text("Title", "Title", "Title", 80),
        Text("Department", "Department", "Department", 80),
        new DemoField("IsActive", "Active", "boolean") { Nillable = false, Generator = "IsActive" },
        Picklist("TimeZoneSidKey", "Time Zone", "America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Paris", "Asia/Tokyo") with { Nillable = false },
        new DemoField("LastLoginDate", "Last Login", "datetime") { Generator = "LastLoginDate" },
        .. Audit(),
    ]);

    private static DemoObject Subscription() => new("Subscription__c", "Subscription", "Subscriptions", "a0B",
    [
        IdField(),
        IsDeleted(),
        Text("Name", "Subscription Name", "SubscriptionName", 80) with { Nillable = false, NameField = true },
        Reference("Account__c", "Account", "Account", "Account__r", "SubscriptionAccount"),
        Picklist("Plan__c", "Plan", "Free", "Starter", "Growth", "Enterprise"),
        Picklist("Status__c", "Status", "Active", "Trialing", "Past Due", "Canceled"),
        new DemoField("Seats__c", "Seats", "double") { Generator = "Seats" },
        new DemoField("Monthly_Amount__c", "Monthly Amount", "currency") { Generator = "MonthlyAmount" },
        new DemoField("Start_Date__c", "Start Date", "date") { Generator = "StartDate" },
        new DemoField("Renewal_Date__c", "Renewal Date", "date") { Generator = "RenewalDate" },
        new DemoField("Auto_Renew__c", "Auto Renew", "boolean") { Nillable = false, Generator = "AutoRenew" },
        Reference("OwnerId", "Owner ID", "User", "Owner", "Owner") with { Nillable = false },
        .. Audit(),
    ]);

    private static DemoObject Noise(string name, string label, string prefix, bool queryable) => new(name, label, label, prefix,
    [
        IdField(),
        IsDeleted(),
        new DemoField("CreatedDate", "Created Date", "datetime") { Nillable = false, Generator = "CreatedDate" },
    ]) { Queryable = queryable, Noise = true };

    private static DemoField IdField() =>
        new("Id", "Record ID", "id") { Length = 18, Nillable = false, Generator = "Id" };

    private static DemoField IsDeleted() =>
        new("IsDeleted", "Deleted", "boolean") { Nillable = false, Generator = "IsDeleted" };

    private static DemoField Text(string name, string label, string generator, int length) =>
        new(name, label, "string") { Length = length, Generator = generator };

    private static DemoField Picklist(string name, string label, params string[] values) =>
        new(name, label, "picklist") { Length = 255, PicklistValues = values, Generator = "Picklist" };

    private static DemoField Reference(string name, string label, string target, string relationship, string generator) =>
        new(name, label, "reference") { Length = 18, ReferenceTo = target, RelationshipName = relationship, Generator = generator };

    private static IEnumerable<DemoField> Address(string prefix)
    {
        var compound = prefix + "Address";
        var label = prefix.Length == 0 ? "" : prefix + " ";
        return
        [
            new DemoField(prefix + "Street", label + "Street", "textarea") { Length = 255, CompoundFieldName = compound, Generator = "Street" },
            new DemoField(prefix + "City", label + "City", "string") { Length = 40, CompoundFieldName = compound, Generator = "City" },
            new DemoField(prefix + "State", label + "State/Province", "string") { Length = 80, CompoundFieldName = compound, Generator = "State" },
            new DemoField(prefix + "PostalCode", label + "Zip/Postal Code", "string") { Length = 20, CompoundFieldName = compound, Generator = "PostalCode" },
            new DemoField(prefix + "Country", label + "Country", "string") { Length = 80, CompoundFieldName = compound, Generator = "Country" },
            new DemoField(prefix + "Latitude", label + "Latitude", "double") { CompoundFieldName = compound, Generator = "Latitude" },
            new DemoField(prefix + "Longitude", label + "Longitude", "double") { CompoundFieldName = compound, Generator = "Longitude" },
            new DemoField(prefix + "GeocodeAccuracy", label + "Geocode Accuracy", "picklist")
            {
                Length = 40, CompoundFieldName = compound, PicklistValues = GeocodeAccuracies, Generator = "GeocodeAccuracy",
            },
            new DemoField(compound, prefix.Length == 0 ? "Address" : prefix + " Address", "address") { Generator = "Address:" + prefix },
        ];
    }

    private static IEnumerable<DemoField> Audit() =>
    [
        new DemoField("CreatedDate", "Created Date", "datetime") { Nillable = false, Generator = "CreatedDate" },
        Reference("CreatedById", "Created By ID", "User", "CreatedBy", "AuditUser") with { Nillable = false },
        new DemoField("LastModifiedDate", "Last Modified Date", "datetime") { Nillable = false, Generator = "SystemModstamp" },
        Reference("LastModifiedById", "Last Modified By ID", "User", "LastModifiedBy", "AuditUser") with { Nillable = false },
        new DemoField("SystemModstamp", "System Modstamp", "datetime") { Nillable = false, Generator = "SystemModstamp" },
    ];
}
