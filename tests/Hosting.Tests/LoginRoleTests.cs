using Npgsql;
using Sdp.Hosting;

namespace Hosting.Tests;

/// <summary>A database's restricted login role, brought up for real with its server and database.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LoginRoleTests
{
    [Fact]
    public async Task The_role_logs_in_with_a_kept_password_may_not_administer_and_is_set_again_on_the_next_start()
    {
        using var state = new TestStateDirectory();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        string firstConnectionString;
        await using (var app = Build(state.Path))
        {
            await app.StartAsync(timeout.Token);
            firstConnectionString = (await app.GetConnectionStringAsync("sdpdb-app", timeout.Token))!;
            var role = new NpgsqlConnectionStringBuilder(firstConnectionString);
            Assert.Equal("sdp_app", role.Username);
            Assert.Equal("sdpdb", role.Database);
            Assert.NotEqual(new NpgsqlConnectionStringBuilder((await app.GetConnectionStringAsync("sdpdb", timeout.Token))!).Password,
                role.Password);

            // The password is kept like the server's: owner-only.
            var passwordFile = Path.Combine(state.Path, "sdpdb-app", "password");
            Assert.Equal(role.Password, File.ReadAllText(passwordFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));

            await using (var asRole = new NpgsqlConnection(firstConnectionString))
            {
                await asRole.OpenAsync(timeout.Token);
                Assert.Equal("sdp_app", await ScalarAsync<string>(asRole, "SELECT current_user", timeout.Token));
                var refused = await Assert.ThrowsAsync<PostgresException>(() =>
                    ScalarAsync<object>(asRole, "CREATE DATABASE made_by_the_app", timeout.Token));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
                refused = await Assert.ThrowsAsync<PostgresException>(() =>
                    ScalarAsync<object>(asRole, "CREATE ROLE made_by_the_app", timeout.Token));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
            }

            await using var owner = new NpgsqlConnection(await app.GetConnectionStringAsync("sdpdb", timeout.Token));
            await owner.OpenAsync(timeout.Token);
            Assert.Equal("f f f t", await ScalarAsync<string>(owner,
                "SELECT concat_ws(' ', rolsuper, rolcreatedb, rolcreaterole, rolcanlogin) FROM pg_roles WHERE rolname = 'sdp_app'",
                timeout.Token));
            Assert.True(await ScalarAsync<bool>(owner, "SELECT has_database_privilege('sdp_app', 'sdpdb', 'CONNECT')", timeout.Token));

            // As the application's migrations would leave it (no login), and with rights it must not keep.
            await ScalarAsync<object>(owner, "ALTER ROLE sdp_app NOLOGIN CREATEDB PASSWORD 'not-the-kept-one'", timeout.Token);
        }

        await using (var app = Build(state.Path))
        {
            await app.StartAsync(timeout.Token);
            var connectionString = (await app.GetConnectionStringAsync("sdpdb-app", timeout.Token))!;
            Assert.Equal(new NpgsqlConnectionStringBuilder(firstConnectionString).Password,
                new NpgsqlConnectionStringBuilder(connectionString).Password);

            await using var asRole = new NpgsqlConnection(connectionString);
            await asRole.OpenAsync(timeout.Token);
            Assert.Equal("sdp_app", await ScalarAsync<string>(asRole, "SELECT current_user", timeout.Token));
            Assert.Equal("f t", await ScalarAsync<string>(asRole,
                "SELECT concat_ws(' ', rolcreatedb, rolcanlogin) FROM pg_roles WHERE rolname = 'sdp_app'", timeout.Token));
            Assert.Equal(KnownResourceStates.Running, app.ResourceNotifications.GetSnapshot("sdpdb-app").State);
            Assert.Equal("PostgresLoginRole", app.ResourceNotifications.GetSnapshot("sdpdb-app").Type);
        }
    }

    private static DistributedApplication Build(string stateDirectory)
    {
        var builder = DistributedApplication.CreateBuilder(
        [
            $"--Sdp:StateDirectory={stateDirectory}", "--Dashboard:Port=0", "--Dashboard:CollectTelemetry=false",
            "--Prometheus:Enabled=false", "--Logging:LogLevel:Default=Warning",
        ]);
        builder.AddPostgres("postgres").AddDatabase("sdpdb").AddLoginRole("sdpdb-app", roleName: "sdp_app");
        return builder.Build();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
