using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace UnifyAdmin.Demo.Salesforce;

/// <summary>
/// The demo Salesforce org: generated records plus the changes made to them, schema changes, tokens,
/// the daily API allowance and injected faults. Tests drive it directly or through the control API.
/// </summary>
public sealed class SalesforceDemoOrg
{
    private static readonly HashSet<string> ReadOnlyFields = new(StringComparer.OrdinalIgnoreCase) { "Id", "IsDeleted" };

    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly DemoStateFile? stateFile;
    private readonly List<DemoSchemaChange> schemaChanges = [];
    private readonly Dictionary<string, DateTime> metadataModified = new(StringComparer.OrdinalIgnoreCase);
    private DateTime metadataFloor;
    private ImmutableDictionary<string, ObjectState> objects;
    private long apiCallsUsed;
    private long describesNotModified;
    private int faultStatus;
    private int faultsRemaining;
    private int tokenFaultStatus;
    private int tokenFaultsRemaining;
    private long tokenRequests;
    private int faultsServed;
    private int responsesDelayed;
    private int delayMs;

    public SalesforceDemoOrg(IOptions<SalesforceDemoOptions> options, TimeProvider time)
    {
        Options = options.Value;
        this.time = time;
        OrganizationId = DemoIds.Create("00D", (uint)Options.Seed % 1_000_000);
        DemoUserId = DemoIds.Create("005", 0);
        Tokens = new DemoTokens(DemoTokens.DeriveKey(Options.Seed, Options.ClientSecret), OrganizationId);
        Cursors = new DemoCursorStore(time);
        stateFile = Options.StatePath is null ? null : new DemoStateFile(Options.StatePath);
        var saved = stateFile?.Load();
        var anchor = saved?.AnchorUtc ?? TruncateToSecond(time.GetUtcNow().UtcDateTime.AddMinutes(-1));
        Generator = new DemoDataGenerator(Options.Seed, Options.ObjectSizes, anchor) { DemoUsername = Options.Username };
        objects = Initial();
        metadataFloor = Generator.AnchorUtc;
        if (saved is not null)
        {
            Restore(saved);
        }
        else
        {
            Save();
        }
    }

    public SalesforceDemoOptions Options { get; }

    /// <summary>18-character id of the demo org (key prefix 00D).</summary>
    public string OrganizationId { get; }

    /// <summary>18-character id of the demo user, record 0 of User, who signs in with the configured username.</summary>
    public string DemoUserId { get; }

    public bool ApiEnabled { get; private set; } = true;

    public long ApiCallsUsed => Interlocked.Read(ref apiCallsUsed);

    /// <summary>Describes answered 304 Not Modified (a revalidated copy was still current) since the last reset.</summary>
    public long DescribesNotModified => Interlocked.Read(ref describesNotModified);

    public long ApiCallsRemaining => Math.Max(0, Options.DailyApiLimit - ApiCallsUsed);

    internal DemoDataGenerator Generator { get; }

    internal DemoTokens Tokens { get; }

    internal DemoCursorStore Cursors { get; }

    internal DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    internal DemoView View() => new(Generator, objects);

    /// <summary>Id of generated record <paramref name="index"/> of an object, for tests that need a known record.</summary>
    public string RecordId(string objectName, long index) => DemoIds.Create(StateOf(objectName).Schema.KeyPrefix, index);

