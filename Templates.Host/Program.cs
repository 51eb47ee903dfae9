using Sdp.Templates.Hosting;
using Sdp.Templates.UrlShortener;

// Cloud Run sets PORT; the provisioner sets the candidate's connection strings (CandidateEnvironment).
var app = UrlShortenerApp.Build(TemplateAppContext.ProcessEnvironment());
await app.RunAsync();
