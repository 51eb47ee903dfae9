using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sdp.Templates.Catalog.Custom;
using Sdp.Templates.Dependencies;
using Sdp.Templates.Hosting;

namespace Sdp.Templates.CustomService;

/// <summary>
/// The generic service: serves the <see cref="ServiceSpec"/> in its environment (<see cref="ServiceSpecEnvironment"/>)
/// as JSON CRUD per resource at <c>/api/&lt;resource&gt;</c>, over the resource's table in the candidate's schema, with
/// the spec's optional cache and rate limit, and <c>/health</c>. Only this code runs; the spec is data, validated again
/// here: a service given an invalid spec does not start.
/// </summary>
public sealed class CustomServiceApp : ITemplateApp
{
    private CustomServiceApp()
    {
    }

    public static CustomServiceApp Instance { get; } = new();

    public TemplateDescriptor Descriptor => CustomServiceTemplate.Descriptor;

    /// <summary>Builds the app as a container runs it: listening on <c>PORT</c> (8080) and logging to the console.</summary>
    public static WebApplication Build(IReadOnlyDictionary<string, string> environment) =>
        Instance.Build(TemplateAppContext.ForContainer(environment));

    public WebApplication Build(TemplateAppContext context)
    {
        var spec = ReadSpec(context.Environment);
        var builder = CandidateWebApplication.CreateBuilder(context, typeof(CustomServiceApp).Assembly.GetName().Name!);

        builder.Services.AddCandidateDataStores(builder.Configuration);
        builder.Services.AddSingleton(spec);
        builder.Services.AddSingleton<ResourceCache>();
        builder.Services.AddSingleton<ResourceRateLimits>();
        builder.Services.AddSingleton<ItemIds>();

        var app = builder.Build(context);
        app.UseCandidateDefaults();
        app.MapCandidateHealthEndpoints();
        app.MapResourceEndpoints(spec);
        return app;
    }

    /// <summary>The spec in the environment; an invalid or missing one stops the start, naming what was wrong.</summary>
    public static ServiceSpec ReadSpec(IReadOnlyDictionary<string, string> environment)
    {
        var validation = ServiceSpecEnvironment.Read(environment);
        return validation.Spec is { } spec && validation.IsValid
            ? spec
            : throw new InvalidOperationException("The service spec is invalid: " +
                string.Join("; ", validation.Violations.Take(10).Select(v => $"{(v.Path.Length == 0 ? "/" : v.Path)}: {v.Message}")));
    }
}
