using Sdp.Orchestrator.Api.Generation;

namespace Sdp.Orchestrator.Api.Tests.Generation;

/// <summary>The model's settings are checked at start-up, all or nothing.</summary>
public sealed class GenerationOptionsTests
{
    private static readonly GenerationOptionsValidator Validator = new();

    [Fact]
    public void No_model_configured_is_valid_and_generates_nothing()
    {
        var options = new GenerationOptions();

        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.False(options.IsConfigured);
    }

    [Fact]
    public void An_endpoint_and_a_model_enable_generation_with_or_without_a_key()
    {
        var options = new GenerationOptions { Endpoint = new Uri("http://127.0.0.1:11434/v1"), Model = "llama3.1" };

        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.True(options.IsConfigured);
    }

    [Fact]
    public void An_endpoint_without_a_model_is_a_start_up_error()
    {
        var result = Validator.Validate(null, new GenerationOptions { Endpoint = new Uri("https://api.openai.com/v1") });

        Assert.True(result.Failed);
        Assert.Contains("Generation:Model", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_or_a_key_without_an_endpoint_is_a_start_up_error_that_does_not_repeat_the_key()
    {
        const string key = "sk-never-shown";

        var modelOnly = Validator.Validate(null, new GenerationOptions { Model = "gpt-4o-mini" });
        var keyOnly = Validator.Validate(null, new GenerationOptions { ApiKey = key });

        Assert.True(modelOnly.Failed);
        Assert.True(keyOnly.Failed);
        Assert.DoesNotContain(key, keyOnly.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_that_is_not_http_is_refused()
    {
        var result = Validator.Validate(null, new GenerationOptions { Endpoint = new Uri("file:///etc/passwd"), Model = "m" });

        Assert.True(result.Failed);
    }
}
