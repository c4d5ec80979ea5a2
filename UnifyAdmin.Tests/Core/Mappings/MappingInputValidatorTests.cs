using UnifyAdmin.Core.Mappings;

namespace UnifyAdmin.Tests.Core.Mappings;

public sealed class MappingInputValidatorTests
{
    private static readonly Guid Space = Guid.NewGuid();

    internal static MappingFieldCatalog Catalog() => new(
    [
        new MappingField("Id", "Contact ID", "id", true),
        new MappingField("Email", "Email", "email", true),
        new MappingField("FirstName", "First Name", "string", true),
        new MappingField("LastName", "Last Name", "string", true),
        new MappingField("HasOptedOutOfEmail", "Email Opt Out", "boolean", true),
        new MappingField("External_Key__c", "External Key", "string", true, ExternalId: true, Unique: true),
        new MappingField("Account.Name", "Account Name", "string", true),
        new MappingField("MailingCity", "Mailing City", "string", true),
        new MappingField("MailingPostalCode", "Mailing Zip", "string", true),
        new MappingField("SystemModstamp", "System Modstamp", "datetime", true),
        new MappingField("Legacy_Score__c", "Legacy Score", "double", false),
    ]);

    private static MappingInput Valid() => new()
    {
        ProfileSpaceId = Space,
        UserIdField = "External_Key__c",
        Traits = [new TraitRowInput { Trait = "email", Field = "Email" }],
    };

    private static List<(string Property, string Message)> Errors(MappingInput input)
        => new MappingInputValidator(Catalog(), [Space]).Validate(input).Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList();

    [Fact]
    public void A_valid_mapping_passes()
        => Assert.Empty(Errors(Valid()));

    [Fact]
    public void Without_user_id_and_anonymous_id_both_fields_say_one_is_needed()
    {
        var input = Valid();
        input.UserIdField = null;

        var errors = Errors(input);

        Assert.Contains(("UserIdField", "You must map either a User ID or Anonymous ID field."), errors);
        Assert.Contains(("AnonymousIdField", "You must map either a User ID or Anonymous ID field."), errors);
        input.AnonymousIdField = "Id";
        Assert.Empty(Errors(input));
    }

    [Fact]
    public void Send_group_needs_a_group_id()
    {
        var input = Valid();
        input.Action = MappingAction.Group;

        Assert.Contains(("GroupIdField", MappingInputValidator.GroupIdRequiredMessage), Errors(input));
    }

