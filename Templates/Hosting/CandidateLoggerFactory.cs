using Microsoft.Extensions.Logging;

namespace Sdp.Templates.Hosting;

/// <summary>
/// Lets an in-process candidate log through its host's logger factory. Categories get a
/// <c>Candidate.</c> prefix so a host can filter candidate logs apart from its own, and every entry
/// carries the deployment id in a scope. Categories are not per deployment, so the host's logger
/// cache does not grow with the number of deployments.
/// </summary>
internal sealed class CandidateLoggerFactory(ILoggerFactory hostLoggerFactory, string deploymentId) : ILoggerFactory
{
    public const string CategoryPrefix = "Candidate.";

    private readonly KeyValuePair<string, object?>[] scope = [KeyValuePair.Create("DeploymentId", (object?)deploymentId)];

    public ILogger CreateLogger(string categoryName) =>
        new CandidateLogger(hostLoggerFactory.CreateLogger(CategoryPrefix + categoryName), scope);

    // Providers belong to the host; a candidate cannot add any.
    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("A candidate logs through its host's providers.");

    // The host's factory outlives every candidate.
    public void Dispose()
    {
    }

    private sealed class CandidateLogger(ILogger inner, KeyValuePair<string, object?>[] scope) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            using (inner.BeginScope(scope))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
