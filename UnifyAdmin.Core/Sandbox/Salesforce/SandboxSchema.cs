using System.Collections.Frozen;

namespace UnifyAdmin.Core.Sandbox.Salesforce;

/// <summary>How a field's values are held in memory, whatever its Salesforce type name.</summary>
internal enum SandboxValueKind
{
    Text,
    Boolean,
    Integer,
    Number,
    Date,
    DateTime,
    Address,
}

/// <summary>One field of a sandbox object's describe, plus the key of the generator that fills it.</summary>
internal sealed record SandboxField(string Name, string Label, string Type)
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

    public SandboxValueKind Kind => KindOf(Type);

    public bool IsSystemTimestamp => Generator is "CreatedDate" or "SystemModstamp" && Kind == SandboxValueKind.DateTime;

    public ulong Hash { get; } = SandboxHash.Of(Name);

    public static SandboxValueKind KindOf(string type) => type switch
    {
        "boolean" => SandboxValueKind.Boolean,
        "int" or "long" => SandboxValueKind.Integer,
        "double" or "currency" or "percent" => SandboxValueKind.Number,
        "date" => SandboxValueKind.Date,
        "datetime" => SandboxValueKind.DateTime,
        "address" => SandboxValueKind.Address,
        _ => SandboxValueKind.Text,
    };

    public static readonly FrozenSet<string> SupportedTypes = new[]
    {
        "id", "string", "boolean", "int", "long", "double", "currency", "percent", "date", "datetime", "picklist",
        "multipicklist", "combobox", "reference", "textarea", "email", "phone", "url", "encryptedstring",
    }.ToFrozenSet();
}

/// <summary>One sandbox object (sObject) with its fields in describe order.</summary>
internal sealed class SandboxObject
{
    private readonly Dictionary<string, SandboxField> byName;
    private readonly Dictionary<string, SandboxField> byRelationship;

    public SandboxObject(string name, string label, string labelPlural, string keyPrefix, IReadOnlyList<SandboxField> fields)
    {
        Name = name;
        NameHash = SandboxHash.Of(name);
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

    public IReadOnlyList<SandboxField> Fields { get; }

    public bool Custom => Name.EndsWith("__c", StringComparison.Ordinal);

    public bool Queryable { get; init; } = true;

    /// <summary>History, Share, Feed and ChangeEvent objects: listed by describeGlobal, never holding data.</summary>
    public bool Noise { get; init; }

    public SandboxField? Field(string name) => byName.GetValueOrDefault(name);

    public SandboxField? Relationship(string name) => byRelationship.GetValueOrDefault(name);

    public SandboxObject WithFields(IReadOnlyList<SandboxField> fields) =>
        new(Name, Label, LabelPlural, KeyPrefix, fields) { Queryable = Queryable, Noise = Noise };
}

/// <summary>Stable 64-bit hashing, so generated data is the same on every machine and run.</summary>
internal static class SandboxHash
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
internal static class SandboxSchema
{
    private static readonly string[] Industries =
        ["Agriculture", "Apparel", "Banking", "Biotechnology", "Communications", "Construction", "Consulting", "Education",
         "Electronics", "Energy", "Engineering", "Entertainment", "Finance", "Healthcare", "Hospitality", "Insurance",
         "Manufacturing", "Media", "Retail", "Technology", "Transportation", "Utilities"];

    private static readonly string[] LeadSources = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"];

    private static readonly string[] GeocodeAccuracies = ["Address", "NearAddress", "Block", "Street", "ExtendedZip", "Zip", "City"];

    public static IReadOnlyList<SandboxObject> BuiltIn() =>
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

