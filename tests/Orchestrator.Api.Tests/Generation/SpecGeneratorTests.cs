using Microsoft.Extensions.Options;
using Sdp.Orchestrator.Api.Generation;
using Sdp.Testing;
using Behaviour = Sdp.Testing.StandInModel.Behaviour;

namespace Sdp.Orchestrator.Api.Tests.Generation;

/// <summary>
/// The generation step against the local stand-in model, through the same OpenAI client the Orchestrator uses: what a
/// tenant's deployment gets for each kind of answer, and that no failure names the key.
/// </summary>
public sealed class SpecGeneratorTests : IAsyncLifetime
{
    private StandInModel model = null!;

    public async Task InitializeAsync() => model = await StandInModel.StartAsync(apiKey: "sk-test-" + Guid.NewGuid().ToString("N"));

    public async Task DisposeAsync() => await model.DisposeAsync();

    private SpecGenerator Generator(TimeSpan? timeout = null, string? apiKey = null)
    {
        var options = new GenerationOptions
        {
            Endpoint = model.Endpoint,
            Model = StandInModel.ModelName,
            ApiKey = apiKey ?? model.ApiKey,
            Timeout = timeout ?? TimeSpan.FromSeconds(20),
        };
        return new SpecGenerator(GenerationExtensions.CreateChatClient(options), Options.Create(options), TimeProvider.System);
    }

    private static string Design(string text) => $"{text} ({Guid.NewGuid():N})";

    [Fact]
    public async Task A_valid_answer_is_the_spec_the_deployment_runs_with_the_models_token_usage()
    {
        var design = Design("A chat system: users join rooms and post messages.");

        var generation = await Generator().GenerateAsync("chat_system", design, CancellationToken.None);

        var generated = Assert.IsType<SpecGeneration.Generated>(generation);
        Assert.Equal(["users", "rooms", "messages"], generated.Spec.Resources.Select(r => r.Name));
        Assert.Equal(1, generated.Usage.Requests);
        Assert.True(generated.Usage.InputTokens > 0);
        Assert.True(generated.Usage.OutputTokens > 0);
        Assert.False(generated.Usage.Cached);
        Assert.Equal(1, model.RequestsMentioning(design));
    }

