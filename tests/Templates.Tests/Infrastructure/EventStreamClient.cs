using System.Text;

namespace Sdp.Templates.Tests.Infrastructure;

/// <summary>A server-sent event: its id, type and data.</summary>
public sealed record ServerSentEvent(string? Id, string? Event, string Data);

/// <summary>
/// Reads a <c>text/event-stream</c> response line by line. <see cref="OpenAsync"/> returns once the server's
/// <c>: connected</c> comment arrived, i.e. once events published from then on will reach this client.
/// </summary>
public sealed class EventStreamClient : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private EventStreamClient(HttpResponseMessage response, StreamReader reader)
    {
        this.response = response;
        this.reader = reader;
    }

    public string MediaType => response.Content.Headers.ContentType?.MediaType ?? "";

    /// <summary>Comments seen so far (without the leading ':'), e.g. "connected", "heartbeat".</summary>
    public List<string> Comments { get; } = [];

    public static async Task<EventStreamClient> OpenAsync(HttpClient http, string path, TimeSpan timeout)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}");
        }

        var client = new EventStreamClient(response, new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8));
        using var deadline = new CancellationTokenSource(timeout);
        while (!client.Comments.Contains("connected"))
        {
            if (await client.ReadBlockAsync(deadline.Token) is null)
            {
                throw new InvalidOperationException("The stream ended before it was connected.");
            }
        }

        return client;
    }

    /// <summary>The next event; throws when none arrives within <paramref name="timeout"/>, null when the stream ended.</summary>
    public async Task<ServerSentEvent?> NextEventAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var next = await ReadBlockAsync(deadline.Token);
            if (next is null)
            {
                return null;
            }

            if (next.Value.Event is not null)
            {
                return next.Value.Event;
            }
        }
    }

    /// <summary>Reads until the comment <paramref name="comment"/> arrives; throws past <paramref name="timeout"/> or at the stream's end.</summary>
    public async Task WaitForCommentAsync(string comment, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!Comments.Contains(comment))
        {
            if (await ReadBlockAsync(deadline.Token) is null)
            {
                throw new InvalidOperationException($"The stream ended before the comment '{comment}'.");
            }
        }
    }

    /// <summary>Reads until the end of the stream, returning any events still sent; throws past <paramref name="timeout"/>.</summary>
    public async Task<List<ServerSentEvent>> ReadToEndAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var events = new List<ServerSentEvent>();
        while (await ReadBlockAsync(deadline.Token) is { } block)
        {
            if (block.Event is not null)
            {
                events.Add(block.Event);
            }
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        await Task.CompletedTask;
    }

    /// <summary>One blank-line-terminated block: an event, or only comments. Null at the end of the stream.</summary>
    private async Task<(ServerSentEvent? Event, bool Any)?> ReadBlockAsync(CancellationToken cancellationToken)
    {
        string? id = null, type = null;
        var data = new StringBuilder();
        var hasData = false;
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                return (hasData ? new ServerSentEvent(id, type, data.ToString()) : null, true);
            }

            if (line.StartsWith(':'))
            {
                Comments.Add(line[1..].Trim());
                continue;
            }

            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    hasData = true;
                    break;
            }
        }
    }
}
