using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Tests.Persistence;

public sealed class ProviderSettingTests
{
    [Theory]
    [InlineData("Sqlite", DatabaseProvider.Sqlite)]
    [InlineData("sqlserver", DatabaseProvider.SqlServer)]
    public void Known_providers_are_accepted(string value, DatabaseProvider expected)
        => Assert.Equal(expected, PersistenceExtensions.ParseProvider(value));

    [Theory]
    [InlineData("Postgres")]
    [InlineData("")]
    [InlineData("3")]
    public void A_bad_provider_stops_the_app_with_a_message_naming_the_setting(string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = value })
            .Build();
        var environment = new TestEnvironment();

        var error = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddPersistence(configuration, environment));

        Assert.Contains("Database:Provider", error.Message);
        Assert.Contains("'Sqlite' or 'SqlServer'", error.Message);
    }

    [Fact]
    public void SqlServer_without_a_connection_string_names_the_setting()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:Provider"] = "SqlServer" })
            .Build();

        var error = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddPersistence(configuration, new TestEnvironment()));

        Assert.Contains("Database:ConnectionString", error.Message);
    }

    [Fact]
    public void With_no_settings_the_database_lives_in_a_data_folder_beside_the_app()
    {
        var configuration = new ConfigurationBuilder().Build();
        var environment = new TestEnvironment();

        var folder = PersistenceExtensions.ResolveDataDirectory(configuration, environment.ContentRootPath);

        Assert.Equal(Path.Combine(environment.ContentRootPath, "data"), folder);
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "UnifyAdmin";
        public string ContentRootPath { get; set; } = Path.Combine(Path.GetTempPath(), "unifyadmin-root");
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
