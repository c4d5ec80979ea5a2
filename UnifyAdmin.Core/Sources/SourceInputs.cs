using FluentValidation;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Core.Sources;

/// <summary>What an admin types to connect a Salesforce org (step 1 of the wizard).</summary>
public sealed class SourceConnectionInput
{
    public string Name { get; set; } = "";
    public SalesforceLoginKind LoginKind { get; set; } = SalesforceLoginKind.Production;

    /// <summary>Only for <see cref="SalesforceLoginKind.MyDomain"/>: e.g. <c>https://acme.my.salesforce.com</c>.</summary>
    public string MyDomainUrl { get; set; } = "";

    /// <summary>The admin confirmed a My Domain URL whose host is not one of Salesforce's domains.</summary>
    public bool TrustUnknownHost { get; set; }

    public SalesforceAuthFlow AuthFlow { get; set; } = SalesforceAuthFlow.WebServer;
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string JwtUsername { get; set; } = "";
    public string JwtPrivateKeyPem { get; set; } = "";

    public SourceConnectionInput Clone() => (SourceConnectionInput)MemberwiseClone();

    /// <summary>Keeps secrets out of logs.</summary>
    public override string ToString() => $"SourceConnectionInput {{ Name = {Name}, LoginKind = {LoginKind}, AuthFlow = {AuthFlow} }}";
}

/// <summary>The collections and columns a source may read, plus the historical range.</summary>
public sealed class SelectiveSyncInput
{
    public List<SelectedCollectionInput> Collections { get; set; } = [];

    /// <summary>Null: all time.</summary>
    public DateTimeOffset? HistoricalSince { get; set; }
}

/// <summary>One picked collection and its columns.</summary>
public sealed record SelectedCollectionInput(string Name, string? Label, bool Custom, IReadOnlyList<string> Columns);

public sealed class SourceConnectionInputValidator : AbstractValidator<SourceConnectionInput>
{
    /// <summary>The validator of a new source, as registered for DI (which only takes validators with no settings).</summary>
    public SourceConnectionInputValidator()
        : this(requireSecret: true)
    {
    }

    /// <param name="requireSecret">False when editing a saved source whose secret is kept if left blank.</param>
    public SourceConnectionInputValidator(bool requireSecret)
    {
        RuleFor(x => x.Name)
            .NotEmpty().WithMessage("Name the source, e.g. \"Production org\".")
            .MaximumLength(100).WithMessage("Use at most 100 characters.");
        RuleFor(x => x.MyDomainUrl)
            .NotEmpty().WithMessage("Enter your My Domain URL, like https://acme.my.salesforce.com.")
            .Must(BeMyDomainUrl).WithMessage("Enter a full https URL, like https://acme.my.salesforce.com.")
            .When(x => x.LoginKind == SalesforceLoginKind.MyDomain);
        RuleFor(x => x.MyDomainUrl)
            .Must(BeKnownHost).WithMessage(x => UnknownHostMessage(x.MyDomainUrl))
            .When(x => x.LoginKind == SalesforceLoginKind.MyDomain && !x.TrustUnknownHost && BeMyDomainUrl(x.MyDomainUrl));
        RuleFor(x => x.ClientId)
            .NotEmpty().WithMessage("Enter the consumer key (client id) of your Salesforce External Client App.")
            .MaximumLength(300).WithMessage("Use at most 300 characters.")
            .Must(NoWhitespace).WithMessage("The client id has no spaces: check for a copy-and-paste slip.");
        RuleFor(x => x.ClientSecret)
            .NotEmpty().WithMessage("Enter the consumer secret (client secret).")
            .When(x => requireSecret && x.AuthFlow != SalesforceAuthFlow.JwtBearer && x.LoginKind != SalesforceLoginKind.AppHosted);
        RuleFor(x => x.ClientSecret)
            .Must(NoWhitespace).WithMessage("The client secret has no spaces: check for a copy-and-paste slip.");
        RuleFor(x => x.JwtUsername)
            .NotEmpty().WithMessage("Enter the Salesforce username the integration signs in as.")
            .When(x => x.AuthFlow == SalesforceAuthFlow.JwtBearer);
        RuleFor(x => x.JwtPrivateKeyPem)
            .NotEmpty().WithMessage("Paste the private key (PEM) whose certificate is uploaded to the External Client App.")
            .Must(p => p.Contains("PRIVATE KEY", StringComparison.Ordinal)).WithMessage("This is not a PEM private key: it should start with -----BEGIN PRIVATE KEY-----.")
            .When(x => x.AuthFlow == SalesforceAuthFlow.JwtBearer && (requireSecret || !string.IsNullOrEmpty(x.JwtPrivateKeyPem)));
    }

    /// <summary>True when the URL parses and its host is not one of Salesforce's: the form then asks for confirmation.</summary>
    public static bool IsUnknownHost(string url)
        => Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host) && !SalesforceHosts.IsKnownSalesforceHost(uri);

    private static bool BeKnownHost(string url) => !IsUnknownHost(url);

    private static string UnknownHostMessage(string url)
        => $"{(Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) ? uri.Host : url)} is not a Salesforce address (those end in my.salesforce.com, force.com and the like). "
           + "Check for a typo; if your org really is served there, tick \"I trust this host\".";

    private static bool NoWhitespace(string value) => !value.Any(char.IsWhiteSpace);

    private static bool BeMyDomainUrl(string value)
        => Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host) && SalesforceHosts.IsAllowedMyDomain(uri);
}

public sealed class SelectiveSyncInputValidator : AbstractValidator<SelectiveSyncInput>
{
    public SelectiveSyncInputValidator(TimeProvider? clock = null)
    {
        var time = clock ?? TimeProvider.System;
        RuleFor(x => x.Collections)
            .NotEmpty().WithMessage("Pick at least one collection, and the columns to read from it.");
        RuleForEach(x => x.Collections)
            .Must(c => c.Columns.Any(col => !SelectiveSync.AlwaysIncluded.Contains(col)))
            .WithMessage((_, c) => $"Pick at least one column of {c.Label ?? c.Name} besides Id and SystemModstamp.")
            .Must(c => c.Columns.Distinct(StringComparer.Ordinal).Count() == c.Columns.Count)
            .WithMessage("A column is listed twice.")
            .OverridePropertyName("Collections");
        RuleFor(x => x.HistoricalSince)
            .Must(d => d is null || d <= time.GetUtcNow()).WithMessage("The historical range must start in the past.");
    }
}
