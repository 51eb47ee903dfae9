using Sdp.Observability.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Sdp.Observability.Tests.Dashboard;

/// <summary>
/// The dashboard as a person sees it, in headless Chromium: every resource running and healthy, a service's
/// console, live deployments, a deployment's trace, structured logs and charts. Screenshots go to
/// <c>screenshots/</c> beside the test assembly.
/// </summary>
[Collection(ObservedPlatformCollection.Name)]
public sealed class DashboardBrowserTests(ObservedPlatformFixture platform, ITestOutputHelper output)
{
    private static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task A_person_sees_the_platform_healthy_a_services_console_and_a_deployments_trace()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var browser = await HeadlessChromium.StartAsync(ct);

        await browser.NavigateAsync(new Uri(platform.App.DashboardUrl, "#resources"), ct);
        var resourceCount = platform.App.Resources.Count;
        await browser.WaitUntilAsync($$"""
            (() => {
              const rows = [...document.querySelectorAll('#resources tr[data-name]')];
              return rows.length === {{resourceCount}}
                && rows.every(r => r.dataset.state === 'Running' && r.dataset.health === 'Healthy');
            })()
            """, ct);
        await ScreenshotAsync(browser, "1-resources.png", ct);

        await browser.EvaluateAsync("document.querySelector('#resources tr[data-name=\"orchestrator-api\"]').click()", ct);
        await browser.WaitUntilAsync("""
            document.getElementById('console-name').textContent === 'orchestrator-api'
              && document.getElementById('console-lines').textContent.includes('Now listening on')
            """, ct);
        await ScreenshotAsync(browser, "2-console.png", ct);

        var id = await platform.DeployAsync(ct);
        await browser.NavigateAsync(new Uri(platform.App.DashboardUrl, "#deployments"), ct);
        await browser.WaitUntilAsync($$"""
            (() => {
              const row = document.querySelector('#deployments tr[data-id="{{id}}"]');
              return row && row.dataset.state === 'ready' && row.querySelector('a[href^="http://127.0.0.1:"]')
                && row.querySelectorAll('.steps span.done').length >= 3;
            })()
            """, ct);
        await ScreenshotAsync(browser, "3-deployments.png", ct);

        await browser.EvaluateAsync($"document.querySelector('#deployments tr[data-id=\"{id}\"] a[href^=\"#deployment-trace/\"]').click()", ct);
        await browser.WaitUntilAsync("""
            (() => {
              const rows = [...document.querySelectorAll('#waterfall .span-row')];
              const resources = new Set(rows.map(r => r.dataset.resource));
              return location.hash.startsWith('#trace/') && resources.has('orchestrator-api')
                && resources.has('provisioner-worker') && resources.has('simulator')
                && rows.some(r => r.dataset.name === 'GET /health');
            })()
            """, ct);
        await ScreenshotAsync(browser, "4-trace.png", ct);

        await browser.NavigateAsync(new Uri(platform.App.DashboardUrl, "#logs"), ct);
        // The resource list fills in from the API after the page loads; choosing before it has would pick nothing.
        await browser.WaitUntilAsync("""
            [...document.getElementById('log-resource').options].some(o => o.value === 'provisioner-worker')
            """, ct);
        await browser.EvaluateAsync("""
            (() => { const s = document.getElementById('log-resource'); s.value = 'provisioner-worker'; s.onchange(); })()
            """, ct);
        await browser.WaitUntilAsync("""
            (() => {
              const rows = [...document.querySelectorAll('#logs tr[data-resource]')];
              return rows.length > 0 && rows.every(r => r.dataset.resource === 'provisioner-worker');
            })()
            """, ct);
        await ScreenshotAsync(browser, "5-structured-logs.png", ct);

        await browser.NavigateAsync(new Uri(platform.App.DashboardUrl, "#metrics"), ct);
        await browser.WaitUntilAsync("""
            document.querySelectorAll('#chart-time path').length === 3 && document.querySelectorAll('#chart-state path').length > 0
            """, ct);
        await ScreenshotAsync(browser, "6-metrics.png", ct);
    }

    private async Task ScreenshotAsync(HeadlessChromium browser, string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(ScreenshotDirectory, name);
        await browser.ScreenshotAsync(path, cancellationToken);
        output.WriteLine($"screenshot: {path}");
    }
}
