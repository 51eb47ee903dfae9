using Dapper;
using Npgsql;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Audit;

/// <summary>
/// The database keeps the audit log append-only: the application role may read and append, the owner may not
/// rewrite history either, and entries leave only through the purge function once older than the retention.
/// Each test works in a transaction it rolls back.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AuditLogProtectionTests(PlatformFixture platform)
{
    private const string InsufficientPrivilege = "42501";
    private readonly AuditRows audit = new(platform);

    [Theory]
    [InlineData("UPDATE platform.audit_log SET action = 'nothing.happened' WHERE id = @id")]
    [InlineData("DELETE FROM platform.audit_log WHERE id = @id")]
    [InlineData("TRUNCATE platform.audit_log")]
    [InlineData("UPDATE platform.audit_retention SET keep_for = interval '1 day'")]
    public async Task The_application_role_cannot_change_or_remove_entries(string statement)
    {
        var id = await audit.InsertAsync(DateTimeOffset.UtcNow, "deployment.create", 202);

        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SET LOCAL ROLE sdp_app", transaction: transaction);

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            connection.ExecuteAsync(statement, new { id }, transaction));
        Assert.Equal(InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task The_application_role_can_read_and_append()
    {
        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SET LOCAL ROLE sdp_app", transaction: transaction);

        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO platform.audit_log (request_id, action, status_code) VALUES ('r', 'deployment.create', 202)
            RETURNING id
            """, transaction: transaction);
        Assert.Equal("succeeded", await connection.ExecuteScalarAsync<string>(
            "SELECT outcome FROM platform.audit_log WHERE id = @id", new { id }, transaction));
        await transaction.RollbackAsync();
    }

    [Theory]
    [InlineData("UPDATE platform.audit_log SET action = 'nothing.happened' WHERE id = @id")]
    [InlineData("DELETE FROM platform.audit_log WHERE id = @id")]
    [InlineData("TRUNCATE platform.audit_log")]
    public async Task Even_the_owner_cannot_rewrite_or_delete_a_young_entry(string statement)
    {
        var id = await audit.InsertAsync(DateTimeOffset.UtcNow.AddDays(-1), "deployment.create", 202);

        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            connection.ExecuteAsync(statement, new { id }, transaction));
        Assert.Equal(InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task The_purge_function_removes_only_entries_older_than_the_retention()
    {
        var retention = await audit.RetentionAsync();
        var now = DateTimeOffset.UtcNow;
        var expired = await audit.InsertAsync(now - retention - TimeSpan.FromDays(1), "deployment.create", 202);
        var keptJustInside = await audit.InsertAsync(now - retention + TimeSpan.FromDays(1), "deployment.create", 202);
        var recent = await audit.InsertAsync(now, "deployment.create", 202);

        await using var connection = await platform.PlatformDatabase.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SET LOCAL ROLE sdp_app", transaction: transaction);

        var purged = await connection.ExecuteScalarAsync<long>("SELECT platform.purge_expired_audit_entries()",
            transaction: transaction);

        Assert.True(purged >= 1);
        var left = (await connection.QueryAsync<long>("SELECT id FROM platform.audit_log WHERE id = ANY(@ids)",
            new { ids = new[] { expired, keptJustInside, recent } }, transaction)).ToHashSet();
        Assert.Equal([keptJustInside, recent], left.Order());
        await transaction.RollbackAsync();

        // The owner may delete an expired entry directly too: the guard is about age, not about who asks.
        await using var owner = await platform.PlatformDatabase.OpenConnectionAsync();
        Assert.Equal(1, await owner.ExecuteAsync("DELETE FROM platform.audit_log WHERE id = @expired", new { expired }));
    }
}
