using Dapper;
using Npgsql;
using Sdp.Orchestrator.Api.Auth;

namespace Sdp.Orchestrator.Api.Tenants;

public sealed class ApiKeyStore(NpgsqlDataSource database, TimeProvider time, ApiKeyCache cache)
{
    private const string Select = $"SELECT {ApiKeyRecord.Columns} FROM platform.api_keys";

    /// <summary>A new key and its secret (never stored); null when the tenant does not exist.</summary>
    public async Task<(ApiKeyRecord Key, string Secret)?> CreateAsync(CreateApiKeyRequest request,
        CancellationToken cancellationToken)
    {
        var secret = ApiKeySecret.Create();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // The tenant check and the insert are one statement: a tenant id that does not exist inserts nothing.
        var key = await connection.QuerySingleOrDefaultAsync<ApiKeyRecord>(new CommandDefinition($"""
            INSERT INTO platform.api_keys (name, role, tenant_id, secret_sha256, visible_prefix, requests_per_minute,
                                           created_at, expires_at)
            SELECT @name, @role, @tenantId, @hash, @visible, @perMinute, @now, @expiresAt
            WHERE @tenantId::uuid IS NULL OR EXISTS (SELECT 1 FROM platform.tenants WHERE id = @tenantId)
            RETURNING {ApiKeyRecord.Columns}
            """, new
        {
            name = request.Name!.Trim(),
            role = request.ResolvedRole,
            tenantId = request.TenantId,
            hash = ApiKeySecret.Hash(secret),
            visible = ApiKeySecret.Visible(secret),
            perMinute = request.RequestsPerMinute,
            now = time.GetUtcNow(),
            expiresAt = request.ExpiresAt,
        }, cancellationToken: cancellationToken));
        return key is null ? null : (key, secret);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(Guid? tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ApiKeyRecord>(new CommandDefinition($"""
            {Select} WHERE @tenantId::uuid IS NULL OR tenant_id = @tenantId ORDER BY created_at DESC
            """, new { tenantId }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Revokes a key for good (a second revocation keeps the first time); null for an unknown key.</summary>
    public async Task<ApiKeyRecord?> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var key = await connection.QuerySingleOrDefaultAsync<ApiKeyRecord>(new CommandDefinition($"""
            UPDATE platform.api_keys SET revoked_at = COALESCE(revoked_at, @now) WHERE id = @id
            RETURNING {ApiKeyRecord.Columns}
            """, new { id, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
        // Other replicas hear of it from the database; this one's next request must already refuse the key.
        cache.Forget();
        return key;
    }
}
