using Sdp.Orchestrator.Api.Deployments;

namespace Sdp.Orchestrator.Api.Tests.Deployments;

/// <summary>What <c>POST /api/deployments</c> refuses before anything is saved.</summary>
public sealed class CreateDeploymentRequestTests
{
    private static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);

    [Fact]
    public void A_request_without_problem_type_or_design_text_names_both_fields()
    {
        var errors = new CreateDeploymentRequest(null, "  ", null).Validate(MaxTtl);

        Assert.Equal(["design_text", "problem_type"], errors.Keys.Order());
    }

    [Fact]
    public void A_well_formed_request_has_no_errors()
    {
        Assert.Empty(new CreateDeploymentRequest("url_shortener", "base62 codes", "c-42", TtlMinutes: 30).Validate(MaxTtl));
    }

    [Fact]
    public void Design_text_is_measured_in_utf8_bytes_so_64_KiB_of_characters_can_be_too_long()
    {
        var ascii = new string('a', CreateDeploymentRequest.MaxDesignTextBytes);
        var accented = new string('é', (CreateDeploymentRequest.MaxDesignTextBytes / 2) + 1);

        Assert.Empty(new CreateDeploymentRequest("url_shortener", ascii, null).Validate(MaxTtl));
        Assert.Contains("design_text", new CreateDeploymentRequest("url_shortener", accented, null).Validate(MaxTtl).Keys);
    }

    [Fact]
    public void A_submission_id_longer_than_200_characters_is_refused()
    {
        var atLimit = new CreateDeploymentRequest("url_shortener", "d", new string('s', 200));
        var over = new CreateDeploymentRequest("url_shortener", "d", new string('s', 201));

        Assert.Empty(atLimit.Validate(MaxTtl));
        Assert.Contains("submission_id", over.Validate(MaxTtl).Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData((24 * 60) + 1)]
    public void A_time_to_live_outside_one_minute_to_the_maximum_is_refused_naming_the_maximum(int minutes)
    {
        var errors = new CreateDeploymentRequest("url_shortener", "d", null, minutes).Validate(MaxTtl);

        Assert.Equal("ttl_minutes must be a whole number from 1 to 1440.", Assert.Single(errors["ttl_minutes"]));
    }

    [Fact]
    public void The_time_to_live_is_the_requests_own_or_else_the_default()
    {
        var defaultTtl = TimeSpan.FromHours(2);

        Assert.Equal(TimeSpan.FromMinutes(1440), new CreateDeploymentRequest("u", "d", null, 1440).Ttl(defaultTtl));
        Assert.Equal(defaultTtl, new CreateDeploymentRequest("u", "d", null).Ttl(defaultTtl));
    }

    [Fact]
    public void An_unknown_problem_type_has_no_template()
    {
        Assert.Null(new CreateDeploymentRequest("spreadsheet", "d", null).Template);
        Assert.Equal("rate_limiter", new CreateDeploymentRequest("rate_limiter", "d", null).Template?.ProblemType);
    }
}
