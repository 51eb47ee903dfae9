using System.Net;
using System.Net.Http.Json;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Audit;

/// <summary>Every mutating API request leaves one audit entry saying what was done, to what, and how it ended.</summary>
[Collection(PlatformCollection.Name)]
public sealed class AuditRecordingTests(PlatformFixture platform)
{
    private readonly PlatformClient client = new(platform);
    private readonly AuditRows audit = new(platform);

    [Fact]
    public async Task A_deploy_and_a_delete_are_recorded_with_action_target_and_outcome()
    {
        var (created, createTrace) = await audit.SendTracedAsync(platform.Api,
            new HttpRequestMessage(HttpMethod.Post, "/api/deployments")
            {
                Content = JsonContent.Create(new { problem_type = "url_shortener", design_text = "Base62 codes." }),
            });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<DeploymentView>(PlatformFixture.Json))!.Id;
        created.Dispose();
        await client.WaitForStateAsync(id, "ready");

        var (deleted, deleteTrace) = await audit.SendTracedAsync(platform.Api,
            new HttpRequestMessage(HttpMethod.Delete, $"/api/deployments/{id}"));
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        deleted.Dispose();

        var create = Assert.Single(await audit.ForRequestAsync(createTrace));
        Assert.Equal("deployment.create", create.Action);
        Assert.Equal($"deployment:{id}", create.Target);
        Assert.Equal(202, create.StatusCode);
        Assert.Equal("succeeded", create.Outcome);
        Assert.False(string.IsNullOrEmpty(create.ClientIp));

        var delete = Assert.Single(await audit.ForRequestAsync(deleteTrace));
        Assert.Equal("deployment.delete", delete.Action);
        Assert.Equal($"deployment:{id}", delete.Target);
        Assert.Equal(202, delete.StatusCode);
        Assert.Equal("succeeded", delete.Outcome);
        Assert.True(delete.Id > create.Id);
        Assert.True(delete.OccurredAt >= create.OccurredAt);

        // The target names the deployment, so its whole history is one query.
        Assert.Equal(["deployment.create", "deployment.delete"],
            (await audit.ForTargetAsync($"deployment:{id}")).Select(e => e.Action));
        await client.WaitForStateAsync(id, "deleted");
    }

    [Fact]
    public async Task Requests_answered_together_each_find_their_own_entry_stored_when_answered()
    {
        // Entries of requests that finish while a write runs are stored together: each must still be stored, once,
        // with its own request's fields, before its response is sent.
        var ids = Enumerable.Range(0, 40).Select(i => 880_000_000L + (Random.Shared.Next(1_000_000) * 40L) + i).ToList();
        var sent = await Task.WhenAll(ids.Select(async id =>
        {
            var (response, trace) = await audit.SendTracedAsync(platform.Api,
                new HttpRequestMessage(HttpMethod.Delete, $"/api/deployments/{id}"));
            using (response)
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }

            return (Id: id, Trace: trace);
        }));

        foreach (var (id, trace) in sent)
        {
            var entry = Assert.Single(await audit.ForRequestAsync(trace));
            Assert.Equal(("deployment.delete", $"deployment:{id}", 404, "refused"),
                (entry.Action, entry.Target, entry.StatusCode, entry.Outcome));
        }
    }

    [Fact]
    public async Task Refused_requests_are_recorded_with_their_status()
    {
        var (badBody, badBodyTrace) = await audit.SendTracedAsync(platform.Api,
            new HttpRequestMessage(HttpMethod.Post, "/api/deployments")
            {
                Content = JsonContent.Create(new { problem_type = "url_shortener" }),
            });
        Assert.Equal(HttpStatusCode.BadRequest, badBody.StatusCode);
        badBody.Dispose();

        var (unknown, unknownTrace) = await audit.SendTracedAsync(platform.Api,
            new HttpRequestMessage(HttpMethod.Delete, "/api/deployments/987654321"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        unknown.Dispose();

        var (notReady, notReadyTrace) = await audit.SendTracedAsync(platform.Api,
            new HttpRequestMessage(HttpMethod.Post, "/api/deployments/987654321/scenarios"));
        Assert.Equal(HttpStatusCode.NotFound, notReady.StatusCode);
        notReady.Dispose();

        var (noRoute, noRouteTrace) = await audit.SendTracedAsync(platform.Api,
            new HttpRequestMessage(HttpMethod.Post, "/api/no-such-thing"));
        Assert.Equal(HttpStatusCode.NotFound, noRoute.StatusCode);
        noRoute.Dispose();

        var bad = Assert.Single(await audit.ForRequestAsync(badBodyTrace));
        Assert.Equal(("deployment.create", 400, "refused"), (bad.Action, bad.StatusCode, bad.Outcome));
        Assert.Null(bad.Target);

        var missing = Assert.Single(await audit.ForRequestAsync(unknownTrace));
        Assert.Equal(("deployment.delete", 404, "refused"), (missing.Action, missing.StatusCode, missing.Outcome));
        Assert.Equal("deployment:987654321", missing.Target);

        var scenario = Assert.Single(await audit.ForRequestAsync(notReadyTrace));
        Assert.Equal(("scenario_run.create", 404, "refused"), (scenario.Action, scenario.StatusCode, scenario.Outcome));
        Assert.Equal("deployment:987654321", scenario.Target);

        // Nothing named it: the method and path stand in for the action.
        var unnamed = Assert.Single(await audit.ForRequestAsync(noRouteTrace));
        Assert.Equal(("POST /api/no-such-thing", 404, "refused"), (unnamed.Action, unnamed.StatusCode, unnamed.Outcome));
    }

    [Fact]
    public async Task Reads_are_not_recorded()
    {
        var (list, trace) = await audit.SendTracedAsync(platform.Api,
            new HttpRequestMessage(HttpMethod.Get, "/api/deployments?limit=1"));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        list.Dispose();

        Assert.Empty(await audit.ForRequestAsync(trace));
    }
}
