using UnifyAdmin.Tests.Infrastructure;

namespace UnifyAdmin.Tests.Core.Destinations;

/// <summary>
/// The app with every log level reaching <see cref="AppHost.Logs"/> (the console stays at Warning), so a test
/// that looks for secrets in the log also sees the Information and Trace lines, HTTP client logging included.
/// </summary>
public sealed class VerboseLogAppHost : AppHost
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Logging:LogLevel:Default", "Trace"),
        new("Logging:Console:LogLevel:Default", "Warning"),
    ];
}
