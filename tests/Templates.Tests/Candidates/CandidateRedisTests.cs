using Microsoft.Extensions.Options;
using Sdp.Contracts;
using Sdp.Provisioning.Candidates;
using Sdp.Templates.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sdp.Templates.Tests.Candidates;

/// <summary>
/// A candidate's Redis user and keys, made and removed as the provisioner and the cleanup worker do on a Redis that
/// keeps its users in an ACL file (the local Redis does): what is made is in the file before the call returns, and a
/// removal leaves neither the user (in memory or in the file) nor any key under the candidate's prefix.
/// </summary>
[Collection(CandidateStoresCollection.Name)]
public sealed class CandidateRedisTests(CandidateStores stores)
{
    // Far from the ids CandidateStores hands out, so no other test's candidate shares a prefix.
    private static long nextDeploymentId = 880_000;

    // As the workers run against the local Redis: every user change saved to the ACL file.
    private readonly CandidateRedis savingRedis =
        new(stores.AdminRedis, Options.Create(new CandidateRedisOptions { SaveUsers = true }));

    [Fact]
    public async Task A_user_that_was_made_is_in_the_acl_file_when_the_call_returns()
    {
        var names = NewNames();

        await savingRedis.CreateUserAsync(names, CandidatePassword.Generate(), CancellationToken.None);

        Assert.Contains(names.RedisUser, await SavedUsersAsync());
    }

    [Fact]
    public async Task A_removal_takes_the_user_out_of_the_acl_file_and_unlinks_every_key_under_the_prefix_only()
    {
        var names = NewNames();
        await savingRedis.CreateUserAsync(names, CandidatePassword.Generate(), CancellationToken.None);
        var database = stores.AdminRedis.GetDatabase();
        // More than one SCAN page (1,000) and more than one UNLINK batch (500).
        const int keyCount = 1_234;
        var writes = Enumerable.Range(0, keyCount)
            .Select(i => database.StringSetAsync($"{names.RedisPrefix}key:{i}", i))
            .ToList();
        await Task.WhenAll(writes);
        var neighbour = NewNames();
        await database.StringSetAsync($"{neighbour.RedisPrefix}kept", "yes");
        Assert.Contains(names.RedisUser, await SavedUsersAsync());

        var removal = await savingRedis.RemoveAsync(names, CancellationToken.None);

        Assert.Equal(new CandidateRedisRemoval(UserRemoved: true, KeysRemoved: keyCount), removal);
        Assert.False(await savingRedis.UserExistsAsync(names, CancellationToken.None));
        Assert.DoesNotContain(names.RedisUser, await SavedUsersAsync());
        Assert.DoesNotContain(await stores.AllRedisKeysAsync(), key => key.StartsWith(names.RedisPrefix, StringComparison.Ordinal));
        Assert.Equal("yes", (string?)await database.StringGetAsync($"{neighbour.RedisPrefix}kept"));
    }

    [Fact]
    public async Task Removing_a_candidate_that_is_gone_finds_nothing_and_says_so()
    {
        var names = NewNames();
        await savingRedis.CreateUserAsync(names, CandidatePassword.Generate(), CancellationToken.None);
        await savingRedis.RemoveAsync(names, CancellationToken.None);

        var again = await savingRedis.RemoveAsync(names, CancellationToken.None);

        Assert.Equal(new CandidateRedisRemoval(UserRemoved: false, KeysRemoved: 0), again);
    }

    private static CandidateResourceNames NewNames() => new(Interlocked.Increment(ref nextDeploymentId));

    /// <summary>The user names in the server's ACL file, as a restarted server would load them.</summary>
    private async Task<IReadOnlyList<string>> SavedUsersAsync()
    {
        var server = stores.AdminRedis.GetServers().First();
        var aclFile = (await server.ConfigGetAsync("aclfile")).Single().Value;
        // "user <name> on #<hash> ~<pattern> ...": one line per user.
        return (await File.ReadAllLinesAsync(aclFile))
            .Select(line => line.Split(' '))
            .Where(words => words.Length > 1 && words[0] == "user")
            .Select(words => words[1])
            .ToList();
    }
}
