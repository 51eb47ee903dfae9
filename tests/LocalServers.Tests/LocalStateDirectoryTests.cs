using LocalServers.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Sdp.LocalServers;

namespace LocalServers.Tests;

/// <summary>Where the servers keep data and passwords: the configured folder, else .sdp/ beside the solution.</summary>
public sealed class LocalStateDirectoryTests : IDisposable
{
    private readonly TestStateDirectory _folder = new();

    [Fact]
    public void The_configured_folder_is_used_and_created()
    {
        var configured = Path.Combine(_folder.Path, "state", "..", "configured");

        var state = LocalStateDirectory.From(Configuration(configured), appHostDirectory: _folder.Path);

        Assert.Equal(Path.Combine(_folder.Path, "configured"), state.Root);
        Assert.True(Directory.Exists(state.Root));
    }

    [Fact]
    public void Without_a_setting_it_is_sdp_beside_the_solution_above_the_AppHost()
    {
        File.WriteAllText(Path.Combine(_folder.Path, "Sdp.sln"), "");
        var appHost = Directory.CreateDirectory(Path.Combine(_folder.Path, "src", "AppHost")).FullName;

        var state = LocalStateDirectory.From(Configuration(null), appHost);

        Assert.Equal(_folder.Path, state.SolutionDirectory);
        Assert.Equal(Path.Combine(_folder.Path, ".sdp"), state.Root);
        Assert.Equal(Path.Combine(state.Root, "redis"), state.ResourceDirectory("redis"));
        Assert.True(Directory.Exists(Path.Combine(state.Root, "redis")));
    }

    [Fact]
    public void A_password_is_generated_once_owner_only_and_kept()
    {
        var state = LocalStateDirectory.From(Configuration(_folder.Path), _folder.Path);

        var first = state.ReadOrCreatePassword("postgres", out var created);
        var second = state.ReadOrCreatePassword("postgres", out var createdAgain);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Matches("^[A-Za-z0-9]{24}$", first);
        Assert.Equal(first, second);
        var path = Path.Combine(_folder.Path, "postgres", "password");
        Assert.Equal(first, File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.NotEqual(first, state.ReadOrCreatePassword("redis", out _));

        // An empty file is no password: a new one replaces it.
        File.WriteAllText(path, " \n");
        Assert.Matches("^[A-Za-z0-9]{24}$", state.ReadOrCreatePassword("postgres", out var replaced));
        Assert.True(replaced);
    }

    [Fact]
    public void A_servers_port_is_kept_outside_the_kernels_ephemeral_range_and_given_again_at_the_next_start()
    {
        var state = LocalStateDirectory.From(Configuration(_folder.Path), _folder.Path);

        var first = state.KeptPort("redis");
        var again = state.KeptPort("redis");

        // Outgoing connections draw their local ports from 32768–60999: one could sit on a kept port at a restart.
        Assert.InRange(first, 1024, 32767);
        Assert.Equal(first, again);
        Assert.Equal(first.ToString(System.Globalization.CultureInfo.InvariantCulture),
            File.ReadAllText(Path.Combine(_folder.Path, "redis", "port")));
    }

    [Fact]
    public void Servers_are_never_given_the_same_kept_port()
    {
        var state = LocalStateDirectory.From(Configuration(_folder.Path), _folder.Path);

        // Chosen before any of them listens, so only what is kept tells them apart; more than the range's thousand
        // ports would hold by chance.
        var ports = Enumerable.Range(0, 200).Select(i => state.KeptPort($"server-{i}")).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    public void Dispose() => _folder.Dispose();

    private static IConfiguration Configuration(string? stateDirectory) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Sdp:StateDirectory"] = stateDirectory }).Build();
}
