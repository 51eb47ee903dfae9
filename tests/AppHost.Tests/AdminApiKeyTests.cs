using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Sdp.AppHost.Auth;

namespace AppHost.Tests;

/// <summary>The AppHost's first admin API key: made once, shown once, handed to the Orchestrator only as its hash.</summary>
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
    public void An_empty_key_file_is_replaced_owner_only()
    {
        var path = Path.Combine(_state.Path, "orchestrator-api", "admin-api-key");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var key = AdminApiKey.ReadOrCreate(_state.Path, TextWriter.Null);

        Assert.Equal(key.Secret, File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
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
    public async Task The_orchestrator_gets_the_hash_and_no_resource_gets_the_key()
    {
        var builder = await AppHostModel.CreateAsync(_state.Path);

        var secret = File.ReadAllText(Path.Combine(_state.Path, "orchestrator-api", "admin-api-key"));
        var expectedHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret))).ToLowerInvariant();
        Assert.Equal(expectedHash, (await builder.Get("orchestrator-api").EnvironmentAsync())["Auth__BootstrapAdminKeySha256"]);
        foreach (var resource in builder.Resources.OfType<IResourceWithEnvironment>())
        {
            Assert.All((await resource.EnvironmentAsync()).Values, value => Assert.DoesNotContain(secret, value));
        }

        // A second start reuses the key.
        var again = await AppHostModel.CreateAsync(_state.Path);
        Assert.Equal(expectedHash, (await again.Get("orchestrator-api").EnvironmentAsync())["Auth__BootstrapAdminKeySha256"]);
    }

    public void Dispose() => _state.Dispose();
}
