using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sdp.Provisioning.CloudRun;
using Sdp.Provisioning.Targets;

namespace Sdp.Provisioning.Tests.CloudRun;

public sealed class CloudRunOptionsTests
{
    [Fact]
    public void Options_are_bound_from_the_CloudRun_section_with_defaults()
    {
        var options = Resolve(new() { ["CloudRun:Endpoint"] = "http://simulator", ["CloudRun:PollInitialDelay"] = "00:00:00.002" });

        Assert.Equal(new Uri("http://simulator"), options.Endpoint);
        Assert.Equal("sdp-local", options.Project);
        Assert.Equal("local", options.Region);
        Assert.Equal("projects/sdp-local/locations/local", options.Parent);
        Assert.Equal(TimeSpan.FromMilliseconds(2), options.PollInitialDelay);
    }

    [Fact]
    public void Invalid_options_fail_with_every_problem_named()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["CloudRun:Project"] = "Not_A_Project",
            ["CloudRun:PollInitialDelay"] = "00:00:02",
            ["CloudRun:PollMaxDelay"] = "00:00:01",
        }));

        Assert.Contains(exception.Failures, failure => failure.Contains("CloudRun:Endpoint", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, failure => failure.Contains("CloudRun:Project", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, failure => failure.Contains("CloudRun:PollMaxDelay", StringComparison.Ordinal));
    }

    [Fact]
    public void Resilience_pacing_and_ceiling_defaults_follow_googles_guidance()
    {
        var options = Resolve(new() { ["CloudRun:Endpoint"] = "http://simulator" });

        Assert.Equal(CloudRunAuthentication.None, options.Authentication);
        Assert.Equal(60, options.WritesPerMinute);
        Assert.Equal(1000, options.MaxServicesPerRegion);
        Assert.Equal(WhenRegionFull.Wait, options.WhenFull);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
    }

    [Fact]
    public void Invalid_resilience_and_pacing_settings_fail_at_start_up()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["CloudRun:Endpoint"] = "http://simulator",
            ["CloudRun:AttemptTimeout"] = "00:00:00",
            ["CloudRun:CircuitBreakerFailureRatio"] = "2",
            ["CloudRun:WritesPerMinute"] = "0",
            ["CloudRun:MaxServicesPerRegion"] = "0",
        }));

        foreach (var key in new[] { "AttemptTimeout", "CircuitBreakerFailureRatio", "WritesPerMinute", "MaxServicesPerRegion" })
        {
            Assert.Contains(exception.Failures, failure => failure.Contains($"CloudRun:{key}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Registration_provides_the_deployment_target()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddCloudRunDeploymentTarget(Configuration(new() { ["CloudRun:Endpoint"] = "http://simulator" }));
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<CloudRunDeploymentTarget>(provider.GetRequiredService<IDeploymentTarget>());
        Assert.Same(provider.GetRequiredService<ICloudRunClient>(), provider.GetRequiredService<ICloudRunClient>());
    }

    [Fact]
    public void Poll_delays_double_up_to_the_cap()
    {
        var settings = new CloudRunPollSettings(TimeSpan.FromMilliseconds(2), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        var delays = new List<double>();
        var delay = settings.InitialDelay;
        for (var i = 0; i < 12; i++)
        {
            delays.Add(delay.TotalMilliseconds);
            delay = settings.NextDelay(delay);
        }

        Assert.Equal([2, 4, 8, 16, 32, 64, 128, 256, 512, 1000, 1000, 1000], delays);
    }

    private static CloudRunOptions Resolve(Dictionary<string, string?> values)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddCloudRunDeploymentTarget(Configuration(values));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<CloudRunOptions>>().Value;
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
