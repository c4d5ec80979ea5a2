using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;

namespace UnifyAdmin.Tests.Infrastructure;

/// <summary>
/// The real application on a free loopback Kestrel port, with its own fresh SQLite database in a temp folder.
/// Share one per test class (<c>IClassFixture&lt;AppHost&gt;</c>); tests inside a class must not depend on each other's data.
/// </summary>
public class AppHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@example.com";
    public const string AdminPassword = "Correct-Horse-42";

    private readonly string dataDirectory;
    private readonly bool ownsDataDirectory;

    public AppHost()
        : this(Path.Combine(Path.GetTempPath(), "unifyadmin-tests", Guid.NewGuid().ToString("N")), ownsDataDirectory: true)
    {
    }

    /// <summary>A host over an existing data folder, e.g. to prove that something survives a restart.</summary>
    public static AppHost OnExistingData(string dataDirectory) => new(dataDirectory, ownsDataDirectory: false);

    protected AppHost(string dataDirectory, bool ownsDataDirectory)
    {
        this.dataDirectory = dataDirectory;
        this.ownsDataDirectory = ownsDataDirectory;
        UseKestrel(0);
    }

    /// <summary>The app's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => ClientOptions.BaseAddress;

    public string DataDirectory => dataDirectory;

    /// <summary>Everything the app logged, at every level.</summary>
    public LogCollector Logs { get; } = new();

    public string Url(string relative) => new Uri(BaseAddress, relative.TrimStart('/')).ToString();

    /// <summary>Extra settings a derived fixture wants (applied after the defaults).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("DataDirectory", dataDirectory);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:Salesforce:ControlApiEnabled", "true");
        builder.UseSetting("Demo:Segment:ControlApiEnabled", "true");
        builder.UseSetting("Logging:Console:FormatterName", "simple");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Fast retries: a test of an unreachable host learns the outcome in well under a second.
        builder.UseSetting("Salesforce:RetryCount", "1");
        builder.UseSetting("Salesforce:RetryBaseDelay", "00:00:00.010");
        builder.UseSetting("Segment:MaxAttempts", "2");
        builder.UseSetting("Segment:InitialBackoff", "00:00:00.010");
        builder.UseSetting("Segment:MaxBackoff", "00:00:00.020");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug));
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public virtual ValueTask InitializeAsync()
    {
        StartServer();
        return ValueTask.CompletedTask;
    }

    /// <summary>Creates the first Admin through the same service the setup page uses.</summary>
    public async Task EnsureAdminAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var first = scope.ServiceProvider.GetRequiredService<FirstRunState>();
        if (await first.HasUsersAsync(CancellationToken.None))
        {
            return;
        }

        var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateFirstAdminAsync(new FirstAdminInput { Email = AdminEmail, Password = AdminPassword, ConfirmPassword = AdminPassword }, CancellationToken.None);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
    }

    /// <summary>Adds a user with a role directly (tests of what that role may do).</summary>
    public async Task CreateUserAsync(string email, string password, string role)
    {
        await EnsureAdminAsync();
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return;
        }

        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true, CreatedAt = DateTimeOffset.UtcNow };
        var created = await users.CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!ownsDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
