using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using Sdp.Contracts;
using Sdp.Orchestrator.Api.Deployments;
using Sdp.Orchestrator.Api.Outbox;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Orchestrator.Api.Generation;

/// <summary>
/// The generation worker's rows: it claims a generating deployment for a lease, and ends its generation by queueing it
/// with its spec (the DeploymentRequested message saved in the same transaction) or by failing it with the reason.
/// Specs the model wrote are remembered by the hash of problem type and design text.
/// </summary>
public sealed class SpecGenerationStore(NpgsqlDataSource database, TimeProvider time)
{
    /// <summary>
    /// The oldest generating deployment no replica holds, held now for <paramref name="lease"/>; null when there is
    /// none. Each claim counts as an attempt, so one that keeps being interrupted ends.
    /// </summary>
    public async Task<GenerationClaim?> ClaimNextAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<GenerationClaim>(new CommandDefinition("""
            UPDATE platform.deployments d SET next_attempt_at = @until, attempts = d.attempts + 1
            FROM (SELECT id FROM platform.deployments
                  WHERE state = 'generating' AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
                  ORDER BY id
                  LIMIT 1
                  FOR UPDATE SKIP LOCKED) next
            WHERE d.id = next.id
            RETURNING d.id, d.problem_type AS ProblemType, d.design_text AS DesignText, d.attempts
            """, new { now, until = now + lease }, cancellationToken: cancellationToken));
    }

    /// <summary>Gives a claim back at once (the replica is stopping): the next replica, or this one restarted, takes it.</summary>
    public async Task ReleaseAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE platform.deployments SET next_attempt_at = NULL, attempts = GREATEST(attempts - 1, 0)
            WHERE id = @id AND state = 'generating'
            """, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>The spec generated before for the same problem type and design text, if it is still valid.</summary>
    public async Task<ServiceSpec?> FindRememberedAsync(string problemType, string designText,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT spec::text FROM platform.generated_specs WHERE hash = @hash",
            new { hash = Hash(problemType, designText) }, cancellationToken: cancellationToken));
        if (json is null)
        {
            return null;
        }

        // Checked again: a spec remembered under older limits must not slip past today's.
        var validation = ServiceSpecValidator.Validate(json);
        return validation.IsValid ? validation.Spec : null;
    }

    /// <summary>
    /// Queues the deployment with its spec and saves its DeploymentRequested message; a spec the model just wrote is
    /// remembered. Returns the message to publish, or null when the deployment is no longer generating (deleted or
    /// expired meanwhile).
    /// </summary>
    public async Task<OutboxMessage?> QueueAsync(GenerationClaim claim, ServiceSpec spec, GenerationUsage usage,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var specJson = DeploymentRequests.WriteServiceSpec(spec);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!usage.Cached)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO platform.generated_specs
                    (hash, problem_type, spec, input_tokens, output_tokens, duration_ms, created_at)
                VALUES (@hash, @problemType, @specJson::jsonb, @InputTokens, @OutputTokens, @DurationMs, @now)
                ON CONFLICT (hash) DO NOTHING
                """, new
            {
                hash = Hash(claim.ProblemType, claim.DesignText),
                problemType = claim.ProblemType,
                specJson,
                usage.InputTokens,
                usage.OutputTokens,
                usage.DurationMs,
                now,
            }, transaction, cancellationToken: cancellationToken));
        }

        var settings = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
            UPDATE platform.deployments
            SET state = 'queued', queued_at = @now, updated_at = @now, next_attempt_at = NULL, attempts = 0,
                service_spec = @specJson::jsonb, generation = @generation::jsonb
            WHERE id = @id AND state = 'generating'
            RETURNING settings::text
            """, new { claim.Id, now, specJson, generation = Serialize(usage) }, transaction,
            cancellationToken: cancellationToken));
        OutboxMessage? message = null;
        if (settings is not null)
        {
            message = await OutboxWriter.SaveAsync<DeploymentRequested>(connection, transaction,
                DeploymentRequests.From(claim.Id, claim.ProblemType, now, settings, specJson), now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return message;
    }

    /// <summary>Ends the generation in failed with <paramref name="reason"/>; nothing was built, so nothing is cleaned.</summary>
    public async Task FailAsync(long id, string reason, GenerationUsage? usage, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE platform.deployments
            SET state = 'failed', failed_at = @now, updated_at = @now, error = @reason, next_attempt_at = NULL,
                generation = @generation::jsonb
            WHERE id = @id AND state = 'generating'
            """, new { id, now, reason, generation = usage is null ? null : Serialize(usage) },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// SHA-256 of the problem type and design text, hex: the key of a remembered spec. The problem type's length comes
    /// first, so no split of one text into type and design hashes like another's.
    /// </summary>
    public static string Hash(string problemType, string designText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{problemType.Length}:{problemType}\n{designText}")));

    private static string Serialize(GenerationUsage usage) => JsonSerializer.Serialize(usage, GenerationUsageJson.Options);
}

/// <summary>A generating deployment one replica holds.</summary>
public sealed record GenerationClaim(long Id, string ProblemType, string DesignText, int Attempts);
