using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Sdp.Hosting;

/// <summary>
/// One line per entry: <c>[host] message</c> for the host's own events and <c>[resource] line</c> for what a
/// resource writes, so the console reads like a merged log of the whole application.
/// </summary>
internal sealed class HostConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "sdp-host";
    public const string ResourceOutputCategoryPrefix = "Sdp.Hosting.ResourceOutput.";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (logEntry.Category.StartsWith(ResourceOutputCategoryPrefix, StringComparison.Ordinal))
        {
            textWriter.WriteLine($"[{logEntry.Category[ResourceOutputCategoryPrefix.Length..]}] {message}");
            return;
        }

        var level = logEntry.LogLevel switch
        {
            LogLevel.Warning => "warn: ",
            LogLevel.Error => "error: ",
            LogLevel.Critical => "critical: ",
            _ => "",
        };
        textWriter.WriteLine($"[host] {level}{message}");
        if (logEntry.Exception is { } exception && logEntry.LogLevel >= LogLevel.Error)
        {
            textWriter.WriteLine(exception.ToString());
        }
    }
}
