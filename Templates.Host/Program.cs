using Sdp.Templates;
using Sdp.Templates.Catalog;
using Sdp.Templates.Hosting;

// One entry point for every template image: the image bakes in SDP_TEMPLATE (a problem type, e.g. rate_limiter;
// the URL shortener when unset). Cloud Run sets PORT; the provisioner sets the candidate's connection strings
// (CandidateEnvironment).
var environment = TemplateAppContext.ProcessEnvironment();
var problemType = environment.GetValueOrDefault("SDP_TEMPLATE") is { Length: > 0 } configured ? configured : "url_shortener";
var template = TemplateCatalog.Find(problemType)
    ?? throw new InvalidOperationException(
        $"SDP_TEMPLATE '{problemType}' is not a template; known: {string.Join(", ", TemplateCatalog.All.Select(t => t.ProblemType))}.");
var app = TemplateApps.Find(template)!.Build(TemplateAppContext.ForContainer(environment));
await app.RunAsync();
