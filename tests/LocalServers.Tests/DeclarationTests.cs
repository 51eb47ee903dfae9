using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using LocalServers.Tests.Infrastructure;
using Sdp.LocalServers.Postgres;

namespace LocalServers.Tests;

/// <summary>What the integration declares in the application model, before anything runs.</summary>
public sealed class DeclarationTests : IDisposable
{
    private readonly TestStateDirectory _state = new();

    [Fact]
    public void Servers_are_executables_with_unproxied_endpoints_and_health_checks_and_databases_and_roles_are_their_children()
    {
        var (builder, state) = LocalServersApp.CreateBuilder(_state.Path);
        var (database, role, redis, messaging) = builder.AddServers(state);

        foreach (var server in new[] { "postgres", "redis", "messaging" })
        {
            var resource = Assert.IsAssignableFrom<ExecutableResource>(builder.Resources.Single(r => r.Name == server));
            Assert.Equal("/bin/sh", resource.Command);
            Assert.Equal(Path.Combine(_state.Path, server), resource.WorkingDirectory);
            // Unproxied: the port in a connection string is the server's own, the same after a restart.
            Assert.All(resource.Annotations.OfType<EndpointAnnotation>(), endpoint => Assert.False(endpoint.IsProxied));
            Assert.Single(resource.Annotations.OfType<HealthCheckAnnotation>());
        }

        Assert.Equal(["tcp", "epmd", "distribution"], messaging.Resource.Annotations.OfType<EndpointAnnotation>().Select(e => e.Name));
        var sdpdb = Assert.IsType<LocalPostgresDatabaseResource>(database.Resource);
        Assert.Equal("postgres", sdpdb.Parent.Name);
        Assert.Same(database.Resource, Assert.IsType<PostgresLoginRoleResource>(role.Resource).Parent);
        Assert.All(new IResource[] { database.Resource, role.Resource }, child => Assert.Single(child.Annotations.OfType<HealthCheckAnnotation>()));
        Assert.NotSame(redis.Resource, messaging.Resource);
        // Passwords are secret parameters, as Aspire's integrations take theirs.
        Assert.All(new[] { "postgres-password", "sdpdb-app-password", "redis-password", "messaging-password" },
            name => Assert.True(Assert.IsType<ParameterResource>(builder.Resources.Single(r => r.Name == name)).Secret));
    }

    [Theory]
    [InlineData("--Prometheus:Binary=/nonexistent/prometheus")]
    [InlineData("--Prometheus:Enabled=false")]
    public void Prometheus_is_left_out_when_it_is_not_installed_or_not_wanted(string setting)
    {
        var (builder, state) = LocalServersApp.CreateBuilder(_state.Path, setting);

        Assert.Null(builder.AddLocalPrometheus("prometheus", state, Path.Combine(_state.Path, "alerts.yml")));
        Assert.DoesNotContain(builder.Resources, r => r.Name == "prometheus");
    }

    public void Dispose() => _state.Dispose();
}
