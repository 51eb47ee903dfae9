using Microsoft.Extensions.Options;
using Sdp.Orchestrator.Api.Outbox;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Orchestrator.Api.Generation;

/// <summary>
/// Turns generating deployments into queued ones: claims one (any replica may; a claim is a lease in the row), reuses
/// the spec remembered for the same design or asks the model, and queues the deployment with its spec or fails it
/// with the reason. The work lives in the database, so a restart loses nothing: a claim given back at shutdown, or
/// whose lease ran out, is taken again, and one interrupted <see cref="MaxAttempts"/> times fails.
/// </summary>
public sealed class SpecGenerationWorker(
    SpecGenerationStore store,
    IServiceProvider services,
    OutboxPublisher outbox,
    IOptions<GenerationOptions> options,
    TimeProvider time,
    ILogger<SpecGenerationWorker> logger) : BackgroundService
{
    public const int MaxAttempts = 3;

    /// <summary>How often the worker looks for work nobody signalled (another replica's, or one left by a restart).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim wake = new(0, int.MaxValue);

    /// <summary>Null when no model is configured: a deployment found generating then fails with a reason.</summary>
    private readonly SpecGenerator? generator = services.GetService<SpecGenerator>();

    /// <summary>A deployment was just saved generating: a waiting loop takes it now rather than at its next look.</summary>
    public void Wake() => wake.Release();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency).Select(_ => RunAsync(stoppingToken)));

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = false;
            try
            {
                worked = await GenerateNextAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Spec generation pass failed; next look in {Interval}", PollInterval);
            }

            if (!worked)
            {
                try
                {
                    await wake.WaitAsync(PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Generates one deployment's spec; false when none was waiting.</summary>
    public async Task<bool> GenerateNextAsync(CancellationToken cancellationToken)
    {
        if (await store.ClaimNextAsync(options.Value.Lease, cancellationToken) is not { } claim)
        {
            return false;
        }

        try
        {
            await GenerateAsync(claim, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the deployment is given back, not left to its lease.
            await store.ReleaseAsync(claim.Id, CancellationToken.None);
            throw;
        }

        return true;
    }

    private async Task GenerateAsync(GenerationClaim claim, CancellationToken cancellationToken)
    {
        if (claim.Attempts > MaxAttempts)
        {
            await FailAsync(claim, $"Generation was interrupted {MaxAttempts} times; ask again.", null, cancellationToken);
            return;
        }

        var started = time.GetTimestamp();
        if (await store.FindRememberedAsync(claim.ProblemType, claim.DesignText, cancellationToken) is { } remembered)
        {
            var usage = new GenerationUsage(Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 1), 0, 0, 0,
                Cached: true);
            logger.LogInformation("Deployment {DeploymentId} ({ProblemType}) reuses the spec generated before for its design",
                claim.Id, claim.ProblemType);
            await QueueAsync(claim, remembered, usage, cancellationToken);
            return;
        }

        if (generator is null)
        {
            await FailAsync(claim, "No model is configured (Generation:Endpoint and Generation:Model), so no spec can be generated.",
                null, cancellationToken);
            return;
        }

        switch (await generator.GenerateAsync(claim.ProblemType, claim.DesignText, cancellationToken))
        {
            case SpecGeneration.Generated generated:
                logger.LogInformation(
                    "Deployment {DeploymentId} ({ProblemType}): spec generated in {DurationMs} ms with {Requests} requests, {InputTokens} input and {OutputTokens} output tokens",
                    claim.Id, claim.ProblemType, generated.Usage.DurationMs, generated.Usage.Requests,
                    generated.Usage.InputTokens, generated.Usage.OutputTokens);
                await QueueAsync(claim, generated.Spec, generated.Usage, cancellationToken);
                break;
            case SpecGeneration.Failed failed:
                await FailAsync(claim, failed.Reason, failed.Usage, cancellationToken);
                break;
        }
    }

    private async Task QueueAsync(GenerationClaim claim, ServiceSpec spec,
        GenerationUsage usage, CancellationToken cancellationToken)
    {
        if (await store.QueueAsync(claim, spec, usage, cancellationToken) is { } message)
        {
            await outbox.PublishOrLeaveToRelayAsync(message, cancellationToken);
        }
    }

    private async Task FailAsync(GenerationClaim claim, string reason, GenerationUsage? usage,
        CancellationToken cancellationToken)
    {
        logger.LogWarning("Deployment {DeploymentId} ({ProblemType}): no spec generated: {Reason}",
            claim.Id, claim.ProblemType, reason);
        await store.FailAsync(claim.Id, reason, usage, cancellationToken);
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }
}
