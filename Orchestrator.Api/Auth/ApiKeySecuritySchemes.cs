using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Sdp.Orchestrator.Api.Auth;

/// <summary>
/// Declares the API key in the OpenAPI document (as a bearer token, or the X-Api-Key header), so the API
/// reference can send it and generated clients know to.
/// </summary>
public sealed class ApiKeySecuritySchemes : IOpenApiDocumentTransformer
{
    private const string Bearer = "ApiKey";
    private const string Header = "X-Api-Key";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context,
        CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An Sdp API key (sdp_…) as a bearer token.",
        };
        document.Components.SecuritySchemes[Header] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = Header,
            Description = "The same key in the X-Api-Key header.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] });
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Header, document)] = [] });
        return Task.CompletedTask;
    }
}
