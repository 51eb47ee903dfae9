using System.Net.Http;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Sdp.Contracts;
using Sdp.ScenarioRunner.Invocation;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.ScenarioRunner.Engine;

/// <summary>
/// Carries out one run: the scenario's checks in order, then its load phase, with progress along the way. Every run
/// ends with a report by its deadline (load duration + <see cref="ScenarioOptions.DeadlineMargin"/>), whatever the
/// deployment does; cancellation and the deadline end it as <c>error</c> with the reason.
/// </summary>
/// <param name="idTokens">Used when <see cref="ScenarioOptions.CallAs"/> is <see cref="CallAs.IdToken"/>.</param>
public sealed class ScenarioEngine(ScenarioCatalog catalog, IOptions<ScenarioOptions> options, TimeProvider time, ILogger<ScenarioEngine> logger,
    IIdTokenSource? idTokens = null)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FinalReportTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Runs the scenario of <paramref name="problemType"/>; an unknown problem type is reported as an error.</summary>
    public Task<ScenarioReport> RunAsync(string problemType, string endpointUrl, ScenarioLoad load, IScenarioProgress progress,
        CancellationToken cancellationToken) =>
        RunAsync(problemType, null, endpointUrl, load, progress, cancellationToken);

    /// <summary>
    /// Runs the scenario of <paramref name="problemType"/>; a custom deployment's is made from <paramref name="serviceSpec"/>.
    /// An unknown problem type, or a custom one without a valid spec, is reported as an error.
    /// </summary>
    public Task<ScenarioReport> RunAsync(string problemType, ServiceSpec? serviceSpec, string endpointUrl, ScenarioLoad load,
        IScenarioProgress progress, CancellationToken cancellationToken)
    {
        var (scenario, problem) = catalog.Find(problemType, serviceSpec);
        if (scenario is null)
        {
            var now = time.GetUtcNow();
            return Task.FromResult(new ScenarioReport(ScenarioReport.Errored, [], null,
                problem ?? $"No scenario tests problem type '{problemType}'; known: {string.Join(", ", catalog.ProblemTypes.Order(StringComparer.Ordinal))}.",
                now, now));
        }

        return RunAsync(scenario, endpointUrl, load, progress, cancellationToken);
    }

    public async Task<ScenarioReport> RunAsync(IScenario scenario, string endpointUrl, ScenarioLoad load, IScenarioProgress progress,
        CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var settings = Clamp(load);
        if (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out var endpoint)
            || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment))
        {
            return new ScenarioReport(ScenarioReport.Errored, [], null,
                $"The endpoint '{endpointUrl}' is not an absolute http or https URL without query.", startedAt, time.GetUtcNow());
        }

        var tokens = options.Value.CallAs == CallAs.IdToken
            ? idTokens ?? throw new InvalidOperationException("Calling services with an ID token needs a token source.")
            : null;
        if (tokens is not null && endpoint.Scheme != Uri.UriSchemeHttps)
        {
            // An ID token sent in clear text could be replayed against the service by anyone on the path.
            return new ScenarioReport(ScenarioReport.Errored, [], null,
                $"The runner calls services with an ID token, over https only; the endpoint '{endpointUrl}' is not https.",
                startedAt, time.GetUtcNow());
        }

        var deadline = TimeSpan.FromSeconds(settings.DurationSeconds) + options.Value.DeadlineMargin;
        using var deadlineReached = new CancellationTokenSource(deadline, time);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadlineReached.Token);
        var state = new RunState(settings, time, logger);
        using var http = new ScenarioHttp(endpoint, settings.Concurrency + 4, options.Value.RequestTimeout, time, tokens);

        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
        var ticker = ReportEverySecondAsync(state, progress, stopProgress.Token);
        LoadPhaseReport? loadReport = null;
        string? error = null;
        try
        {
            var scenarioRun = scenario.Start(http, time);
            await state.EnterAsync(ScenarioProgress.ChecksPhase, progress, run.Token);
            foreach (var check in scenarioRun.Checks)
            {
                var result = await RunCheckAsync(check, run.Token);
                state.Record(result);
                logger.LogInformation("Scenario {ProblemType} check {Check}: {Passed} {Detail}", scenario.ProblemType, result.Name,
                    result.Passed ? "passed" : "failed", result.Detail);
            }

            await state.EnterAsync(ScenarioProgress.LoadPhase, progress, run.Token);
            try
            {
                await scenarioRun.PrepareLoadAsync(run.Token);
            }
            catch (Exception exception) when (IsDeploymentFault(exception) && !run.IsCancellationRequested)
            {
                error = $"The load phase could not be prepared: {Describe(exception)}";
            }

            if (error is null)
            {
                loadReport = await state.Load.RunAsync(scenarioRun.SendLoadRequestAsync, run.Token);
            }
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            // Reported below, with whatever was measured.
        }
        finally
        {
            await stopProgress.CancelAsync();
            await ticker;
        }

        if (run.IsCancellationRequested)
        {
            error = cancellationToken.IsCancellationRequested
                ? "The run was cancelled before it finished."
                : $"The run passed its deadline of {deadline.TotalSeconds:0} s (load duration {settings.DurationSeconds} s + margin) and was stopped.";
        }

        var outcome = error is not null ? ScenarioReport.Errored
            : state.Checks.All(check => check.Passed) ? ScenarioReport.Passed
            : ScenarioReport.Failed;
        // The run's own token may be cancelled by now; the last report still gets a bounded try.
        using var finalReport = new CancellationTokenSource(FinalReportTimeout, time);
        await state.EnterAsync(ScenarioProgress.DonePhase, progress, finalReport.Token);
        return new ScenarioReport(outcome, state.Checks, loadReport, error, startedAt, time.GetUtcNow());
    }

    /// <summary>Bounds the requested load to what the contract allows; the Orchestrator validates, this makes sure.</summary>
    public static ScenarioLoad Clamp(ScenarioLoad load) => new(
        Math.Clamp(load.RequestsPerSecond, 1, ScenarioLoad.MaxRequestsPerSecond),
        Math.Clamp(load.DurationSeconds, 1, ScenarioLoad.MaxDurationSeconds),
        Math.Clamp(load.Concurrency, 1, ScenarioLoad.MaxConcurrency));

    private static async Task<ScenarioCheckResult> RunCheckAsync(ScenarioCheck check, CancellationToken cancellationToken)
    {
        try
        {
            await check.RunAsync(cancellationToken);
            return new ScenarioCheckResult(check.Name, true, null);
        }
        catch (Exception exception) when (IsDeploymentFault(exception))
        {
            return new ScenarioCheckResult(check.Name, false, Describe(exception));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A wait of the check's own ran out (e.g. for events on a stream) without the run being stopped.
            return new ScenarioCheckResult(check.Name, false, "the check's own wait ran out before the deployment answered");
        }
    }

    /// <summary>What the deployment can cause: a wrong answer, no answer in time, or no connection.</summary>
    private static bool IsDeploymentFault(Exception exception) =>
        exception is CheckFailedException or ScenarioTimeoutException or HttpRequestException or JsonException;

    private static string Describe(Exception exception) => exception switch
    {
        CheckFailedException or ScenarioTimeoutException => exception.Message,
        HttpRequestException http => $"connection failed: {http.HttpRequestError}: {http.Message}",
        JsonException json => $"an answer was not the JSON expected: {json.Message}",
        _ => exception.Message,
    };

    private async Task ReportEverySecondAsync(RunState state, IScenarioProgress progress, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(ProgressInterval, time, cancellationToken);
                await state.ReportAsync(progress, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over; its final progress is reported by the run itself.
        }
    }

    /// <summary>What progress reports read: the phase, the checks so far and the load counters.</summary>
    private sealed class RunState(ScenarioLoad settings, TimeProvider time, ILogger logger)
    {
        private readonly Lock gate = new();
        private readonly List<ScenarioCheckResult> checks = [];
        private string phase = ScenarioProgress.ChecksPhase;

        public LoadPhase Load { get; } = new(settings, time, logger);

        public IReadOnlyList<ScenarioCheckResult> Checks
        {
            get
            {
                lock (gate)
                {
                    return [.. checks];
                }
            }
        }

        public void Record(ScenarioCheckResult result)
        {
            lock (gate)
            {
                checks.Add(result);
            }
        }

        public Task EnterAsync(string nextPhase, IScenarioProgress progress, CancellationToken cancellationToken)
        {
            lock (gate)
            {
                phase = nextPhase;
            }

            return ReportAsync(progress, cancellationToken);
        }

        public async Task ReportAsync(IScenarioProgress progress, CancellationToken cancellationToken)
        {
            ScenarioProgress snapshot;
            lock (gate)
            {
                var planned = Load.Counters.Planned > 0
                    ? Load.Counters.Planned
                    : (long)settings.RequestsPerSecond * settings.DurationSeconds;
                snapshot = new ScenarioProgress(phase, Load.Counters.Sent, planned,
                    checks.Count(check => check.Passed), checks.Count(check => !check.Passed));
            }

            try
            {
                await progress.ReportAsync(snapshot, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Progress of a scenario run could not be reported");
            }
        }
    }
}