    [Fact]
    public async Task An_invalid_spec_is_handed_back_once_with_its_violations_and_the_repaired_spec_is_used()
    {
        var design = Design($"A chat system {Behaviour.RepairedOnSecondRound}");

        var generation = await Generator().GenerateAsync("chat_system", design, CancellationToken.None);

        var generated = Assert.IsType<SpecGeneration.Generated>(generation);
        Assert.Equal(2, generated.Usage.Requests);
        Assert.Equal(2, model.RequestsMentioning(design));
        // The second request carries the validator's findings, by JSON pointer.
        var repair = model.Requests.Last(r => r.Contains(design, StringComparison.Ordinal));
        Assert.Contains("/resources/0/name", repair, StringComparison.Ordinal);
        Assert.Contains("/resources/0/fields/0/type", repair, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spec_still_invalid_after_the_repair_round_fails_naming_its_violations_and_the_model_is_not_asked_a_third_time()
    {
        var design = Design($"A chat system {Behaviour.InvalidAfterRepair}");

        var generation = await Generator().GenerateAsync("chat_system", design, CancellationToken.None);

        var failed = Assert.IsType<SpecGeneration.Failed>(generation);
        Assert.Contains("still invalid after one repair round", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("/resources/0/name", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(2, model.RequestsMentioning(design));
        Assert.True(failed.Usage.InputTokens > 0, "the tokens spent on a failed generation are shown too");
    }

    [Fact]
    public async Task An_answer_that_is_not_json_fails_saying_so()
    {
        var generation = await Generator().GenerateAsync("chat_system", Design(Behaviour.InvalidJson), CancellationToken.None);

        var failed = Assert.IsType<SpecGeneration.Failed>(generation);
        Assert.Contains("not valid JSON", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_names_and_types_are_refused_by_the_validator_and_never_become_a_spec()
    {
        var generation = await Generator().GenerateAsync("chat_system", Design(Behaviour.HostileNames), CancellationToken.None);

        var failed = Assert.IsType<SpecGeneration.Failed>(generation);
        Assert.Contains("/resources/0/name", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("/resources/1/name", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("/resources/1/fields/1/type", failed.Reason, StringComparison.Ordinal);
        // The validator repeats a bounded, escaped prefix of hostile text, never the whole statement.
        Assert.DoesNotContain("DROP SCHEMA platform CASCADE", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversize_spec_fails_naming_the_size_limit()
    {
        var generation = await Generator().GenerateAsync("chat_system", Design(Behaviour.Oversize), CancellationToken.None);

        var failed = Assert.IsType<SpecGeneration.Failed>(generation);
        Assert.Contains("bytes", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_slower_than_the_timeout_fails_with_the_timeout_in_the_reason()
    {
        model.SlowAnswer = TimeSpan.FromSeconds(20);

        var generation = await Generator(timeout: TimeSpan.FromSeconds(1))
            .GenerateAsync("chat_system", Design(Behaviour.Slow), CancellationToken.None);

        var failed = Assert.IsType<SpecGeneration.Failed>(generation);
        Assert.Contains("did not answer within 1 s", failed.Reason, StringComparison.Ordinal);
        Assert.True(failed.Usage.DurationMs < 10_000, $"gave up after {failed.Usage.DurationMs} ms");
    }

    [Theory]
    [InlineData(Behaviour.RateLimited, "HTTP 429")]
    [InlineData(Behaviour.ServerError, "HTTP 500")]
    public async Task A_model_error_fails_at_once_with_its_status_and_no_hidden_retries(string behaviour, string expected)
    {
        var design = Design(behaviour);

        var generation = await Generator().GenerateAsync("chat_system", design, CancellationToken.None);

        var failed = Assert.IsType<SpecGeneration.Failed>(generation);
        Assert.Contains(expected, failed.Reason, StringComparison.Ordinal);
        Assert.Equal(1, model.RequestsMentioning(design));
    }

    [Theory]
    [InlineData(Behaviour.InvalidJson)]
    [InlineData(Behaviour.InvalidAfterRepair)]
    [InlineData(Behaviour.RateLimited)]
    [InlineData(Behaviour.ServerError)]
    [InlineData(Behaviour.HostileNames)]
    public async Task No_failure_reason_contains_the_api_key(string behaviour)
    {
        var generation = await Generator().GenerateAsync("chat_system", Design(behaviour), CancellationToken.None);

        var failed = Assert.IsType<SpecGeneration.Failed>(generation);
        Assert.DoesNotContain(model.ApiKey, failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_fails_saying_the_credentials_were_refused_without_repeating_the_key()
    {
        var wrongKey = "sk-wrong-" + Guid.NewGuid().ToString("N");

        var generation = await Generator(apiKey: wrongKey).GenerateAsync("chat_system", Design("chat"), CancellationToken.None);

        var failed = Assert.IsType<SpecGeneration.Failed>(generation);
        Assert.Contains("HTTP 401", failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_endpoint_fails_saying_it_could_not_be_reached()
    {
        var options = new GenerationOptions
        {
            // A port nothing listens on: the stand-in's, after it stopped.
            Endpoint = model.Endpoint,
            Model = StandInModel.ModelName,
            ApiKey = model.ApiKey,
            Timeout = TimeSpan.FromSeconds(5),
        };
        await model.DisposeAsync();
        var generator = new SpecGenerator(GenerationExtensions.CreateChatClient(options), Options.Create(options), TimeProvider.System);

        var generation = await generator.GenerateAsync("chat_system", "chat", CancellationToken.None);

        var failed = Assert.IsType<SpecGeneration.Failed>(generation);
        Assert.Contains("could not be reached", failed.Reason, StringComparison.Ordinal);
        model = await StandInModel.StartAsync();
    }
}
