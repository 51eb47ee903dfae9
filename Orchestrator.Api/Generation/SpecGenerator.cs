using System.ClientModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Orchestrator.Api.Generation;

/// <summary>
/// Asks the model for a service spec of a design, validates the answer, hands the violations back once for repair,
/// and says what was wrong when there is still no valid spec. Every reason it gives is built from what it saw (a
/// status code, a violation, a size), never from an exception's message, which could carry a request's details.
/// </summary>
public sealed class SpecGenerator(IChatClient model, IOptions<GenerationOptions> options, TimeProvider time)
{
    /// <summary>An answer longer than this is refused unread: a spec within the schema's limits is far smaller.</summary>
    public const int MaxAnswerBytes = ServiceSpecLimits.MaxSpecBytes;

    private static readonly ChatOptions Request = new()
    {
        // JSON mode: OpenAI, Azure OpenAI, vLLM and Ollama all honour it; the schema itself is in the prompt.
        ResponseFormat = ChatResponseFormat.Json,
        Temperature = 0.2f,
    };

    public async Task<SpecGeneration> GenerateAsync(string problemType, string designText,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var input = 0L;
        var output = 0L;
        var requests = 0;
        GenerationUsage Usage() => new(Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 1), input, output,
            requests, Cached: false);

        var conversation = SpecPrompt.Start(problemType, designText);
        while (true)
        {
            requests++;
            string answer;
            try
            {
                answer = await AskAsync(conversation, usage =>
                {
                    input += usage?.InputTokenCount ?? 0;
                    output += usage?.OutputTokenCount ?? 0;
                }, cancellationToken);
            }
            catch (ModelUnavailableException unavailable)
            {
                return new SpecGeneration.Failed(unavailable.Reason, Usage());
            }

            var check = Check(answer);
            if (check.Spec is { } spec)
            {
                return new SpecGeneration.Generated(spec, Usage());
            }

            if (requests == 2)
            {
                return new SpecGeneration.Failed(check.NotJson
                    ? $"The model's answer was not valid JSON, also after one repair round: {check.Problems[0]}"
                    : $"The model's spec was still invalid after one repair round: {Describe(check.Problems)}",
                    Usage());
            }

            SpecPrompt.AskForRepair(conversation, Shorten(answer), check.Problems);
        }
    }

    /// <summary>A spec, or what is wrong with the answer (size, JSON, or the validator's violations).</summary>
    public static AnswerCheck Check(string answer)
    {
        var text = WithoutCodeFence(answer);
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxAnswerBytes)
        {
            return new AnswerCheck(null, [$"The answer is {bytes} bytes; a spec is at most {MaxAnswerBytes} bytes."], false);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException exception)
        {
            // System.Text.Json's message names the position and the token, nothing of the request.
            return new AnswerCheck(null, [$"The answer is not JSON ({FirstLine(exception.Message)})."], true);
        }

        using (document)
        {
            var validation = ServiceSpecValidator.Validate(document.RootElement);
            return validation.IsValid && validation.Spec is { } spec
                ? new AnswerCheck(spec, [], false)
                : new AnswerCheck(null, [.. validation.Violations.Select(v => $"{(v.Path.Length == 0 ? "/" : v.Path)}: {v.Message}")], false);
        }
    }

    private async Task<string> AskAsync(List<ChatMessage> conversation, Action<UsageDetails?> count,
        CancellationToken cancellationToken)
    {
        var limit = options.Value.Timeout;
        using var timeout = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var response = await model.GetResponseAsync(conversation, Request, linked.Token);
            count(response.Usage);
            return response.Text;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ModelUnavailableException(
                $"The model did not answer within {limit.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (Generation:Timeout).");
        }
        catch (ClientResultException exception)
        {
            throw new ModelUnavailableException(DescribeStatus(exception.Status));
        }
        catch (HttpRequestException exception)
        {
            throw new ModelUnavailableException(DescribeStatus(exception.StatusCode is { } status ? (int)status : 0));
        }
    }

    /// <summary>A model's HTTP status as a reason a tenant can act on.</summary>
    public static string DescribeStatus(int status) => status switch
    {
        0 => "The model's endpoint could not be reached.",
        429 => "The model's endpoint refused the request as rate limited (HTTP 429); try again later.",
        401 or 403 => $"The model's endpoint refused the configured credentials (HTTP {status}).",
        >= 500 => $"The model's endpoint failed (HTTP {status}).",
        _ => $"The model's endpoint refused the request (HTTP {status}).",
    };

    private static string Describe(IReadOnlyList<string> problems)
    {
        var shown = string.Join("; ", problems.Take(SpecPrompt.MaxViolationsShown));
        return problems.Count > SpecPrompt.MaxViolationsShown
            ? $"{shown}; and {problems.Count - SpecPrompt.MaxViolationsShown} more."
            : shown;
    }

    /// <summary>Models often wrap JSON in a Markdown fence even in JSON mode; the fence is not part of the spec.</summary>
    private static string WithoutCodeFence(string answer)
    {
        var text = answer.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal))
        {
            return text;
        }

        var firstLineEnd = text.IndexOf('\n');
        var closing = text.LastIndexOf("```", StringComparison.Ordinal);
        return firstLineEnd < 0 || closing <= firstLineEnd ? text : text[(firstLineEnd + 1)..closing].Trim();
    }

    /// <summary>The model's own answer goes back with the repair request; a huge one only in part.</summary>
    private static string Shorten(string answer) =>
        answer.Length <= MaxAnswerBytes ? answer : answer[..MaxAnswerBytes];

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    public sealed record AnswerCheck(ServiceSpec? Spec, IReadOnlyList<string> Problems, bool NotJson);

    private sealed class ModelUnavailableException(string reason) : Exception(reason)
    {
        public string Reason { get; } = reason;
    }
}
