using System.Collections;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sdp.Templates.Hosting;

/// <summary>What a template app is given: its environment, where to listen, and where its logs go.</summary>
/// <param name="Environment">The container environment; the app reads nothing else.</param>
/// <param name="ListenEndPoint">Where Kestrel listens (port 0 picks a free port).</param>
/// <param name="LoggerFactory">
/// Where logs go when hosted in-process (shared with the host, so a start creates no logging providers);
/// null when the app runs on its own and logs to the console, as a container does.
/// </param>
public sealed record TemplateAppContext(
    IReadOnlyDictionary<string, string> Environment,
    IPEndPoint ListenEndPoint,
    ILoggerFactory? LoggerFactory)
{
    /// <summary>
    /// Test-only: applied to the app's services after its own registrations, so a test can replace a
    /// component (e.g. with a deliberately broken one, to prove a scenario check can fail). Null in production.
    /// </summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Cloud Run's contract: listen on all interfaces at <c>PORT</c>, 8080 when unset.</summary>
    public static TemplateAppContext ForContainer(IReadOnlyDictionary<string, string> environment)
    {
        var port = environment.TryGetValue(CandidateEnvironment.Port, out var value)
            ? int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture)
            : 8080;
        return new TemplateAppContext(environment, new IPEndPoint(IPAddress.Any, port), LoggerFactory: null);
    }

    /// <summary>
    /// Hosted inside another process: a loopback port, logs to the host's logger factory. <paramref name="port"/> 0 (the
    /// default) takes any free port; another asks for that one (a restarted host giving an app its old URL back).
    /// </summary>
    public static TemplateAppContext InProcess(IReadOnlyDictionary<string, string> environment, ILoggerFactory loggerFactory,
        int port = 0) =>
        new(environment, new IPEndPoint(IPAddress.Loopback, port), loggerFactory);

    /// <summary>The current process's environment, for a template started as its own process.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment() =>
        System.Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .ToDictionary(entry => (string)entry.Key, entry => entry.Value as string ?? "", StringComparer.Ordinal);
}
