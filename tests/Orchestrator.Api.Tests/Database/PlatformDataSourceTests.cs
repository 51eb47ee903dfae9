using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Sdp.Orchestrator.Api.Tests.Database;

/// <summary>
/// The platform's own data source (ServiceDefaults' <c>AddNpgsqlDataSource</c>, through Aspire.Npgsql), built without a
/// server: nothing here opens a connection.
/// </summary>
public sealed class PlatformDataSourceTests
{
    [Fact]
    public void Statements_the_platform_sends_again_and_again_are_kept_prepared_on_each_pooled_connection()
    {
        var settings = BuildDataSourceSettings("Host=127.0.0.1;Port=5432;Username=sdp_app;Password=secret;Database=sdpdb");

        Assert.Equal(PlatformClientExtensions.AutoPreparedStatements, settings.MaxAutoPrepare);
    }

    [Fact]
    public void A_connection_string_that_sets_its_own_number_of_prepared_statements_keeps_it()
    {
        var settings = BuildDataSourceSettings(
            "Host=127.0.0.1;Port=5432;Username=sdp_app;Password=secret;Database=sdpdb;Max Auto Prepare=5");

        Assert.Equal(5, settings.MaxAutoPrepare);
    }

    [Fact]
    public void A_connection_string_that_turns_prepared_statements_off_keeps_them_off()
    {
        var settings = BuildDataSourceSettings(
            "Host=127.0.0.1;Port=5432;Username=sdp_app;Password=secret;Database=sdpdb;Max Auto Prepare=0");

        Assert.Equal(0, settings.MaxAutoPrepare);
    }

    private static NpgsqlConnectionStringBuilder BuildDataSourceSettings(string connectionString)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["ConnectionStrings:sdpdb"] = connectionString;
        builder.AddNpgsqlDataSource("sdpdb");
        using var host = builder.Build();
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        return new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
    }
}
