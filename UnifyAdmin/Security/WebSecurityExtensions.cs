using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using UnifyAdmin.Features.Account;

namespace UnifyAdmin.Security;

/// <summary>Transport and browser hardening: proxies, public URL, Secure cookies, HSTS, security headers, no Server header, circuit revalidation.</summary>
public static class WebSecurityExtensions
{
    public static WebApplicationBuilder AddWebSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var publicUrl = PublicUrlOptions.Read(builder.Configuration);
        services.AddSingleton(publicUrl);

        // The Server header tells an attacker what to look up; nothing needs it.
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the proxies named in the settings are believed; the framework's loopback default is dropped.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in publicUrl.KnownProxies)
            {
                o.KnownProxies.Add(proxy);
            }

            foreach (var network in publicUrl.KnownNetworks)
            {
                o.KnownIPNetworks.Add(network);
            }
        });

        // Served over https in public: no cookie may ever travel over plain http.
        var secure = publicUrl.IsHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o => o.Cookie.SecurePolicy = secure);
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ExternalScheme, o => o.Cookie.SecurePolicy = secure);
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = secure);
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });

        services.AddOptions<SessionRevalidationOptions>().BindConfiguration(SessionRevalidationOptions.SectionName)
            .Validate(o => o.RevalidationInterval >= TimeSpan.FromSeconds(1) && o.RevalidationInterval <= TimeSpan.FromHours(1),
                "Sessions:RevalidationInterval must be between 00:00:01 and 01:00:00.")
            .ValidateOnStart();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidatingStateProvider>();
        services.AddSingleton<OAuthSessionBinding>();
        return builder;
    }

    /// <summary>First in the pipeline: who the client is (behind a known proxy), then the headers every answer carries.</summary>
    public static WebApplication UseWebSecurity(this WebApplication app)
    {
        if (app.Services.GetRequiredService<PublicUrlOptions>().TrustsProxies)
        {
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (app.Services.GetRequiredService<PublicUrlOptions>() is { IsHttps: true, PublicBaseUrl: { } publicBase })
        {
            // Secure cookies cannot be set over plain http: send browsers to the public address, refuse other plain-http calls.
            app.Use((context, next) =>
            {
                var request = context.Request;
                if (request.IsHttps || request.Path.StartsWithSegments("/healthz") || request.Path.StartsWithSegments("/readyz"))
                {
                    return next(context);
                }

                if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                {
                    context.Response.Redirect(new Uri(publicBase, (request.Path.Value ?? "").TrimStart('/') + request.QueryString).ToString());
                    return Task.CompletedTask;
                }

                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return context.Response.WriteAsync($"This app is served at {publicBase}; use https.", context.RequestAborted);
            });
        }

        if (app.Environment.IsProduction())
        {
            // Sent only on https requests (as seen through a trusted proxy), as the standard requires.
            app.UseHsts();
        }

        return app;
    }
}
