using Aspire.Hosting.ApplicationModel;

namespace AppHost.Tests;

/// <summary>The model's settings go from the AppHost's environment to the Orchestrator, the key only as a secret.</summary>
public sealed class GenerationSettingsTests : IDisposable
{
    private readonly TestStateDirectory _state = new();

    [Fact]
    public async Task Without_settings_the_orchestrator_gets_none_and_generates_nothing()
    {
        var builder = await AppHostModel.CreateAsync(_state.Path);

        var environment = await builder.Get("orchestrator-api").EnvironmentAsync();

        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("Generation__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_endpoint_model_and_timeout_reach_the_orchestrator_and_the_key_only_as_a_secret_parameter()
    {
        const string key = "sk-apphost-test-never-in-an-environment";
        var builder = await AppHostModel.CreateAsync(_state.Path, "--Generation:Endpoint=http://127.0.0.1:11434/v1",
            "--Generation:Model=llama3.1", "--Generation:Timeout=00:00:30", $"--Generation:ApiKey={key}");

        var environment = await builder.Get("orchestrator-api").EnvironmentAsync();

        Assert.Equal("http://127.0.0.1:11434/v1", environment["Generation__Endpoint"]);
        Assert.Equal("llama3.1", environment["Generation__Model"]);
        Assert.Equal("00:00:30", environment["Generation__Timeout"]);
        Assert.Equal("{generation-api-key.value}", environment["Generation__ApiKey"]);
        Assert.True(builder.Resources.OfType<ParameterResource>().Single(p => p.Name == "generation-api-key").Secret);
        foreach (var resource in builder.Resources.OfType<IResourceWithEnvironment>())
        {
            Assert.All((await resource.EnvironmentAsync()).Values, value => Assert.DoesNotContain(key, value));
        }
    }

    public void Dispose() => _state.Dispose();
}
