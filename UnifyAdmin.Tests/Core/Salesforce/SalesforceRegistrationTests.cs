using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using UnifyAdmin.Core.Salesforce;

namespace UnifyAdmin.Tests.Core.Salesforce;

public sealed class SalesforceRegistrationTests
{
    [Fact]
    public async Task Stops_the_app_at_start_naming_a_bad_setting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Salesforce:RetryCount"] = "99" });
        builder.Services.AddSalesforceClient(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Salesforce:RetryCount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binds_the_Salesforce_section_and_resolves_the_factory()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Salesforce:ApiVersion"] = "65.0",
            ["Salesforce:RetryBaseDelay"] = "00:00:00.050",
            ["Salesforce:QueryBatchSize"] = "500",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddSalesforceClient(configuration);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var options = provider.GetRequiredService<IOptions<SalesforceOptions>>().Value;

        Assert.Equal(("65.0", TimeSpan.FromMilliseconds(50), 500), (options.ApiVersion, options.RetryBaseDelay, options.QueryBatchSize));
    }
}
