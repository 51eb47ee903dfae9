using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Sdp.Templates.Hosting;
using Sdp.Templates.Tests.Infrastructure;

namespace Sdp.Templates.Tests;

/// <summary>What <c>GET /api/templates</c> lists, and what every template promises about its start.</summary>
public sealed partial class CatalogTests
{
    public static TheoryData<string> ProblemTypes => [.. TemplateCatalog.All.Select(t => t.ProblemType)];

    [Fact]
    public void The_catalog_holds_the_four_templates_and_the_custom_service_each_with_its_own_image()
    {
        Assert.Equal(["url_shortener", "rate_limiter", "distributed_cache", "notification_system", "custom"],
            TemplateCatalog.All.Select(t => t.ProblemType));
        Assert.Equal(TemplateCatalog.All.Count, TemplateCatalog.All.Select(t => TemplateCatalog.ImageName(t.Image)).Distinct().Count());
        Assert.All(TemplateCatalog.All, t => Assert.Same(t, TemplateCatalog.FindByImage("europe-docker.pkg.dev/p/sdp/" + TemplateCatalog.ImageName(t.Image) + ":1.0")));
    }

    [Fact]
    public void Every_catalogue_entry_has_its_app_and_every_app_has_its_catalogue_entry()
    {
        // The platform reads the catalogue alone; what it lists must be what the hosts can run, one for one.
        Assert.All(TemplateCatalog.All, t => Assert.Same(t, TemplateApps.Find(t)?.Descriptor));
        Assert.All(TemplateApps.All, app => Assert.Same(app.Descriptor, TemplateCatalog.Find(app.Descriptor.ProblemType)));
        Assert.Equal(TemplateCatalog.All.Select(t => t.ProblemType), TemplateApps.All.Select(app => app.Descriptor.ProblemType));
    }

    [Theory]
    [MemberData(nameof(ProblemTypes))]
    public void Every_setting_is_an_environment_variable_with_a_default_of_its_type(string problemType)
    {
        var template = TemplateCatalog.Find(problemType)!;

        Assert.InRange(template.ExpectedDeploySeconds, 0.001, 60);
        Assert.All(template.Settings, setting =>
        {
            Assert.Matches(EnvironmentVariableName(), setting.Name);
            Assert.Equal("integer", setting.Type);
            Assert.True(int.TryParse(setting.Default, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
            Assert.False(string.IsNullOrWhiteSpace(setting.Description));
        });
        Assert.Equal(template.Settings.Count, template.Settings.Select(s => s.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(ProblemTypes))]
    public async Task A_template_starts_and_stays_alive_without_touching_its_stores(string problemType)
    {
        // Both stores refuse connections: a start that connected to either would fail or hang here.
        var template = TemplateCatalog.Find(problemType)!;
        var host = new TemplateHost(NullLoggerFactory.Instance);
        await using var app = await host.StartAsync(template, UnreachableStores(), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = app.Url };

        using var alive = await http.GetAsync("/alive");
        using var health = await http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    private static Dictionary<string, string> UnreachableStores() => new(StringComparer.Ordinal)
    {
        [CandidateEnvironment.Database] = "Host=127.0.0.1;Port=1;Username=candidate_9;Password=pw;Database=sdp;Search Path=candidate_9;Timeout=2",
        [CandidateEnvironment.Redis] = "127.0.0.1:1,user=sub-9,password=pw,connectTimeout=500",
        [CandidateEnvironment.RedisKeyPrefix] = "sub:9:",
        [CandidateEnvironment.DeploymentId] = "9",
        // Read by the custom service only; the templates ignore it.
        [Sdp.Templates.Catalog.Custom.ServiceSpecEnvironment.Json] =
            Sdp.Templates.Catalog.Custom.ServiceSpecJson.Serialize(Sdp.Templates.Catalog.Custom.ServiceSpecExamples.ChatSystem),
    };

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    private static partial Regex EnvironmentVariableName();
}
