using Sdp.Orchestrator.Api.Audit;
using Sdp.Orchestrator.Api.Deployments;

namespace Sdp.Orchestrator.Api.Tests.Audit;

/// <summary>The filters of <c>GET /api/admin/audit</c>.</summary>
public sealed class AuditQueryTests
{
    [Fact]
    public void No_filters_read_the_newest_page_of_the_default_size()
    {
        var (query, errors) = Parse();

        Assert.Empty(errors);
        Assert.Equal(AuditQuery.DefaultLimit, query?.Limit);
        Assert.Null(query?.BeforeId);
    }

    [Fact]
    public void An_outcome_is_a_status_code_or_a_class_of_them()
    {
        Assert.Equal(404, Parse(outcome: "404").Query?.StatusCode);
        Assert.Equal(AuditOutcome.Refused, Parse(outcome: "refused").Query?.Outcome);
        Assert.Contains("outcome", Parse(outcome: "700").Errors.Keys);
        Assert.Contains("outcome", Parse(outcome: "lost").Errors.Keys);
    }

    [Fact]
    public void A_time_without_an_offset_is_utc_and_a_date_is_its_midnight()
    {
        var (query, _) = Parse(from: "2025-01-31", to: "2025-02-01T12:00:00");

        Assert.Equal(new DateTimeOffset(2025, 1, 31, 0, 0, 0, TimeSpan.Zero), query?.From);
        Assert.Equal(new DateTimeOffset(2025, 2, 1, 12, 0, 0, TimeSpan.Zero), query?.To);
    }

    [Fact]
    public void A_window_that_ends_before_it_starts_is_refused()
    {
        var (query, errors) = Parse(from: "2025-02-01", to: "2025-01-01");

        Assert.Null(query);
        Assert.Contains("to", errors.Keys);
    }

    [Fact]
    public void Every_bad_filter_is_named_at_once()
    {
        var (query, errors) = Parse(tenantId: "acme", from: "yesterday", limit: "500", cursor: "x");

        Assert.Null(query);
        Assert.Equal(["cursor", "from", "limit", "tenant_id"], errors.Keys.Order());
    }

    [Fact]
    public void A_cursor_continues_after_the_last_entry_of_the_previous_page()
    {
        Assert.Equal(812, Parse(cursor: PageCursor.Encode(812)).Query?.BeforeId);
    }

    private static (AuditQuery? Query, Dictionary<string, string[]> Errors) Parse(string? tenantId = null,
        string? outcome = null, string? from = null, string? to = null, string? limit = null, string? cursor = null) =>
        AuditQuery.Parse(tenantId, actorKeyId: null, action: null, outcome, from, to, limit, cursor);
}