    [Fact]
    public void Empty_duplicate_and_clashing_trait_names_are_marked_on_their_rows()
    {
        var input = Valid();
        input.Traits.Add(new TraitRowInput { Trait = " ", Field = "FirstName" });
        input.Traits.Add(new TraitRowInput { Trait = "email", Field = "LastName" });
        input.Traits.Add(new TraitRowInput { Trait = "address", Field = "MailingCity" });
        input.Traits.Add(new TraitRowInput { Trait = "address.city", Field = "MailingCity" });
        input.Traits.Add(new TraitRowInput { Trait = "first name", Field = "FirstName" });

        var errors = Errors(input);

        Assert.Contains(("Traits[1].Trait", "Enter a trait name."), errors);
        Assert.Contains(("Traits[2].Trait", "The trait `email` is already mapped above. Each trait name can be used once."), errors);
        Assert.Contains(errors, e => e.Property == "Traits[4].Trait" && e.Message.Contains("clash", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Property == "Traits[5].Trait" && e.Message.StartsWith("A trait name has no spaces", StringComparison.Ordinal));
    }

    [Fact]
    public void A_field_removed_from_the_org_is_refused_by_name_wherever_it_is_used()
    {
        var input = Valid();
        input.AnonymousIdField = "Legacy_Score__c";
        input.Traits.Add(new TraitRowInput { Trait = "score", Field = "Legacy_Score__c" });

        var errors = Errors(input);

        const string drift = "`Legacy_Score__c` was removed from Salesforce since the model was saved. Choose another field, or update the model.";
        Assert.Contains(("AnonymousIdField", drift), errors);
        Assert.Contains(("Traits[1].Field", drift), errors);
    }

    [Fact]
    public void A_trait_row_needs_a_field_or_a_static_value_and_the_timestamp_must_be_a_datetime()
    {
        var input = Valid();
        input.Traits.Add(new TraitRowInput { Trait = "x" });
        input.Traits.Add(new TraitRowInput { Trait = "y", IsStatic = true, StaticValue = null });
        input.TimestampField = "Email";

        var errors = Errors(input);

        Assert.Contains(("Traits[1].Field", "Choose the field this trait comes from."), errors);
        Assert.Contains(("Traits[2].StaticValue", "Enter the value every message carries for this trait."), errors);
        Assert.Contains(errors, e => e.Property == "TimestampField" && e.Message.Contains("`Email` is a email field", StringComparison.Ordinal));
    }

    [Fact]
    public void Three_hundred_traits_and_an_unknown_space_are_refused()
    {
        var input = Valid();
        input.ProfileSpaceId = Guid.NewGuid();
        input.Traits = Enumerable.Range(0, 300).Select(i => new TraitRowInput { Trait = $"t{i}", IsStatic = true, StaticValue = "x" }).ToList();

        var errors = Errors(input);

        Assert.Contains(("ProfileSpaceId", MappingInputValidator.SpaceRequiredMessage), errors);
        Assert.Contains(errors, e => e.Property == "Traits" && e.Message.Contains("this mapping has 300", StringComparison.Ordinal));
    }

    [Fact]
    public void A_checkbox_as_group_id_is_warned_about_not_refused()
    {
        var input = Valid();
        input.Action = MappingAction.Group;
        input.GroupIdField = "HasOptedOutOfEmail";

        Assert.Empty(Errors(input));
        Assert.Contains(MappingWarnings.For(input, Catalog()), w => w.StartsWith("Group ID `HasOptedOutOfEmail` is a checkbox", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("FirstName", TraitNaming.CamelCase, "firstName")]
    [InlineData("FirstName", TraitNaming.SnakeCase, "first_name")]
    [InlineData("External_Key__c", TraitNaming.CamelCase, "externalKey")]
    [InlineData("External_Key__c", TraitNaming.SnakeCase, "external_key")]
    [InlineData("MailingPostalCode", TraitNaming.SnakeCase, "mailing_postal_code")]
    [InlineData("Account.Name", TraitNaming.CamelCase, "accountName")]
    [InlineData("HTTPStatus", TraitNaming.SnakeCase, "http_status")]
    [InlineData("Id", TraitNaming.CamelCase, "salesforceId")]
    public void Trait_names_from_field_names_follow_the_chosen_convention(string field, TraitNaming naming, string expected)
        => Assert.Equal(expected, MappingSuggestions.TraitName(field, naming));

    [Fact]
    public void Add_all_fields_skips_mapped_fields_and_fields_gone_from_the_org()
    {
        var rows = MappingSuggestions.AllFields(Catalog(), TraitNaming.SnakeCase, [new TraitRowInput { Trait = "email", Field = "Email" }]);

        Assert.DoesNotContain(rows, r => r.Field == "Email");
        Assert.DoesNotContain(rows, r => r.Field == "Legacy_Score__c");
        Assert.Contains(new TraitMapping("first_name", "FirstName"), rows);
        Assert.Contains(new TraitMapping("account_name", "Account.Name"), rows);
    }

    [Fact]
    public void Reserved_traits_and_id_suggestions_come_from_the_model_fields()
    {
        var reserved = MappingSuggestions.Reserved(Catalog()).SelectMany(s => s.Rows).ToList();
        var ids = MappingSuggestions.IdCandidates(Catalog());

        Assert.Contains(new TraitMapping("firstName", "FirstName"), reserved);
        Assert.Contains(new TraitMapping("email", "Email"), reserved);
        Assert.Contains(new TraitMapping("address.city", "MailingCity"), reserved);
        Assert.Contains(new TraitMapping("address.postalCode", "MailingPostalCode"), reserved);
        Assert.Contains(new TraitMapping("company.name", "Account.Name"), reserved);
        Assert.Equal("External_Key__c", ids[0].Path);
        Assert.Contains(ids, s => s.Path == "Email");
    }
}
