using Sdp.Hosting;

namespace Hosting.Tests;

public class ConnectionStringTests
{
    [Fact]
    public void Postgres_database_connection_string_has_Aspire_format()
    {
        Assert.Equal("Host=127.0.0.1;Port=5432;Username=postgres;Password=s3cret;Database=sdpdb",
            ConnectionStrings.Postgres("127.0.0.1", 5432, "postgres", "s3cret", "sdpdb"));
    }

    [Fact]
    public void Postgres_server_connection_string_has_no_database()
    {
        Assert.Equal("Host=127.0.0.1;Port=5432;Username=postgres;Password=s3cret",
            ConnectionStrings.Postgres("127.0.0.1", 5432, "postgres", "s3cret", database: null));
    }

    [Fact]
    public void Postgres_values_that_need_it_are_quoted_and_parse_back()
    {
        var connectionString = ConnectionStrings.Postgres("127.0.0.1", 5432, "postgres", "a;b=\"c'd", "sdpdb");

        var parsed = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        Assert.Equal("a;b=\"c'd", parsed.Password);
        Assert.Equal("sdpdb", parsed.Database);
    }

    [Fact]
    public void Redis_connection_string_has_Aspire_format()
    {
        Assert.Equal("127.0.0.1:6380,password=s3cret", ConnectionStrings.Redis("127.0.0.1", 6380, "s3cret"));
    }

    [Fact]
    public void RabbitMQ_connection_string_is_an_amqp_uri()
    {
        Assert.Equal("amqp://sdp:s3cret@127.0.0.1:5673", ConnectionStrings.RabbitMQ("127.0.0.1", 5673, "sdp", "s3cret"));
    }

    [Fact]
    public void RabbitMQ_credentials_are_uri_encoded()
    {
        var connectionString = ConnectionStrings.RabbitMQ("127.0.0.1", 5673, "us er@x", "p@ss:w/rd%?#");

        Assert.Equal("amqp://us%20er%40x:p%40ss%3Aw%2Frd%25%3F%23@127.0.0.1:5673", connectionString);
        var uri = new Uri(connectionString);
        Assert.Equal("127.0.0.1", uri.Host);
        Assert.Equal(5673, uri.Port);
        var userInfo = uri.UserInfo.Split(':');
        Assert.Equal("us er@x", Uri.UnescapeDataString(userInfo[0]));
        Assert.Equal("p@ss:w/rd%?#", Uri.UnescapeDataString(userInfo[1]));
    }

    [Fact]
    public void Resources_give_loopback_connection_strings_once_started()
    {
        var server = new PostgresServerResource("postgres");
        var database = new PostgresDatabaseResource("sdpdb", "sdpdb", server);
        var redis = new RedisResource("redis");
        var rabbit = new RabbitMQServerResource("messaging");
        Assert.Null(database.ConnectionString);

        server.Password = "pw1";
        server.PrimaryEndpoint.RequestedPort = 5432;
        server.PrimaryEndpoint.Allocate();
        redis.Password = "pw2";
        redis.PrimaryEndpoint.RequestedPort = 6379;
        redis.PrimaryEndpoint.Allocate();
        rabbit.Password = "pw/3";
        rabbit.PrimaryEndpoint.RequestedPort = 5672;
        rabbit.PrimaryEndpoint.Allocate();

        Assert.Equal("Host=127.0.0.1;Port=5432;Username=postgres;Password=pw1;Database=sdpdb", database.ConnectionString);
        Assert.Equal("127.0.0.1:6379,password=pw2", redis.ConnectionString);
        Assert.Equal("amqp://sdp:pw%2F3@127.0.0.1:5672", rabbit.ConnectionString);
    }
}
