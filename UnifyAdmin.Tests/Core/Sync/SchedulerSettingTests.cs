using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Sync;

namespace UnifyAdmin.Tests.Core.Sync;

public sealed class SchedulerSettingTests
{
    [Fact]
    public void Clustered_with_the_store_in_SQLite_stops_the_app_and_names_the_ways_out()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Register(new() { ["Scheduler:Clustered"] = "true" }));

        Assert.Contains("Scheduler:Clustered", error.Message);
        Assert.Contains("Scheduler:Store:Provider=PostgreSQL", error.Message);
        Assert.Contains("Database:Provider=SqlServer", error.Message);
    }

    [Fact]
    public void Clustered_with_a_PostgreSQL_store_is_accepted_beside_a_SQLite_app_database()
        => Register(new()
        {
            ["Scheduler:Clustered"] = "true",
            ["Scheduler:Store:Provider"] = "PostgreSQL",
            ["Scheduler:Store:ConnectionString"] = "Host=127.0.0.1;Database=scheduler",
        });

    [Fact]
    public void A_PostgreSQL_store_without_a_connection_string_names_the_setting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Register(new() { ["Scheduler:Store:Provider"] = "postgresql" }));

        Assert.Contains("Scheduler:Store:ConnectionString", error.Message);
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("1")]
    [InlineData("")]
    public void An_unknown_store_provider_names_the_setting_and_the_choices(string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Register(new() { ["Scheduler:Store:Provider"] = value }));

        Assert.Contains("Scheduler:Store:Provider", error.Message);
        Assert.Contains("'Database' or 'PostgreSQL'", error.Message);
    }

    [Fact]
    public void A_check_in_interval_under_a_second_is_refused()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Register(new() { ["Scheduler:CheckinInterval"] = "00:00:00.200" }));

        Assert.Contains("Scheduler:CheckinInterval", error.Message);
    }

    private static void Register(Dictionary<string, string?> settings)
    {
        settings["DataDirectory"] = Path.Combine(Path.GetTempPath(), "unifyadmin-tests", "settings");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        new ServiceCollection().AddPersistence(configuration, new TestEnvironment()).AddSync(configuration);
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "UnifyAdmin";
        public string ContentRootPath { get; set; } = Path.Combine(Path.GetTempPath(), "unifyadmin-root");
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
