using System.Net;
using Microsoft.AspNetCore.Identity;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Web;

/// <summary>What survives stopping the app and starting it again on the same data folder.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task The_admin_and_encrypted_secrets_survive_a_restart_and_setup_stays_gone()
    {
        var folder = Path.Combine(Path.GetTempPath(), "unifyadmin-tests", "restart-" + Guid.NewGuid().ToString("N"));
        string protectedSecret;
        try
        {
            await using (var first = AppHost.OnExistingData(folder))
            {
                await first.InitializeAsync();
                await first.EnsureAdminAsync();
                protectedSecret = first.Services.GetRequiredService<SecretProtector>().Protect("a-client-secret")!;
            }

            await using var second = AppHost.OnExistingData(folder);
            await second.InitializeAsync();

            // The same Admin can sign in with the same password.
            await using (var scope = second.Services.CreateAsyncScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
                var admin = await users.FindByEmailAsync(AppHost.AdminEmail);
                Assert.NotNull(admin);
                Assert.True(await users.CheckPasswordAsync(admin, AppHost.AdminPassword));
                Assert.True(await users.IsInRoleAsync(admin, Roles.Admin));
            }

            // Data Protection keys live in the database, so a secret saved before the restart can still be read.
            Assert.Equal("a-client-secret", second.Services.GetRequiredService<SecretProtector>().Unprotect(protectedSecret));

            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = second.BaseAddress };
            var setup = await http.GetAsync("/setup", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, setup.StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }
}
