using Sdp.Orchestrator.Api.Auth;
using MassTransit;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.Audit;
using Sdp.Orchestrator.Api.Deployments;
using Sdp.Orchestrator.Api.Http;

namespace Sdp.Orchestrator.Api.Admin;

/// <summary>
/// Operator endpoints: run the cleanup now, and see what the orphan reconciler would remove. The sweep itself runs in
/// Cleanup.Worker (it holds the Redis and deployment-target credentials); these ask it over the bus and wait.
/// </summary>
public static class AdminEndpoints
{
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin);

        admin.MapPost("/cleanup", RunCleanupAsync)
            .WithSummary("Run the cleanup now: expired and stuck deployments, then the orphan sweep; answers with what it removed, by kind")
            .Audited("admin.cleanup")
            .Produces<CleanupRunResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        admin.MapGet("/orphans", ListOrphansAsync)
            .WithSummary("What the orphan reconciler would remove (and what it is still giving time), removing nothing")
            .Produces<OrphansResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    private static async Task<IResult> RunCleanupAsync(DeploymentDeadlineWatcher deadlines,
        IRequestClient<RunCleanupSweep> sweeps, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadlineCheck = await deadlines.CheckAsync(cancellationToken);
        try
        {
            var response = await sweeps.GetResponse<CleanupSweepCompleted>(
                new RunCleanupSweep("manual", time.GetUtcNow()), cancellationToken, RequestTimeout.After(m: SweepTimeout.Minutes));
            var sweep = response.Message;
            return TypedResults.Ok(new CleanupRunResponse(
                deadlineCheck is null ? null : new DeadlineCheckResponse(deadlineCheck.Expired, deadlineCheck.Retried, deadlineCheck.Failed,
                    deadlineCheck.AbandonedScenarioRuns),
                ByKind(sweep.Removed),
                sweep.Orphans.Select(OrphanResponse.From).ToList(),
                sweep.LostDeployments,
                Math.Round(sweep.DurationMs, 1)));
        }
        catch (Exception exception) when (exception is RequestTimeoutException or RequestFaultException)
        {
            return CleanupUnavailable(exception is RequestTimeoutException
                ? $"Cleanup.Worker did not answer within {SweepTimeout.TotalSeconds:0} s."
                : "The sweep failed in Cleanup.Worker; see its log.");
        }
    }

    private static async Task<IResult> ListOrphansAsync(IRequestClient<ListOrphans> orphans, TimeProvider time,
        CancellationToken cancellationToken)
    {
        try
        {
            var response = await orphans.GetResponse<OrphansListed>(new ListOrphans(time.GetUtcNow()), cancellationToken,
                RequestTimeout.After(s: (int)ListTimeout.TotalSeconds));
            var listed = response.Message;
            var counts = OrphanKinds.All.ToDictionary(kind => kind, kind => (long)listed.Orphans.Count(o => o.Kind == kind));
            return TypedResults.Ok(new OrphansResponse(listed.Orphans.Select(OrphanResponse.From).ToList(), counts,
                listed.LostDeployments, listed.ListedAt));
        }
        catch (Exception exception) when (exception is RequestTimeoutException or RequestFaultException)
        {
            return CleanupUnavailable(exception is RequestTimeoutException
                ? $"Cleanup.Worker did not answer within {ListTimeout.TotalSeconds:0} s."
                : "Listing orphans failed in Cleanup.Worker; see its log.");
        }
    }

    private static IReadOnlyDictionary<string, long> ByKind(IReadOnlyDictionary<string, long> removed) =>
        OrphanKinds.All.ToDictionary(kind => kind, kind => removed.GetValueOrDefault(kind));

    private static IResult CleanupUnavailable(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable, title: "Cleanup unavailable", detail: detail,
        extensions: new Dictionary<string, object?> { ["retry_after_seconds"] = DatabaseUnavailableExceptionHandler.RetryAfterSeconds });
}

/// <summary>What <c>POST /api/admin/cleanup</c> did. <c>deadline_check</c> is null when another replica was making it.</summary>
public sealed record CleanupRunResponse(
    DeadlineCheckResponse? DeadlineCheck,
    IReadOnlyDictionary<string, long> Removed,
    IReadOnlyList<OrphanResponse> Orphans,
    IReadOnlyList<long> LostDeployments,
    double DurationMs);

/// <summary>Deployments sent to cleanup because they expired, requested again because stuck, or failed after their retries.</summary>
public sealed record DeadlineCheckResponse(int Expired, int Retried, int Failed, int AbandonedScenarioRuns);

public sealed record OrphansResponse(
    IReadOnlyList<OrphanResponse> Orphans,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyList<long> LostDeployments,
    DateTimeOffset ListedAt);

/// <summary>One orphaned resource; <c>removable_after</c> is null when the sweep would remove it now.</summary>
public sealed record OrphanResponse(string Kind, string Name, long DeploymentId, string? DeploymentState,
    DateTimeOffset? RemovableAfter)
{
    public static OrphanResponse From(OrphanedResource orphan) =>
        new(orphan.Kind, orphan.Name, orphan.DeploymentId, orphan.DeploymentState, orphan.RemovableAfter);
}
