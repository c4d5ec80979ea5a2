using Microsoft.AspNetCore.Http;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Security;

public sealed class SignInServiceTests(AppHost host) : IClassFixture<AppHost>
{
    private async Task<UnifyAdmin.Core.Common.OperationResult> SignInAsync(string email, string password)
    {
        await using var scope = host.Services.CreateAsyncScope();
        // Signing in writes a cookie to the current request: give the service one, as a real request would.
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        return await scope.ServiceProvider.GetRequiredService<SignInService>().SignInAsync(new SignInInput { Email = email, Password = password }, remember: false);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        const string email = "lockme@example.com";
        const string password = "Lock-Me-Out-1";
        await host.CreateUserAsync(email, password, Roles.Viewer);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal([SignInService.WrongCredentials], (await SignInAsync(email, "Wrong-Password-" + i)).Errors);
        }

        Assert.Equal([SignInService.LockedOut], (await SignInAsync(email, "Wrong-Password-5")).Errors);
        Assert.Equal([SignInService.LockedOut], (await SignInAsync(email, password)).Errors);
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_message_as_a_wrong_password()
    {
        var result = await SignInAsync("nobody@example.com", "Whatever-Pass-1");

        Assert.False(result.Succeeded);
        Assert.Equal([SignInService.WrongCredentials], result.Errors);
    }
}
