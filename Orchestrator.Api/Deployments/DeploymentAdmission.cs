using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>
/// Decides whether a new deployment may be accepted. Advisory: two requests racing at the last free slot may
/// both pass; the provisioner's own ceiling per location is the hard limit.
/// </summary>
public sealed class DeploymentAdmission(NpgsqlDataSource database, IOptions<DeploymentAdmissionOptions> options)
{
    /// <summary>Null when the deployment may be accepted; otherwise the 503 to answer with.</summary>
    public async Task<IResult?> RefusalAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.WhenFull != WhenFull.Refuse)
        {
            return null;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var live = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT count(*) FROM platform.deployments
            WHERE state IN ('generating', 'queued', 'provisioning', 'ready', 'cleaning')
            """, cancellationToken: cancellationToken));
        if (live < settings.MaxLiveDeployments)
        {
            return null;
        }

        context.Response.Headers.RetryAfter = settings.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Deployment capacity reached",
            detail: $"{live} deployments are live, the limit is {settings.MaxLiveDeployments}. " +
                    $"Delete finished deployments or retry after {settings.RetryAfterSeconds} s.",
            extensions: new Dictionary<string, object?>
            {
                ["live_deployments"] = live,
                ["max_live_deployments"] = settings.MaxLiveDeployments,
                ["retry_after_seconds"] = settings.RetryAfterSeconds,
            });
    }
}
