using Sdp.Contracts;
using Sdp.Orchestrator.Api.Scenarios;

namespace Sdp.Orchestrator.Api.Tests.Scenarios;

public sealed class CreateScenarioRunRequestTests
{
    [Fact]
    public void An_empty_request_runs_the_default_load()
    {
        Assert.Empty(CreateScenarioRunRequest.Empty.Validate());
        Assert.Equal(ScenarioLoad.Default, CreateScenarioRunRequest.Empty.ResolveLoad());
    }

    [Fact]
    public void A_partly_given_load_takes_the_defaults_for_the_rest()
    {
        var request = new CreateScenarioRunRequest(new ScenarioLoadRequest(200, null, null), CleanupAfterTest: true);

        Assert.Equal(new ScenarioLoad(200, ScenarioLoad.Default.DurationSeconds, ScenarioLoad.Default.Concurrency),
            request.ResolveLoad());
    }

    [Fact]
    public void Each_load_field_out_of_bounds_is_named_by_its_json_path()
    {
        var request = new CreateScenarioRunRequest(new ScenarioLoadRequest(ScenarioLoad.MaxRequestsPerSecond + 1, 0,
            ScenarioLoad.MaxConcurrency + 1), null);

        var errors = request.Validate();

        Assert.Equal(["load.concurrency", "load.duration_seconds", "load.requests_per_second"], errors.Keys.Order());
        Assert.Equal("load.requests_per_second must be from 1 to 500.", Assert.Single(errors["load.requests_per_second"]));
    }

    [Fact]
    public void The_bounds_themselves_are_accepted()
    {
        var request = new CreateScenarioRunRequest(new ScenarioLoadRequest(ScenarioLoad.MaxRequestsPerSecond,
            ScenarioLoad.MaxDurationSeconds, 1), null);

        Assert.Empty(request.Validate());
    }
}
