using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sdp.Platform.Tests.Infrastructure;

namespace Sdp.Platform.Tests.Audit;

/// <summary><c>GET /api/admin/audit</c>: filters, newest first, and cursor paging.</summary>
[Collection(PlatformCollection.Name)]
public sealed class AuditQueryTests(PlatformFixture platform)
{
    private readonly AuditRows audit = new(platform);

    [Fact]
    public async Task Filters_narrow_the_log_and_pages_run_newest_first_without_gaps_or_repeats()
    {
        // A tenant of the test's own, so no other test's entries are in the way.
        var tenant = Guid.NewGuid();
        var key = Guid.NewGuid();
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var ids = new List<long>
        {
            await audit.InsertAsync(start, "deployment.create", 202, tenant, key, "deployment:1"),
            await audit.InsertAsync(start.AddMinutes(1), "deployment.create", 400, tenant, key),
            await audit.InsertAsync(start.AddMinutes(2), "deployment.delete", 404, tenant, key, "deployment:2"),
            await audit.InsertAsync(start.AddMinutes(3), "deployment.delete", 202, tenant, Guid.NewGuid(), "deployment:1"),
            await audit.InsertAsync(start.AddMinutes(4), "scenario_run.create", 503, tenant, key, "deployment:1"),
        };

        var all = await ListAsync($"tenant_id={tenant}");
        Assert.Equal(ids.AsEnumerable().Reverse(), all.Items.Select(e => e.Id));
        Assert.Null(all.NextCursor);
        var newest = all.Items[0];
        Assert.Equal("scenario_run.create", newest.Action);
        Assert.Equal((503, "failed"), (newest.StatusCode, newest.Outcome));
        Assert.Equal((tenant, key), (newest.TenantId!.Value, newest.ActorKeyId!.Value));

        // Two at a time: three pages, newest first, every entry once.
        var paged = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ListAsync($"tenant_id={tenant}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            Assert.InRange(page.Items.Count, 1, 2);
            paged.AddRange(page.Items.Select(e => e.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(3, pages);
        Assert.Equal(all.Items.Select(e => e.Id), paged);

        Assert.Equal([ids[3], ids[2]], (await ListAsync($"tenant_id={tenant}&action=deployment.delete")).Items.Select(e => e.Id));
        Assert.Equal([ids[2]], (await ListAsync($"tenant_id={tenant}&outcome=404")).Items.Select(e => e.Id));
        Assert.Equal([ids[2], ids[1]], (await ListAsync($"tenant_id={tenant}&outcome=refused")).Items.Select(e => e.Id));
        Assert.Equal([ids[4], ids[2], ids[1], ids[0]],
            (await ListAsync($"actor_key_id={key}")).Items.Select(e => e.Id));

        // from is inclusive, to exclusive.
        var from = Uri.EscapeDataString(start.AddMinutes(1).ToString("O"));
        var to = Uri.EscapeDataString(start.AddMinutes(3).ToString("O"));
        Assert.Equal([ids[2], ids[1]], (await ListAsync($"tenant_id={tenant}&from={from}&to={to}")).Items.Select(e => e.Id));
    }

    [Theory]
    [InlineData("tenant_id=acme", "tenant_id")]
    [InlineData("actor_key_id=42", "actor_key_id")]
    [InlineData("outcome=999", "outcome")]
    [InlineData("outcome=maybe", "outcome")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=31/01/2025", "to")]
    [InlineData("from=2025-02-01&to=2025-01-01", "to")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task A_bad_filter_gets_a_validation_problem_naming_it(string query, string field)
    {
        using var response = await platform.AdminApi.GetAsync($"/api/admin/audit?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private async Task<AuditPageView> ListAsync(string query)
    {
        using var response = await platform.AdminApi.GetAsync($"/api/admin/audit?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AuditPageView>(PlatformFixture.Json))!;
    }

    private sealed record AuditPageView(IReadOnlyList<AuditEntryView> Items, string? NextCursor);

    private sealed record AuditEntryView(long Id, DateTimeOffset OccurredAt, string RequestId, Guid? ActorKeyId,
        string? ActorName, string? ActorRole, Guid? TenantId, string Action, string? Target, int StatusCode,
        string Outcome, string? ClientIp);
}