    private static SandboxObject Account() => new("Account", "Account", "Accounts", "001",
    [
        IdField(),
        IsDeleted(),
        Text("Name", "Account Name", "CompanyName", 255) with { Nillable = false, NameField = true },
        Text("AccountNumber", "Account Number", "AccountNumber", 40),
        Picklist("Type", "Account Type", "Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller", "Other"),
        Picklist("Industry", "Industry", Industries),
        Picklist("Rating", "Account Rating", "Hot", "Warm", "Cold"),
        new SandboxField("AnnualRevenue", "Annual Revenue", "currency") { Generator = "AnnualRevenue" },
        new SandboxField("NumberOfEmployees", "Employees", "int") { Generator = "Employees" },
        new SandboxField("Phone", "Account Phone", "phone") { Length = 40, Generator = "Phone" },
        new SandboxField("Website", "Website", "url") { Length = 255, Generator = "Website" },
        new SandboxField("Description", "Account Description", "textarea") { Length = 32000, Generator = "Description" },
        .. Address("Billing"),
        Reference("OwnerId", "Owner ID", "User", "Owner", "Owner") with { Nillable = false },
        new SandboxField("Annual_Revenue_Band__c", "Annual Revenue Band", "string")
        {
            Length = 1300, Calculated = true, Generator = "RevenueBand",
            Formula = "IF(AnnualRevenue < 1000000, \"Small\", IF(AnnualRevenue < 50000000, \"Mid-Market\", \"Enterprise\"))",
        },
        Picklist("Customer_Tier__c", "Customer Tier", "Bronze", "Silver", "Gold", "Platinum"),
        .. Audit(),
    ]);

    private static SandboxObject Contact() => new("Contact", "Contact", "Contacts", "003",
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
        new SandboxField("Email", "Email", "email") { Length = 80, Generator = "Email", ExternalId = false },
        new SandboxField("Phone", "Business Phone", "phone") { Length = 40, Generator = "Phone" },
        new SandboxField("MobilePhone", "Mobile Phone", "phone") { Length = 40, Generator = "MobilePhone" },
        .. Address("Mailing"),
        new SandboxField("Birthdate", "Birthdate", "date") { Generator = "Birthdate" },
        Picklist("LeadSource", "Lead Source", LeadSources),
        new SandboxField("HasOptedOutOfEmail", "Email Opt Out", "boolean") { Nillable = false, Generator = "OptOut" },
        new SandboxField("Description", "Contact Description", "textarea") { Length = 32000, Generator = "Description" },
        Reference("OwnerId", "Owner ID", "User", "Owner", "Owner") with { Nillable = false },
        new SandboxField("Full_Name__c", "Full Name (formula)", "string")
        {
            Length = 1300, Calculated = true, Generator = "FullNameFormula", Formula = "FirstName & \" \" & LastName",
        },
        new SandboxField("Lifetime_Value__c", "Lifetime Value", "currency") { Generator = "LifetimeValue" },
        new SandboxField("External_Key__c", "External Key", "string") { Length = 64, Unique = true, ExternalId = true, Generator = "ExternalKey" },
        .. Audit(),
    ]);

    private static SandboxObject Lead() => new("Lead", "Lead", "Leads", "00Q",
    [
        IdField(),
        IsDeleted(),
        Text("FirstName", "First Name", "FirstName", 40),
        Text("LastName", "Last Name", "LastName", 80) with { Nillable = false },
        Text("Name", "Full Name", "FullName", 121) with { Nillable = false, NameField = true },
        Text("Company", "Company", "CompanyName", 255) with { Nillable = false },
        Text("Title", "Title", "Title", 128),
        new SandboxField("Email", "Email", "email") { Length = 80, Generator = "Email" },
        new SandboxField("Phone", "Phone", "phone") { Length = 40, Generator = "Phone" },
        Picklist("Status", "Lead Status", "Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted") with { Nillable = false },
        Picklist("LeadSource", "Lead Source", LeadSources),
        Picklist("Industry", "Industry", Industries),
        Picklist("Rating", "Rating", "Hot", "Warm", "Cold"),
        new SandboxField("AnnualRevenue", "Annual Revenue", "currency") { Generator = "AnnualRevenue" },
        new SandboxField("NumberOfEmployees", "Employees", "int") { Generator = "Employees" },
        .. Address(""),
        new SandboxField("IsConverted", "Converted", "boolean") { Nillable = false, Generator = "IsConverted" },
        Reference("OwnerId", "Owner ID", "User", "Owner", "Owner") with { Nillable = false },
        .. Audit(),
    ]);

