using Microsoft.Extensions.Logging;

namespace Sdp.Hosting;

/// <summary>One line a resource wrote (or the host wrote about it, prefixed <c>[host]</c>).</summary>
public sealed record LogLine(long Sequence, DateTimeOffset Timestamp, bool IsError, string Text);

/// <summary>
/// Keeps the last <see cref="Capacity"/> console lines of every resource for the dashboard, and echoes each line
/// to the host's console prefixed with the resource name.
/// </summary>
public sealed class ResourceLogs
{
    public const int Capacity = 1000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<LogLine>> _lines = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ILogger> _echo = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _timeProvider;
    private long _sequence;

    internal ResourceLogs(IEnumerable<string> resourceNames, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        foreach (var name in resourceNames)
        {
            _lines[name] = new Queue<LogLine>();
            _echo[name] = loggerFactory.CreateLogger(HostConsoleFormatter.ResourceOutputCategoryPrefix + name);
        }
    }

    /// <summary>The kept lines of a resource, oldest first; only those after <paramref name="afterSequence"/> if given.</summary>
    public IReadOnlyList<LogLine> GetLines(string resourceName, long afterSequence = 0)
    {
        lock (_gate)
        {
            return _lines.TryGetValue(resourceName, out var lines)
                ? [.. lines.Where(l => l.Sequence > afterSequence)]
                : throw new ArgumentException($"No resource named '{resourceName}'.", nameof(resourceName));
        }
    }

    internal bool Contains(string resourceName) => _lines.ContainsKey(resourceName);

    /// <summary>Keeps a line; <paramref name="echo"/> also writes it to the console behind the resource name.</summary>
    internal void Append(string resourceName, string text, bool isError, bool echo = true)
    {
        lock (_gate)
        {
            var lines = _lines[resourceName];
            if (lines.Count == Capacity)
            {
                lines.Dequeue();
            }

            lines.Enqueue(new LogLine(++_sequence, _timeProvider.GetUtcNow(), isError, text));
        }

        if (echo)
        {
            _echo[resourceName].LogInformation("{Line}", text);
        }
    }

    /// <summary>The last lines, for an error message that says why a resource failed.</summary>
    internal string Tail(string resourceName, int count)
    {
        lock (_gate)
        {
            return string.Join(Environment.NewLine, _lines[resourceName].TakeLast(count).Select(l => "  " + l.Text));
        }
    }
}
