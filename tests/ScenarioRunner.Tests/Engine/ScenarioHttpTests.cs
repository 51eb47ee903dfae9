using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sdp.ScenarioRunner.Engine;

namespace Sdp.ScenarioRunner.Tests.Engine;

/// <summary>Scenario traffic reaches the deployment's endpoint and nothing else.</summary>
public sealed class ScenarioHttpTests
{
    [Theory]
    [InlineData("http://elsewhere.example/x")]
    [InlineData("//elsewhere.example/x")]
    [InlineData("/\\elsewhere.example/x")]
    [InlineData("relative")]
    public void Paths_that_could_leave_the_endpoint_are_refused(string path)
    {
        using var http = new ScenarioHttp(new Uri("http://127.0.0.1:5000"), 1, TimeSpan.FromSeconds(1), TimeProvider.System);

        Assert.Throws<ArgumentException>(() => http.Resolve(path));
    }

    [Fact]
    public void An_endpoint_with_a_path_keeps_it()
    {
        using var http = new ScenarioHttp(new Uri("https://candidate.example.run.app/base/"), 1, TimeSpan.FromSeconds(1), TimeProvider.System);

        Assert.Equal(new Uri("https://candidate.example.run.app/base/api/urls?x=1"), http.Resolve("/api/urls?x=1"));
    }

    [Fact]
    public async Task Redirects_are_reported_not_followed()
    {
        var elsewhereHits = 0;
        await using var elsewhere = await LoopbackApp.StartAsync(app => app.MapGet("/", () =>
        {
            Interlocked.Increment(ref elsewhereHits);
            return "you should not be here";
        }));
        await using var deployment = await LoopbackApp.StartAsync(app => app.MapGet("/abc", () => Results.Redirect(elsewhere.Url.ToString())));
        using var http = new ScenarioHttp(deployment.Url, 1, TimeSpan.FromSeconds(5), TimeProvider.System);

        var response = await http.GetAsync("/abc", CancellationToken.None);

        Assert.Equal(302, response.Status);
        Assert.Equal(elsewhere.Url.ToString(), response.Header("Location"));
        Assert.Equal(0, elsewhereHits);
    }
}