    private static SandboxObject Opportunity() => new("Opportunity", "Opportunity", "Opportunities", "006",
    [
        IdField(),
        IsDeleted(),
        Reference("AccountId", "Account ID", "Account", "Account", "OpportunityAccount"),
        Text("Name", "Name", "OpportunityName", 120) with { Nillable = false, NameField = true },
        Picklist("StageName", "Stage", "Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost") with { Nillable = false },
        new SandboxField("Amount", "Amount", "currency") { Generator = "Amount" },
        new SandboxField("Probability", "Probability (%)", "percent") { Generator = "Probability" },
        new SandboxField("CloseDate", "Close Date", "date") { Nillable = false, Generator = "CloseDate" },
        Picklist("Type", "Opportunity Type", "Existing Customer - Upgrade", "Existing Customer - Replacement", "Existing Customer - Downgrade", "New Customer"),
        Picklist("LeadSource", "Lead Source", LeadSources),
        new SandboxField("IsClosed", "Closed", "boolean") { Nillable = false, Generator = "OpportunityClosed" },
        new SandboxField("IsWon", "Won", "boolean") { Nillable = false, Generator = "OpportunityWon" },
        Reference("OwnerId", "Owner ID", "User", "Owner", "Owner") with { Nillable = false },
        .. Audit(),
    ]);

    private static SandboxObject Case() => new("Case", "Case", "Cases", "500",
    [
        IdField(),
        IsDeleted(),
        Text("CaseNumber", "Case Number", "CaseNumber", 30) with { Nillable = false, NameField = true },
        Reference("AccountId", "Account ID", "Account", "Account", "CaseAccount"),
        Reference("ContactId", "Contact ID", "Contact", "Contact", "CaseContact"),
        Text("Subject", "Subject", "Subject", 255),
        new SandboxField("Description", "Description", "textarea") { Length = 32000, Generator = "Description" },
        Picklist("Status", "Status", "New", "Working", "Escalated", "Closed"),
        Picklist("Priority", "Priority", "High", "Medium", "Low"),
        Picklist("Origin", "Case Origin", "Phone", "Email", "Web"),
        Picklist("Type", "Case Type", "Mechanical", "Electrical", "Electronic", "Structural", "Other"),
        new SandboxField("IsClosed", "Closed", "boolean") { Nillable = false, Generator = "CaseClosed" },
        new SandboxField("ClosedDate", "Closed Date", "datetime") { Generator = "CaseClosedDate" },
        Reference("OwnerId", "Owner ID", "User", "Owner", "Owner") with { Nillable = false },
        .. Audit(),
    ]);

    private static SandboxObject User() => new("User", "User", "Users", "005",
    [
        IdField(),
        Text("Username", "Username", "Username", 80) with { Nillable = false, Unique = true },
        Text("FirstName", "First Name", "FirstName", 40),
        Text("LastName", "Last Name", "LastName", 80) with { Nillable = false },
        Text("Name", "Full Name", "FullName", 121) with { Nillable = false, NameField = true },
        new SandboxField("Email", "Email", "email") { Length = 128, Nillable = false, Generator = "Email" },
        Text("Alias", "Alias", "Alias", 8) with { Nillable = false },
        Text("Title", "Title", "Title", 80),
        Text("Department", "Department", "Department", 80),
        new SandboxField("IsActive", "Active", "boolean") { Nillable = false, Generator = "IsActive" },
        Picklist("TimeZoneSidKey", "Time Zone", "America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Paris", "Asia/Tokyo") with { Nillable = false },
        new SandboxField("LastLoginDate", "Last Login", "datetime") { Generator = "LastLoginDate" },
        .. Audit(),
    ]);

