using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Sdp.Observability.Tests.Infrastructure;
using Sdp.Testing;
using Xunit.Abstractions;

namespace Sdp.Observability.Tests.Dashboard;

/// <summary>
/// The Aspire dashboard as a person sees it, in headless Chromium, signed in through its login link: every resource
/// of the platform running, the deployments resource with its live figures and operator commands, a deployment's
/// trace, a service's console and structured logs, and the deployment time chart. Screenshots go to
/// <c>screenshots/</c> beside the test assembly.
/// </summary>
/// <remarks>
/// The dashboard is a Blazor Server app: it renders over a websocket after the page loads, so every check waits
/// for the DOM to show it (<see cref="HeadlessChromium.WaitUntilAsync"/>).
/// </remarks>
[Collection(ObservedPlatformCollection.Name)]
public sealed class DashboardBrowserTests(ObservedPlatformFixture platform, ITestOutputHelper output)
{
    private static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>The resources grid's row of a resource (its name cell's text), as a script expression.</summary>
    private static string Row(string name) =>
        $"[...document.querySelectorAll('tr.resource-row')].find(r => r.querySelector('.resource-name-text')?.textContent.trim() === '{name}')";

    [Fact]
    public async Task A_person_sees_the_platform_the_live_deployments_their_commands_and_a_deployments_trace()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        var id = await platform.DeployAsync(ct);
        var deployment = $"#{id.ToString(CultureInfo.InvariantCulture)} url_shortener";
        await using var browser = await HeadlessChromium.StartAsync(ct);
        await browser.NavigateAsync(platform.DashboardLoginUrl, ct);

        // Every resource of the model is listed and running (parameters have a tab of their own; hidden ones, as
        // the dashboard itself, are not listed).
        var names = platform.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Where(r => r is not ParameterResource && platform.App.GetSnapshot(r.Name) is { IsHidden: false })
            .Select(r => r.Name).ToList();
        Assert.Contains("deployments", names);
        await WaitAsync(browser, $$"""
            {{string.Join(" && ", names.Select(n => $"{Row(n)}?.querySelector('td[col-index=\"2\"]')?.title === 'Running'"))}}
            """, ct);
        // The deployments row: counts in its Source column, the new deployment's endpoint among its URLs.
        await WaitAsync(browser, $$"""
            (() => {
              const row = {{Row("deployments")}};
              return row.innerText.includes(' ready, ') && row.innerText.includes('standby')
                && [...row.querySelectorAll('a')].some(a => a.textContent.trim() === '{{deployment}}' && a.href.startsWith('http://127.0.0.1:'));
            })()
            """, ct);
        await ScreenshotAsync(browser, "1-resources.png", ct);

        // The operator's commands, in the deployments resource's actions menu.
        await browser.EvaluateAsync($"{Row("deployments")}.querySelector('fluent-button[aria-label=\"Actions\"]').click()", ct);
        await WaitAsync(browser, """
            (() => {
              const items = [...document.querySelectorAll('fluent-menu-item')].filter(m => m.offsetParent !== null).map(m => m.innerText.trim());
              return ['Sweep orphans now', 'Show orphans', 'Resize standby pool'].every(c => items.includes(c));
            })()
            """, ct);
        await ScreenshotAsync(browser, "2-commands.png", ct);

        // Its details, every property shown: counts by state, the standby pools, the newest deployments.
        await browser.EvaluateAsync("document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))", ct);
        await browser.EvaluateAsync($"{Row("deployments")}.querySelector('.resource-name-text').click()", ct);
        await WaitAsync(browser, "document.querySelectorAll('fluent-button[aria-label=\"View options\"]').length > 1", ct);
        await browser.EvaluateAsync("[...document.querySelectorAll('fluent-button[aria-label=\"View options\"]')].at(-1).click()", ct);
        await WaitAsync(browser, "[...document.querySelectorAll('fluent-menu-item')].some(m => m.innerText.trim() === 'Show all properties')", ct);
        await browser.EvaluateAsync("[...document.querySelectorAll('fluent-menu-item')].find(m => m.innerText.trim() === 'Show all properties').click()", ct);
        await WaitAsync(browser, $$"""
            (() => {
              const text = document.querySelector('.summary-details-container')?.innerText ?? '';
              return ['deployments.ready', 'deployments.queued', 'standby.url_shortener', 'recent.01', '{{deployment}}, ready']
                .every(t => text.includes(t));
            })()
            """, ct);
        await ScreenshotAsync(browser, "3-deployments.png", ct);

        // The deployment's trace link: the traces page filtered to it, then the trace itself, end to end.
        var traceLink = (string)(await browser.EvaluateAsync($$"""
            [...document.querySelectorAll('.summary-details-container a')].find(a => a.textContent.trim() === '#{{id}} trace')?.href ?? ''
            """, ct))!;
        Assert.Contains("/traces?filters=", traceLink, StringComparison.Ordinal);
        await browser.NavigateAsync(new Uri(traceLink), ct);
        await WaitAsync(browser, """
            [...document.querySelectorAll('tr.fluent-data-grid-row')].some(r => r.innerText.includes('orchestrator-api: POST /api/deployments'))
            """, ct);
        await browser.EvaluateAsync("""
            [...document.querySelectorAll('tr.fluent-data-grid-row')].find(r => r.innerText.includes('orchestrator-api: POST /api/deployments'))
              .querySelector('td[col-index="2"]').click()
            """, ct);
        await WaitAsync(browser, """
            location.pathname.startsWith('/traces/detail/')
              && ['provision deployment', 'wait for first healthy answer', 'GET /health', 'simulator', 'provisioner-worker']
                .every(t => document.body.innerText.includes(t))
            """, ct);
        await ScreenshotAsync(browser, "4-trace.png", ct);

        await browser.NavigateAsync(new Uri(platform.DashboardUrl, "/consolelogs/resource/orchestrator-api"), ct);
        await WaitAsync(browser, "document.body.innerText.includes('Now listening on')", ct);
        await ScreenshotAsync(browser, "5-console.png", ct);

        await browser.NavigateAsync(new Uri(platform.DashboardUrl, "/structuredlogs/resource/provisioner-worker"), ct);
        await WaitAsync(browser, $"document.body.innerText.includes('Deployment {id} ready at')", ct);
        await ScreenshotAsync(browser, "6-structured-logs.png", ct);

        await browser.NavigateAsync(new Uri(platform.DashboardUrl,
            "/metrics/resource/provisioner-worker?meter=Sdp&instrument=sdp.deployment.duration"), ct);
        await WaitAsync(browser, "document.body.innerText.includes('sdp.deployment.duration') && document.querySelector('.plotly, svg.main-svg, canvas') !== null", ct);
        await ScreenshotAsync(browser, "7-deployment-time.png", ct);
    }

    /// <summary>
    /// Waits (up to a minute) until <paramref name="condition"/> holds in the page; if it never does, fails with
    /// what the page shows, and a screenshot of it.
    /// </summary>
    private async Task WaitAsync(HeadlessChromium browser, string condition, CancellationToken cancellationToken)
    {
        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        step.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await browser.WaitUntilAsync(condition, step.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            using var diagnose = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await ScreenshotAsync(browser, "failed.png", diagnose.Token);
            var page = await browser.EvaluateAsync("location.href + '\\n' + document.body.innerText", diagnose.Token);
            Assert.Fail($"The page never showed: {condition}\nIt shows: {page}");
        }
    }

    private async Task ScreenshotAsync(HeadlessChromium browser, string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(ScreenshotDirectory, name);
        await browser.ScreenshotAsync(path, cancellationToken);
        output.WriteLine($"screenshot: {path}");
    }
}