    public string Insert(string objectName, IReadOnlyDictionary<string, object?> fields)
    {
        lock (gate)
        {
            var state = StateOf(objectName);
            var index = state.NextInsertIndex;
            var id = DemoIds.Create(state.Schema.KeyPrefix, index);
            var now = TruncateToSecond(UtcNow);
            var values = ImmutableDictionary.CreateBuilder<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in new[] { "CreatedDate", "LastModifiedDate", "SystemModstamp" })
            {
                SetIfPresent(state.Schema, values, name, now);
            }

            foreach (var name in new[] { "CreatedById", "LastModifiedById", "OwnerId" })
            {
                SetIfPresent(state.Schema, values, name, DemoUserId);
            }

            Apply(state.Schema, values, fields, allowCreatedDate: true);
            var record = new ChangedRecord(index, id, values.ToImmutable(), Inserted: true, IsDeleted: false, DeletedAt: null, HardDeleted: false);
            Replace(state with { Changes = state.Changes.SetItem(index, record), NextInsertIndex = index + 1 });
            return id;
        }
    }

    public void Update(string objectName, string id, IReadOnlyDictionary<string, object?> fields)
    {
        lock (gate)
        {
            var (state, record) = Find(objectName, id);
            var values = record.Values.ToBuilder();
            var now = TruncateToSecond(UtcNow);
            SetIfPresent(state.Schema, values, "LastModifiedDate", now);
            SetIfPresent(state.Schema, values, "SystemModstamp", now);
            SetIfPresent(state.Schema, values, "LastModifiedById", DemoUserId);
            Apply(state.Schema, values, fields, allowCreatedDate: true);
            Replace(state with { Changes = state.Changes.SetItem(record.Index, record with { Values = values.ToImmutable() }) });
        }
    }

    /// <summary>Moves a record to the recycle bin: it leaves query results but stays visible to queryAll and the deleted resource.</summary>
    public void SoftDelete(string objectName, string id)
    {
        lock (gate)
        {
            var (state, record) = Find(objectName, id);
            var now = TruncateToSecond(UtcNow);
            var values = record.Values.ToBuilder();
            SetIfPresent(state.Schema, values, "LastModifiedDate", now);
            SetIfPresent(state.Schema, values, "SystemModstamp", now);
            var deleted = record with { Values = values.ToImmutable(), IsDeleted = true, DeletedAt = now };
            Replace(state with { Changes = state.Changes.SetItem(record.Index, deleted) });
        }
    }

    /// <summary>Removes a record for good: no query, queryAll or deleted call shows it again.</summary>
    public void HardDelete(string objectName, string id)
    {
        lock (gate)
        {
            var (state, record) = Find(objectName, id);
            var deleted = record with { IsDeleted = true, DeletedAt = record.DeletedAt ?? TruncateToSecond(UtcNow), HardDeleted = true };
            Replace(state with { Changes = state.Changes.SetItem(record.Index, deleted) });
        }
    }

    public void AddField(string objectName, DemoFieldDefinition definition)
    {
        lock (gate)
        {
            var change = new DemoSchemaChange("add", StateOf(objectName).Schema.Name, definition.Name, definition.Type, definition);
            ApplySchemaChange(change);
            schemaChanges.Add(change);
            Save();
        }
    }

    public void RemoveField(string objectName, string fieldName)
    {
        lock (gate)
        {
            var change = new DemoSchemaChange("remove", StateOf(objectName).Schema.Name, fieldName, null, null);
            ApplySchemaChange(change);
            schemaChanges.Add(change);
            Save();
        }
    }

    public void RetypeField(string objectName, string fieldName, string newType)
    {
        lock (gate)
        {
            var change = new DemoSchemaChange("retype", StateOf(objectName).Schema.Name, fieldName, newType, null);
            ApplySchemaChange(change);
            schemaChanges.Add(change);
            Save();
        }
    }

    /// <summary>Every access token issued so far answers 401 INVALID_SESSION_ID from now on.</summary>
    public void ExpireAccessTokens()
    {
        lock (gate)
        {
            Tokens.AccessGeneration++;
            Save();
        }
    }

    /// <summary>Every refresh token issued so far answers invalid_grant from now on.</summary>
    public void ExpireRefreshTokens()
    {
        lock (gate)
        {
            Tokens.RefreshGeneration++;
            Save();
        }
    }

    public void SetRemainingApiCalls(long remaining) =>
        Interlocked.Exchange(ref apiCallsUsed, Math.Max(0, Options.DailyApiLimit - Math.Max(0, remaining)));

    public void SetApiEnabled(bool enabled)
    {
        lock (gate)
        {
            ApiEnabled = enabled;
            Save();
        }
    }

    /// <summary>The next <paramref name="count"/> API responses fail with <paramref name="statusCode"/> (500 or 503).</summary>
    public void InjectFaults(int statusCode, int count)
    {
        if (statusCode is not (500 or 502 or 503 or 504))
        {
            throw new DemoOrgException(400, "INVALID_FAULT", "statusCode must be 500, 502, 503 or 504");
        }

        lock (gate)
        {
            faultStatus = statusCode;
            faultsRemaining = Math.Max(0, count);
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> answers of the token endpoint fail with <paramref name="statusCode"/>
    /// (500 to 504), so a test can prove that token requests are never sent twice.
    /// </summary>
    public void InjectTokenFaults(int statusCode, int count)
    {
        if (statusCode is < 500 or > 504)
        {
            throw new DemoOrgException(400, "INVALID_FAULT", "statusCode must be between 500 and 504");
        }

        lock (gate)
        {
            tokenFaultStatus = statusCode;
            tokenFaultsRemaining = Math.Max(0, count);
        }
    }

    /// <summary>Requests the token endpoint received, faulted ones included.</summary>
    public long TokenRequests => Interlocked.Read(ref tokenRequests);

    /// <summary>Turns refresh token rotation on or off (see <see cref="SalesforceDemoOptions.RotateRefreshTokens"/>).</summary>
    public void SetRefreshTokenRotation(bool rotate)
    {
        lock (gate)
        {
            Options.RotateRefreshTokens = rotate;
        }
    }

    /// <summary>Counts a token request and takes one pending token fault, if any.</summary>
    internal int? TakeTokenFault()
    {
        Interlocked.Increment(ref tokenRequests);
        lock (gate)
        {
            if (tokenFaultsRemaining <= 0)
            {
                return null;
            }

            tokenFaultsRemaining--;
            return tokenFaultStatus;
        }
    }

    /// <summary>Every API response waits this long before it is written, until cleared.</summary>
    public void SetResponseDelay(TimeSpan delay) => Volatile.Write(ref delayMs, (int)Math.Max(0, delay.TotalMilliseconds));

    public void ClearFaults()
    {
        lock (gate)
        {
            faultsRemaining = 0;
            tokenFaultsRemaining = 0;
            delayMs = 0;
        }
    }

    /// <summary>Back to the generated org: no changed records, no schema changes, full allowance, API enabled, no faults.</summary>
    public void Reset()
    {
        lock (gate)
        {
            objects = Initial();
            schemaChanges.Clear();
            metadataModified.Clear();
            metadataFloor = NextMetadataStamp(metadataFloor);
            ApiEnabled = true;
            faultsRemaining = 0;
            faultsServed = 0;
            tokenFaultsRemaining = 0;
            delayMs = 0;
            Interlocked.Exchange(ref apiCallsUsed, 0);
            Interlocked.Exchange(ref describesNotModified, 0);
            Cursors.Clear();
            Save();
        }
    }

    /// <summary>
    /// When an object's metadata last changed, for describe's <c>Last-Modified</c> and <c>If-Modified-Since</c>.
    /// Whole seconds (HTTP dates have no finer grain), and every change moves it at least one second on, so
    /// two changes within a second can never hide behind one date.
    /// </summary>
    internal DateTime MetadataModifiedUtc(string objectName)
    {
        lock (gate)
        {
            var at = metadataModified.GetValueOrDefault(objectName, metadataFloor);
            return at > metadataFloor ? at : metadataFloor;
        }
    }

    private DateTime NextMetadataStamp(DateTime previous)
    {
        var now = UtcNow;
        var ceiling = TruncateToSecond(now) < now ? TruncateToSecond(now).AddSeconds(1) : TruncateToSecond(now);
        return ceiling > previous ? ceiling : previous.AddSeconds(1);
    }

    internal void CountDescribeNotModified() => Interlocked.Increment(ref describesNotModified);

    internal TimeSpan ResponseDelay => TimeSpan.FromMilliseconds(Volatile.Read(ref delayMs));

    /// <summary>API requests held back by the response delay so far: lets a test wait until its call is in flight.</summary>
    public int ResponsesDelayed => Volatile.Read(ref responsesDelayed);

    internal void CountDelayedResponse() => Interlocked.Increment(ref responsesDelayed);

    /// <summary>Takes one pending fault, if any.</summary>
    internal int? TakeFault()
    {
        lock (gate)
        {
            if (faultsRemaining <= 0)
            {
                return null;
            }

            faultsRemaining--;
            faultsServed++;
            return faultStatus;
        }
    }

    /// <summary>Injected REST faults answered so far: proof for a test that the fault it armed fired.</summary>
    public int FaultsServed
    {
        get
        {
            lock (gate)
            {
                return faultsServed;
            }
        }
    }

    /// <summary>Counts one call against the allowance; false once it is spent.</summary>
    internal bool TryConsumeApiCall()
    {
        while (true)
        {
            var used = Interlocked.Read(ref apiCallsUsed);
            if (used >= Options.DailyApiLimit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref apiCallsUsed, used + 1, used) == used)
            {
                return true;
            }
        }
    }

    internal void SaveTokenState()
    {
        lock (gate)
        {
            Save();
        }
    }

    internal string Signature(string identityUrl, string issuedAt) => Convert.ToBase64String(
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(Options.ClientSecret), Encoding.UTF8.GetBytes(identityUrl + issuedAt)));

    private static DateTime TruncateToSecond(DateTime value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    private static ImmutableDictionary<string, ObjectState> Initial() => DemoSchema.BuiltIn().ToImmutableDictionary(
        o => o.Name,
        o => new ObjectState(o, ImmutableSortedDictionary<long, ChangedRecord>.Empty, DemoDataGenerator.InsertedIndexBase),
        StringComparer.OrdinalIgnoreCase);

    private ObjectState StateOf(string objectName) =>
        objects.GetValueOrDefault(objectName) is { Schema.Noise: false } state
            ? state
            : throw new DemoOrgException(404, "NOT_FOUND", $"sObject type '{objectName}' is not supported by the demo org");

    private (ObjectState State, ChangedRecord Record) Find(string objectName, string id)
    {
        var state = StateOf(objectName);
        if (!DemoIds.TryParse(id, state.Schema.KeyPrefix, out var index))
        {
            throw new DemoOrgException(404, "NOT_FOUND", $"No {state.Schema.Name} record has id '{id}'");
        }

        if (state.Changes.TryGetValue(index, out var existing))
        {
            return existing.HardDeleted
                ? throw new DemoOrgException(404, "ENTITY_IS_DELETED", $"The {state.Schema.Name} record '{id}' was deleted")
                : (state, existing);
        }

        if (index >= Generator.Count(state.Schema.Name))
        {
            throw new DemoOrgException(404, "NOT_FOUND", $"No {state.Schema.Name} record has id '{id}'");
        }

        return (state, new ChangedRecord(index, DemoIds.Create(state.Schema.KeyPrefix, index),
            ImmutableDictionary.Create<string, object?>(StringComparer.OrdinalIgnoreCase), false, false, null, false));
    }

    private static void SetIfPresent(DemoObject schema, ImmutableDictionary<string, object?>.Builder values, string name, object value)
    {
        if (schema.Field(name) is { } field)
        {
            values[field.Name] = value;
        }
    }

    private static void Apply(DemoObject schema, ImmutableDictionary<string, object?>.Builder values, IReadOnlyDictionary<string, object?> fields, bool allowCreatedDate)
    {
        foreach (var (name, raw) in fields)
        {
            var field = schema.Field(name)
                ?? throw new DemoOrgException(400, "INVALID_FIELD", $"No such column '{name}' on sobject of type {schema.Name}");
            if (ReadOnlyFields.Contains(field.Name) || field.Calculated || field.Kind == DemoValueKind.Address
                || (!allowCreatedDate && field.Name == "CreatedDate"))
            {
                throw new DemoOrgException(400, "INVALID_FIELD_FOR_INSERT_UPDATE", $"Unable to create/update fields: {field.Name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.");
            }

            values[field.Name] = DemoJson.ConvertForField(field, raw);
        }
    }

    private void Replace(ObjectState state)
    {
        objects = objects.SetItem(state.Schema.Name, state);
        Save();
    }

    private void ApplySchemaChange(DemoSchemaChange change)
    {
        var state = StateOf(change.Object);
        var schema = state.Schema;
        var fields = schema.Fields.ToList();
        var existing = schema.Field(change.Field);
        switch (change.Operation)
        {
            case "add":
            {
                var definition = change.Definition!;
                if (existing is not null)
                {
                    throw new DemoOrgException(400, "DUPLICATE_DEVELOPER_NAME", $"Field '{definition.Name}' already exists on {schema.Name}");
                }

                if (!DemoField.SupportedTypes.Contains(definition.Type) || definition.Type == "id")
                {
                    throw new DemoOrgException(400, "INVALID_TYPE", $"Field type '{definition.Type}' is not supported; use one of {string.Join(", ", DemoField.SupportedTypes)}");
                }

                if (definition.Type == "reference" && (definition.ReferenceTo is null || !objects.ContainsKey(definition.ReferenceTo) || definition.RelationshipName is null))
                {
                    throw new DemoOrgException(400, "INVALID_FIELD", "A reference field needs referenceTo (an existing object) and relationshipName");
                }

                fields.Add(new DemoField(definition.Name, definition.Label ?? definition.Name.Replace("__c", "", StringComparison.Ordinal).Replace('_', ' '), definition.Type)
                {
                    Length = definition.Length ?? (DemoField.KindOf(definition.Type) == DemoValueKind.Text ? 255 : 0),
                    PicklistValues = definition.PicklistValues ?? [],
                    ReferenceTo = definition.ReferenceTo,
                    RelationshipName = definition.RelationshipName,
                    // A new field is empty on existing records, as in a real org.
                    Generator = "None",
                });
                break;
            }

            case "remove":
                if (existing is null || existing.Generator is "Id")
                {
                    throw new DemoOrgException(404, "INVALID_FIELD", $"No such column '{change.Field}' on entity '{schema.Name}'");
                }

                fields.Remove(existing);
                break;
            default:
                if (existing is null || existing.Generator is "Id" || !DemoField.SupportedTypes.Contains(change.Type ?? ""))
                {
                    throw new DemoOrgException(400, "INVALID_FIELD", $"Cannot change field '{change.Field}' on entity '{schema.Name}' to type '{change.Type}'");
                }

                var sameKind = DemoField.KindOf(change.Type!) == existing.Kind;
                fields[fields.IndexOf(existing)] = existing with
                {
                    Type = change.Type!,
                    Generator = sameKind ? existing.Generator : null,
                    Calculated = sameKind && existing.Calculated,
                    PicklistValues = change.Type is "picklist" or "multipicklist" or "combobox" ? existing.PicklistValues : [],
                    ReferenceTo = change.Type == "reference" ? existing.ReferenceTo : null,
                    RelationshipName = change.Type == "reference" ? existing.RelationshipName : null,
                };
                break;
        }

        objects = objects.SetItem(schema.Name, state with { Schema = schema.WithFields(fields) });
        var previous = metadataModified.GetValueOrDefault(schema.Name, metadataFloor);
        metadataModified[schema.Name] = NextMetadataStamp(previous > metadataFloor ? previous : metadataFloor);
    }

    private void Save() => stateFile?.Save(new DemoSavedState(
        Generator.AnchorUtc,
        schemaChanges.ToList(),
        objects.Values.SelectMany(o => o.Changes.Values.Select(r => (o.Schema.Name, r))).ToList(),
        objects.Values.Where(o => o.NextInsertIndex != DemoDataGenerator.InsertedIndexBase).ToDictionary(o => o.Schema.Name, o => o.NextInsertIndex),
        Tokens.AccessGeneration,
        Tokens.RefreshGeneration,
        Tokens.Revoked.ToList(),
        ApiEnabled));

    private void Restore(DemoSavedState saved)
    {
        foreach (var change in saved.SchemaChanges)
        {
            try
            {
                ApplySchemaChange(change);
                schemaChanges.Add(change);
            }
            catch (DemoOrgException)
            {
                // A change that no longer applies (for example to a renamed built-in) is dropped rather than blocking start.
            }
        }

        foreach (var group in saved.Records.GroupBy(r => r.Object, StringComparer.OrdinalIgnoreCase))
        {
            if (!objects.TryGetValue(group.Key, out var state))
            {
                continue;
            }

            var changes = state.Changes;
            foreach (var (_, record) in group)
            {
                var values = record.Values.ToImmutableDictionary(
                    kv => kv.Key,
                    kv => state.Schema.Field(kv.Key) is { } field ? SafeConvert(field, kv.Value) : kv.Value,
                    StringComparer.OrdinalIgnoreCase);
                changes = changes.SetItem(record.Index, record with { Values = values });
            }

            objects = objects.SetItem(state.Schema.Name, state with
            {
                Changes = changes,
                NextInsertIndex = saved.NextInsertIndex.GetValueOrDefault(state.Schema.Name, state.NextInsertIndex),
            });
        }

        Tokens.AccessGeneration = saved.AccessGeneration;
        Tokens.RefreshGeneration = saved.RefreshGeneration;
        foreach (var nonce in saved.RevokedNonces)
        {
            Tokens.Revoke(nonce);
        }

        ApiEnabled = saved.ApiEnabled;
    }

    private static object? SafeConvert(DemoField field, object? value)
    {
        try
        {
            return DemoJson.ConvertForField(field, value);
        }
        catch (DemoOrgException)
        {
            return value;
        }
    }
}
