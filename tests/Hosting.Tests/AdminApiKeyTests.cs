using System.Security.Cryptography;
using System.Text;
using Sdp.AppHost.Auth;
using Sdp.Hosting;

namespace Hosting.Tests;

/// <summary>The AppHost's first admin API key: made once, shown once, handed to the Orchestrator only as its hash.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AdminApiKeyTests : IDisposable
{
    private readonly TestStateDirectory _state = new();

    [Fact]
    public void The_key_is_created_once_owner_only_and_printed_only_the_first_time()
    {
        var firstConsole = new StringWriter();
        var first = AdminApiKey.ReadOrCreate(_state.Path, firstConsole);

        var path = Path.Combine(_state.Path, "orchestrator-api", "admin-api-key");
        Assert.Equal(path, first.FilePath);
        Assert.Matches("^sdp_[A-Za-z0-9_-]{43}$", first.Secret);
        Assert.Equal(first.Secret, File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Contains($"Admin API key (shown once, also saved in {path}):", firstConsole.ToString());
        Assert.Contains(first.Secret, firstConsole.ToString());

        var secondConsole = new StringWriter();
        var second = AdminApiKey.ReadOrCreate(_state.Path, secondConsole);

        Assert.Equal(first.Secret, second.Secret);
        Assert.Contains(path, secondConsole.ToString());
        Assert.DoesNotContain(first.Secret, secondConsole.ToString());
        Assert.DoesNotContain("shown once", secondConsole.ToString());
    }

    [Fact]
    public void Keys_differ_between_state_folders_and_hash_as_lower_case_hex_sha256()
    {
        using var other = new TestStateDirectory();
        var key = AdminApiKey.ReadOrCreate(_state.Path, TextWriter.Null);

        Assert.NotEqual(key.Secret, AdminApiKey.ReadOrCreate(other.Path, TextWriter.Null).Secret);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.Secret))).ToLowerInvariant(), key.Sha256Hex);
    }

    [Fact]
    public async Task The_orchestrator_gets_the_hash_and_only_the_host_keeps_the_key()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>(
            [$"--Sdp:StateDirectory={_state.Path}"], CancellationToken.None);

        var secret = File.ReadAllText(Path.Combine(_state.Path, "orchestrator-api", "admin-api-key"));
        var expectedHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret))).ToLowerInvariant();
        var orchestrator = (Resource)builder.Resources.Single(r => r.Name == "orchestrator-api");
        Assert.Equal(expectedHash, orchestrator.Environment["Auth__BootstrapAdminKeySha256"]);
        Assert.All(builder.Resources.OfType<Resource>().SelectMany(r => r.Environment.Values),
            value => Assert.DoesNotContain(secret, value));
        // The dashboard's live view calls the Orchestrator with the key itself.
        Assert.Equal(secret, builder.Configuration["Dashboard:DeploymentsApiKey"]);

        // A second start reuses the key.
        var again = await DistributedApplicationTestingBuilder.CreateAsync<Program>(
            [$"--Sdp:StateDirectory={_state.Path}"], CancellationToken.None);
        Assert.Equal(expectedHash,
            ((Resource)again.Resources.Single(r => r.Name == "orchestrator-api")).Environment["Auth__BootstrapAdminKeySha256"]);
    }

    public void Dispose() => _state.Dispose();
}