    private static SandboxObject Subscription() => new("Subscription__c", "Subscription", "Subscriptions", "a0B",
    [
        IdField(),
        IsDeleted(),
        Text("Name", "Subscription Name", "SubscriptionName", 80) with { Nillable = false, NameField = true },
        Reference("Account__c", "Account", "Account", "Account__r", "SubscriptionAccount"),
        Picklist("Plan__c", "Plan", "Free", "Starter", "Growth", "Enterprise"),
        Picklist("Status__c", "Status", "Active", "Trialing", "Past Due", "Canceled"),
        new SandboxField("Seats__c", "Seats", "double") { Generator = "Seats" },
        new SandboxField("Monthly_Amount__c", "Monthly Amount", "currency") { Generator = "MonthlyAmount" },
        new SandboxField("Start_Date__c", "Start Date", "date") { Generator = "StartDate" },
        new SandboxField("Renewal_Date__c", "Renewal Date", "date") { Generator = "RenewalDate" },
        new SandboxField("Auto_Renew__c", "Auto Renew", "boolean") { Nillable = false, Generator = "AutoRenew" },
        Reference("OwnerId", "Owner ID", "User", "Owner", "Owner") with { Nillable = false },
        .. Audit(),
    ]);

    private static SandboxObject Noise(string name, string label, string prefix, bool queryable) => new(name, label, label, prefix,
    [
        IdField(),
        IsDeleted(),
        new SandboxField("CreatedDate", "Created Date", "datetime") { Nillable = false, Generator = "CreatedDate" },
    ]) { Queryable = queryable, Noise = true };

    private static SandboxField IdField() =>
        new("Id", "Record ID", "id") { Length = 18, Nillable = false, Generator = "Id" };

    private static SandboxField IsDeleted() =>
        new("IsDeleted", "Deleted", "boolean") { Nillable = false, Generator = "IsDeleted" };

    private static SandboxField Text(string name, string label, string generator, int length) =>
        new(name, label, "string") { Length = length, Generator = generator };

    private static SandboxField Picklist(string name, string label, params string[] values) =>
        new(name, label, "picklist") { Length = 255, PicklistValues = values, Generator = "Picklist" };

    private static SandboxField Reference(string name, string label, string target, string relationship, string generator) =>
        new(name, label, "reference") { Length = 18, ReferenceTo = target, RelationshipName = relationship, Generator = generator };

    private static IEnumerable<SandboxField> Address(string prefix)
    {
        var compound = prefix + "Address";
        var label = prefix.Length == 0 ? "" : prefix + " ";
        return
        [
            new SandboxField(prefix + "Street", label + "Street", "textarea") { Length = 255, CompoundFieldName = compound, Generator = "Street" },
            new SandboxField(prefix + "City", label + "City", "string") { Length = 40, CompoundFieldName = compound, Generator = "City" },
            new SandboxField(prefix + "State", label + "State/Province", "string") { Length = 80, CompoundFieldName = compound, Generator = "State" },
            new SandboxField(prefix + "PostalCode", label + "Zip/Postal Code", "string") { Length = 20, CompoundFieldName = compound, Generator = "PostalCode" },
            new SandboxField(prefix + "Country", label + "Country", "string") { Length = 80, CompoundFieldName = compound, Generator = "Country" },
            new SandboxField(prefix + "Latitude", label + "Latitude", "double") { CompoundFieldName = compound, Generator = "Latitude" },
            new SandboxField(prefix + "Longitude", label + "Longitude", "double") { CompoundFieldName = compound, Generator = "Longitude" },
            new SandboxField(prefix + "GeocodeAccuracy", label + "Geocode Accuracy", "picklist")
            {
                Length = 40, CompoundFieldName = compound, PicklistValues = GeocodeAccuracies, Generator = "GeocodeAccuracy",
            },
            new SandboxField(compound, prefix.Length == 0 ? "Address" : prefix + " Address", "address") { Generator = "Address:" + prefix },
        ];
    }

    private static IEnumerable<SandboxField> Audit() =>
    [
        new SandboxField("CreatedDate", "Created Date", "datetime") { Nillable = false, Generator = "CreatedDate" },
        Reference("CreatedById", "Created By ID", "User", "CreatedBy", "AuditUser") with { Nillable = false },
        new SandboxField("LastModifiedDate", "Last Modified Date", "datetime") { Nillable = false, Generator = "SystemModstamp" },
        Reference("LastModifiedById", "Last Modified By ID", "User", "LastModifiedBy", "AuditUser") with { Nillable = false },
        new SandboxField("SystemModstamp", "System Modstamp", "datetime") { Nillable = false, Generator = "SystemModstamp" },
    ];
}
