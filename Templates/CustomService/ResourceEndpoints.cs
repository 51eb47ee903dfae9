using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sdp.Templates.Catalog.Custom;

namespace Sdp.Templates.CustomService;

/// <summary>The routes of every resource in the spec: <c>/api/&lt;resource&gt;</c> and <c>/api/&lt;resource&gt;/{id}</c>.</summary>
internal static class ResourceEndpoints
{
    public static IEndpointRouteBuilder MapResourceEndpoints(this IEndpointRouteBuilder endpoints, ServiceSpec spec)
    {
        foreach (var resource in spec.Resources)
        {
            var handler = new ResourceHandler(resource);
            // Literal segments from the validated spec: lower-case letters, digits and underscores only.
            var collection = "/api/" + resource.Name;
            var item = collection + "/{id}";
            endpoints.MapPost(collection, (RequestDelegate)handler.CreateAsync);
            endpoints.MapGet(collection, (RequestDelegate)handler.ListAsync);
            endpoints.MapGet(item, (RequestDelegate)handler.GetAsync);
            endpoints.MapPut(item, (RequestDelegate)handler.ReplaceAsync);
            endpoints.MapDelete(item, (RequestDelegate)handler.DeleteAsync);
        }

        return endpoints;
    }
}
