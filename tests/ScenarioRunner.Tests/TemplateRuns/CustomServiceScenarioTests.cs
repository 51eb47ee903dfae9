using Sdp.Templates.Catalog;
using Sdp.Templates.Catalog.Custom;
using Sdp.Templates.Tests.Infrastructure;

namespace Sdp.ScenarioRunner.Tests.TemplateRuns;

/// <summary>The custom scenario, made from a spec, passes against the generic service serving it and fails where they disagree.</summary>
[Collection(CandidateStoresCollection.Name)]
public sealed class CustomServiceScenarioTests(CandidateStores stores)
{
    public static TheoryData<string> Examples => ["chat_system", "news_feed"];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task The_generic_service_passes_every_check_of_each_resource_and_its_load(string example)
    {
        var spec = example == "chat_system" ? ServiceSpecExamples.ChatSystem : ServiceSpecExamples.NewsFeed;
        await using var app = await stores.StartAsync(CustomServiceTemplate.Descriptor, spec: spec);

        var report = await ScenarioRuns.RunCustomAsync(spec, app.Url);

        ScenarioRuns.AssertPassed(report);
        Assert.Equal(spec.Resources.SelectMany(r => new[] { $"{r.Name}_round_trip", $"{r.Name}_list_and_look_up", $"{r.Name}_invalid_input_400" }),
            report.Checks.Select(check => check.Name));
        Assert.Equal(80, report.Load!.Requests);
    }

    [Fact]
    public async Task A_tightly_rate_limited_resource_still_passes_its_checks_and_its_429s_count_as_answers()
    {
        var spec = new ServiceSpec([new ResourceSpec("votes",
            [new FieldSpec("choice", ServiceSpecLimits.String, Required: true, Indexed: true, MaxLength: 20)],
            RateLimit: new RateLimitSpec(RequestsPerSecond: 20, Burst: 20))]);
        await using var app = await stores.StartAsync(CustomServiceTemplate.Descriptor, spec: spec);

        var report = await ScenarioRuns.RunCustomAsync(spec, app.Url);

        ScenarioRuns.AssertPassed(report);
    }

    [Fact]
    public async Task A_service_that_accepts_a_missing_required_field_fails_the_invalid_input_check()
    {
        // The service serves titles as optional; the spec the scenario holds says they are required.
        var served = new ServiceSpec([new ResourceSpec("notes", [new FieldSpec("title", ServiceSpecLimits.String)])]);
        var expected = new ServiceSpec([new ResourceSpec("notes", [new FieldSpec("title", ServiceSpecLimits.String, Required: true)])]);
        await using var app = await stores.StartAsync(CustomServiceTemplate.Descriptor, spec: served);

        var report = await ScenarioRuns.RunCustomAsync(expected, app.Url);

        ScenarioRuns.AssertFailed(report, "notes_invalid_input_400", "expected HTTP 400, got 201");
        Assert.All(report.Checks.Where(check => check.Name != "notes_invalid_input_400"), check => Assert.True(check.Passed, check.Detail));
    }
}
