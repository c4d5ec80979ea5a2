using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using UnifyAdmin.Core.Persistence;

namespace UnifyAdmin.Core.Security;

/// <summary>Registers sign-in (ASP.NET Core Identity), roles, authorization policies and Data Protection.</summary>
public static class SecurityExtensions
{
    public const string ApplicationName = "UnifyAdmin";

    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = ".UnifyAdmin.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // Sign-out, a password or role change and disabling the user change the security stamp: every request checks it.
            o.Events.OnValidatePrincipal = SessionCheck.ValidatePrincipalAsync;
        });

        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                // The user name is the email, already checked by the input validators: an ASCII-only
                // allow list would refuse legitimate addresses such as josé@example.com.
                o.User.AllowedUserNameCharacters = "";
                o.Password.RequiredLength = PasswordRules.MinimumLength;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = false;
                // No lockout: anyone could lock out any account with it. Failed sign-ins are throttled instead (decision 013).
                o.Lockout.AllowedForNewUsers = false;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));

        var dataProtection = services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<AppDbContext>();
        KeyProtection.Configure(dataProtection, configuration, environment);

        services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SignInThrottleOptions>, SignInThrottleOptionsValidator>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<DummyPasswordHash>();
        services.AddSingleton<SessionCheck>();

        services.AddSingleton<FirstRunState>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<SignInService>();
        services.AddSingleton<SecretProtector>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
