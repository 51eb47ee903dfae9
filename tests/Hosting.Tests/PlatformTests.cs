using System.Net.Sockets;
using System.Text.Json;
using Npgsql;
using Sdp.Hosting;
using Sdp.Hosting.Processes;

namespace Hosting.Tests;

/// <summary>
/// The whole platform, as the AppHost declares it, brought up for real: PostgreSQL, Redis and RabbitMQ from the
/// machine's binaries and the four services from their built dlls, in a fresh state folder, on free ports.
/// </summary>
public sealed class PlatformTests
{
    private static readonly string[] Services = ["orchestrator-api", "provisioner-worker", "cleanup-worker", "simulator"];

    [Fact]
    public async Task The_platform_comes_up_healthy_and_leaves_no_process_behind()
    {
        using var state = new TestStateDirectory();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>(
            [$"--Sdp:StateDirectory={state.Path}", "--Sdp:OrchestratorPort=0", "--Dashboard:Port=0"], timeout.Token);
        var app = await builder.BuildAsync(timeout.Token);
        List<int> processIds;
        List<int> ports;
        try
        {
            await app.StartAsync(timeout.Token);
            foreach (var resource in app.Resources)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource.Name, timeout.Token);
            }

            foreach (var service in Services)
            {
                var endpoint = app.GetEndpoint(service);
                Assert.Equal("127.0.0.1", endpoint.Host);
                await AssertOkAsync(http, new Uri(endpoint, "/health"), timeout.Token);
                await AssertOkAsync(http, new Uri(endpoint, "/alive"), timeout.Token);
                using var metrics = await http.GetAsync(new Uri(endpoint, "/metrics"), timeout.Token);
                Assert.Equal(200, (int)metrics.StatusCode);
                Assert.Matches("^(text/plain|application/openmetrics-text)", metrics.Content.Headers.ContentType?.MediaType);
                Assert.Contains("# TYPE ", await metrics.Content.ReadAsStringAsync(timeout.Token));
            }

            await AssertDashboardShowsEverythingHealthyAsync(http, app, timeout.Token);
            await AssertDatabaseIsReachableAsync(app, timeout.Token);

            processIds = [.. app.GetTrackedProcessIds()];
            foreach (var resource in new[] { "postgres", "redis", "messaging" }.Concat(Services))
            {
                Assert.Contains(app.GetProcessId(resource) ?? -1, processIds);
            }

            ports = [.. app.Resources.OfType<Resource>().SelectMany(r => r.Endpoints).Select(e => e.Port!.Value)];
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.All(processIds, pid => Assert.False(ProcessTable.IsAlive(pid), $"Process {pid} is still alive."));
        Assert.Empty(ProcessesUsing(state.Path));
        foreach (var port in ports)
        {
            Assert.False(await IsListeningAsync(port), $"Port {port} still accepts connections.");
        }
    }

    private static async Task AssertOkAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}.");
    }

    private static async Task AssertDashboardShowsEverythingHealthyAsync(HttpClient http, DistributedApplication app,
        CancellationToken cancellationToken)
    {
        using var page = await http.GetAsync(app.DashboardUrl, cancellationToken);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(app.DashboardUrl, "/api/resources"), cancellationToken));
        var resources = document.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(app.Resources.Select(r => r.Name).Order(), resources.Keys.Order());
        foreach (var (name, resource) in resources)
        {
            Assert.True(resource.GetProperty("state").GetString() == KnownResourceStates.Running, $"{name}: {resource}");
            Assert.True(resource.GetProperty("health").GetString() == "Healthy", $"{name}: {resource}");
            Assert.Equal(0, resource.GetProperty("restart_count").GetInt32());
        }

        Assert.Equal(app.GetEndpoint("orchestrator-api").ToString().TrimEnd('/'),
            resources["orchestrator-api"].GetProperty("endpoints")[0].GetString());

        var logs = await http.GetStringAsync(new Uri(app.DashboardUrl, "/api/resources/orchestrator-api/logs"), cancellationToken);
        Assert.NotEqual(0, JsonDocument.Parse(logs).RootElement.GetArrayLength());
    }

    private static async Task AssertDatabaseIsReachableAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var connectionString = await app.GetConnectionStringAsync("sdpdb", cancellationToken);
        Assert.Matches("^Host=127\\.0\\.0\\.1;Port=\\d+;Username=postgres;Password=[A-Za-z0-9]+;Database=sdpdb$", connectionString);
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT current_database()", connection);
        Assert.Equal("sdpdb", await command.ExecuteScalarAsync(cancellationToken));

        Assert.Matches("^127\\.0\\.0\\.1:\\d+,password=[A-Za-z0-9]+$", await app.GetConnectionStringAsync("redis", cancellationToken));
        Assert.Matches("^amqp://sdp:[A-Za-z0-9]+@127\\.0\\.0\\.1:\\d+$", await app.GetConnectionStringAsync("messaging", cancellationToken));
    }

    /// <summary>Live processes whose command line names the folder or whose working directory is inside it.</summary>
    private static List<string> ProcessesUsing(string directory) =>
        [.. ProcessTable.EnumerateProcessIds()
            .Where(pid => ProcessTable.IsAlive(pid))
            .Where(pid => ProcessTable.GetCommandLine(pid).Contains(directory, StringComparison.Ordinal)
                || (WorkingDirectoryOf(pid)?.StartsWith(directory, StringComparison.Ordinal) ?? false))
            .Select(pid => $"{pid}: {ProcessTable.GetCommandLine(pid)}")];

    private static string? WorkingDirectoryOf(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
