using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Npgsql;
using Sdp.Testing;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Database;

/// <summary>
/// The Orchestrator works as sdp_app, a role that reads and writes the platform's rows and can change nothing
/// else; its migrations ran as the owner.
/// </summary>
[Collection(PlatformCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ApplicationRoleTests(PlatformFixture platform)
{
    private readonly PlatformClient client = new(platform);

    [Fact]
    public async Task The_orchestrator_connects_as_sdp_app_and_a_deployment_still_goes_through_its_whole_life()
    {
        var ready = await client.WaitForStateAsync((await client.DeployAsync()).Id, "ready");
        Assert.True(ready.Success);
        await client.DeleteAsync(ready.Id);
        var deleted = await client.WaitForStateAsync(ready.Id, "deleted");
        Assert.NotNull(deleted.Timestamps.Deleted);

        // Every PostgreSQL connection the Orchestrator's process holds is sdp_app's (its change feed's LISTEN
        // connection is always among them).
        var database = new NpgsqlConnectionStringBuilder(await platform.App.GetConnectionStringAsync("sdpdb"));
        var clientPorts = ClientPortsOf(platform.App.GetProcessId("orchestrator-api")!.Value, database.Port);
        Assert.NotEmpty(clientPorts);
        await using var sessions = platform.PlatformDatabase.CreateCommand(
            "SELECT usename, query FROM pg_stat_activity WHERE datname = 'sdpdb' AND client_port = ANY(@ports)");
        sessions.Parameters.AddWithValue("ports", clientPorts.ToArray());
        var found = new List<(string User, string Query)>();
        await using (var reader = await sessions.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                found.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.NotEmpty(found);
        Assert.All(found, session => Assert.Equal("sdp_app", session.User));
        Assert.Contains(found, session => session.Query.StartsWith("LISTEN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sdp_app_reads_the_migration_history_but_cannot_rewrite_it_or_change_the_schema()
    {
        await using var asApp = new NpgsqlConnection(await platform.App.GetConnectionStringAsync("sdpdb-app"));
        await asApp.OpenAsync();
        await using (var current = new NpgsqlCommand("SELECT current_user", asApp))
        {
            Assert.Equal("sdp_app", await current.ExecuteScalarAsync());
        }

        await using (var history = new NpgsqlCommand(
            "SELECT count(*) FROM platform.schema_versions WHERE scriptname LIKE '%0007_application_role.sql'", asApp))
        {
            Assert.Equal(1L, await history.ExecuteScalarAsync());
        }

        foreach (var statement in new[]
        {
            "DELETE FROM platform.schema_versions",
            "UPDATE platform.schema_versions SET applied = now()",
            "INSERT INTO platform.schema_versions (scriptname, applied) VALUES ('0099_forged.sql', now())",
            "CREATE TABLE platform.made_by_the_app (id int)",
            "ALTER TABLE platform.deployments ADD COLUMN made_by_the_app int",
            "DROP TABLE platform.outbox",
            "TRUNCATE platform.deployments",
        })
        {
            await using var command = new NpgsqlCommand(statement, asApp);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.True(refused.SqlState is PostgresErrorCodes.InsufficientPrivilege,
                $"{statement}: {refused.SqlState} {refused.MessageText}");
        }
    }

    /// <summary>
    /// The local ports of the process's TCP connections to <paramref name="serverPort"/>: its sockets (by inode,
    /// from /proc/{pid}/fd) matched with the kernel's connection table.
    /// </summary>
    private static HashSet<int> ClientPortsOf(int processId, int serverPort)
    {
        var socketInodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFiles($"/proc/{processId}/fd"))
        {
            if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                socketInodes.Add(target["socket:[".Length..^1]);
            }
        }

        var ports = new HashSet<int>();
        foreach (var table in new[] { "tcp", "tcp6" })
        {
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
            foreach (var line in File.ReadLines($"/proc/{processId}/net/{table}").Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && socketInodes.Contains(fields[9]) && PortOf(fields[2]) == serverPort)
                {
                    ports.Add(PortOf(fields[1]));
                }
            }
        }

        return ports;
    }

    private static int PortOf(string address) =>
        int.Parse(address[(address.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
