using Npgsql;
using Sdp.Contracts;
using Sdp.Templates.Tests.Infrastructure;
using Sdp.Templates.UrlShortener;

namespace Sdp.Templates.Tests.Candidates;

/// <summary>
/// Removing candidates' roles and schemas when many removals arrive at once, as the cleanup worker does under a
/// burst of deletions: removals asked for together share a transaction, and each must still get its own answer.
/// </summary>
[Collection(CandidateStoresCollection.Name)]
public sealed class CandidateDatabaseRemovalTests(CandidateStores stores)
{
    [Fact]
    public async Task Removals_asked_for_together_each_remove_their_candidate_and_say_whether_it_existed()
    {
        var candidates = await ProvisionAsync(12);
        // A session of one candidate, as its service would hold: removal must end it.
        await using var session = new NpgsqlConnection(candidates[0].Environment[CandidateEnvironment.Database]);
        await session.OpenAsync();
        var neverCreated = new[] { new CandidateResourceNames(990_001), new CandidateResourceNames(990_002) };

        var removals = candidates.Select(c => c.Names).Concat(neverCreated)
            .Select(names => (names, existed: stores.CandidateDatabase.DropAsync(names, CancellationToken.None)))
            .ToList();
        await Task.WhenAll(removals.Select(r => r.existed));

        foreach (var (names, existed) in removals)
        {
            Assert.Equal(!neverCreated.Contains(names), await existed);
            Assert.False(await stores.CandidateDatabase.ExistsAsync(names, CancellationToken.None));
        }

        await using var probe = new NpgsqlCommand("SELECT 1", session);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => probe.ExecuteScalarAsync());
        // Idempotent: removing again finds nothing and says so.
        Assert.False(await stores.CandidateDatabase.DropAsync(candidates[1].Names, CancellationToken.None));
    }

    [Fact]
    public async Task A_candidate_that_cannot_be_removed_fails_alone_and_the_others_are_removed()
    {
        var candidates = await ProvisionAsync(8);
        var stuck = candidates[3];
        // A role that owns a database cannot be dropped from another database: DROP OWNED does not reach it.
        var blocker = $"removal_blocker_{stuck.Names.DeploymentId}";
        await using (var create = stores.AdminDatabase.CreateCommand($"CREATE DATABASE {blocker} OWNER {stuck.Names.DatabaseRole}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            var removals = candidates.ToDictionary(c => c,
                c => stores.CandidateDatabase.DropAsync(c.Names, CancellationToken.None));
            await Task.WhenAll(removals.Values.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));

            var failure = await Assert.ThrowsAsync<PostgresException>(() => removals[stuck]);
            Assert.Equal(PostgresErrorCodes.DependentObjectsStillExist, failure.SqlState);
            Assert.True(await stores.CandidateDatabase.ExistsAsync(stuck.Names, CancellationToken.None));
            foreach (var candidate in candidates.Where(c => c != stuck))
            {
                Assert.True(await removals[candidate]);
                Assert.False(await stores.CandidateDatabase.ExistsAsync(candidate.Names, CancellationToken.None));
            }
        }
        finally
        {
            await using var drop = stores.AdminDatabase.CreateCommand($"DROP DATABASE IF EXISTS {blocker}");
            await drop.ExecuteNonQueryAsync();
        }

        // Once what held it is gone, the removal that failed succeeds when it comes again.
        Assert.True(await stores.CandidateDatabase.DropAsync(stuck.Names, CancellationToken.None));
        Assert.False(await stores.CandidateDatabase.ExistsAsync(stuck.Names, CancellationToken.None));
    }

    private async Task<ProvisionedCandidate[]> ProvisionAsync(int count)
    {
        var candidates = new ProvisionedCandidate[count];
        for (var i = 0; i < count; i++)
        {
            candidates[i] = await stores.ProvisionAsync(UrlShortenerTemplate.Descriptor);
        }

        return candidates;
    }
}
