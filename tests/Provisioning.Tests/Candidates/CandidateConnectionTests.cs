using Microsoft.Extensions.Options;
using Npgsql;
using Sdp.Contracts;
using Sdp.Provisioning.Candidates;
using StackExchange.Redis;

namespace Sdp.Provisioning.Tests.Candidates;

/// <summary>
/// What a candidate service is told to connect to: by default the servers as the provisioner reaches them; in
/// production the addresses Cloud Run can reach (a Cloud SQL socket, Memorystore's private IP).
/// </summary>
public sealed class CandidateConnectionTests
{
    private static readonly CandidateResourceNames Names = new(42);

    [Fact]
    public void The_database_connection_uses_the_candidates_own_role_schema_and_by_default_the_provisioners_host()
    {
        using var platform = NpgsqlDataSource.Create("Host=127.0.0.1;Port=5433;Database=sdpdb;Username=sdp;Password=platform-secret");
        var database = new CandidateDatabase(platform, Options.Create(new CandidateDatabaseOptions { MaxPoolSize = 3 }));

        var candidate = new NpgsqlConnectionStringBuilder(database.ConnectionStringFor(Names, "candidate-secret"));

        Assert.Equal("127.0.0.1", candidate.Host);
        Assert.Equal(5433, candidate.Port);
        Assert.Equal("sdpdb", candidate.Database);
        Assert.Equal("candidate_42", candidate.Username);
        Assert.Equal("candidate-secret", candidate.Password);
        Assert.Equal("candidate_42", candidate.SearchPath);
        Assert.Equal(3, candidate.MaxPoolSize);
    }

    [Fact]
    public void A_configured_candidate_host_such_as_a_cloud_sql_socket_replaces_the_provisioners()
    {
        using var platform = NpgsqlDataSource.Create("Host=10.20.0.5;Port=5432;Database=sdpdb;Username=sdp;Password=platform-secret");
        var database = new CandidateDatabase(platform, Options.Create(new CandidateDatabaseOptions
        {
            Host = "/cloudsql/sdp-prod:europe-west1:sdp-postgres",
            Port = 5432,
        }));

        var candidate = new NpgsqlConnectionStringBuilder(database.ConnectionStringFor(Names, "candidate-secret"));

        Assert.Equal("/cloudsql/sdp-prod:europe-west1:sdp-postgres", candidate.Host);
        Assert.Equal("candidate_42", candidate.Username);
        Assert.DoesNotContain("platform-secret", candidate.ConnectionString);
    }

    [Fact]
    public async Task The_redis_configuration_names_the_candidates_acl_user_and_a_configured_endpoint_with_tls()
    {
        await using var provisionersView = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=100");

        var local = ConfigurationOptions.Parse(new CandidateRedis(provisionersView).ConfigurationFor(Names, "redis-secret"));
        Assert.Equal("sub-42", local.User);
        Assert.Equal("redis-secret", local.Password);
        Assert.Equal("127.0.0.1:1", Assert.Single(local.EndPoints).ToString());
        Assert.False(local.Ssl);

        var memorystore = ConfigurationOptions.Parse(new CandidateRedis(provisionersView,
                Options.Create(new CandidateRedisOptions { Endpoint = "10.30.0.4:6378", Ssl = true }))
            .ConfigurationFor(Names, "redis-secret"));
        Assert.Equal("10.30.0.4:6378", Assert.Single(memorystore.EndPoints).ToString());
        Assert.True(memorystore.Ssl);
        Assert.Equal("sub-42", memorystore.User);
    }
}
