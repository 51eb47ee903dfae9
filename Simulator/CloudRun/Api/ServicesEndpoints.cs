using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Sdp.Simulator.CloudRun.Model;
using Sdp.Simulator.CloudRun.Operations;
using Sdp.Simulator.CloudRun.Services;

namespace Sdp.Simulator.CloudRun.Api;

/// <summary>The <c>projects.locations.services</c> collection of the Cloud Run Admin API v2.</summary>
public static class ServicesEndpoints
{
    private const string ResourceType = "run.googleapis.com/Service";
    private const int DefaultPageSize = 100;

    public static IEndpointRouteBuilder MapServicesEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.MapGroup("/v2/projects/{project}/locations/{location}/services");
        services.MapPost("", CreateAsync);
        services.MapGet("", List);
        services.MapGet("/{serviceId}", Get);
        services.MapDelete("/{serviceId}", Delete);
        services.MapPatch("/{serviceId}", UpdateAsync);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(string project, string location, HttpRequest request,
        ServiceRegistry registry, OperationRegistry operations, ServiceRuntime runtime, TimeProvider timeProvider,
        IOptions<CloudRunSimulatorOptions> options, CancellationToken cancellationToken)
    {
        var (requested, invalidBody) = await ReadServiceAsync(request, cancellationToken);
        if (requested is null)
        {
            return invalidBody!;
        }

        var serviceId = request.Query["serviceId"].ToString();
        if (ServiceRequestValidator.Validate(serviceId, requested) is { } violation)
        {
            return GoogleApiErrors.InvalidArgument(request, violation.Description, violation.Field);
        }

        var name = new ServiceName(project, location, serviceId);
        return StartCreate(request, name, requested, registry, operations, runtime, timeProvider, options.Value);
    }

    /// <summary>Creates a validated service: the tail of create, and of an update with <c>allowMissing</c>.</summary>
    private static IResult StartCreate(HttpRequest request, ServiceName name, Service requested, ServiceRegistry registry,
        OperationRegistry operations, ServiceRuntime runtime, TimeProvider timeProvider, CloudRunSimulatorOptions options)
    {
        var service = new SimulatedService(name, requested, timeProvider.GetUtcNow());
        if (IsTrue(request.Query["validateOnly"]))
        {
            return Json(request, new Operation
            {
                Name = $"{name.Parent}/operations/{Guid.NewGuid()}",
                Done = true,
                Metadata = new PackedService(service.Snapshot()),
                Response = new PackedService(service.Snapshot()),
            });
        }

        if (registry.Find(name.FullName) is not null)
        {
            return GoogleApiErrors.AlreadyExists(request, ResourceType, name.FullName);
        }

        if (registry.CountInLocation(name.Parent) >= options.MaxServicesPerLocation)
        {
            return GoogleApiErrors.ResourceExhausted(request,
                $"Quota exceeded: at most {options.MaxServicesPerLocation} services per project and region.");
        }

        if (!registry.TryAdd(service))
        {
            return GoogleApiErrors.AlreadyExists(request, ResourceType, name.FullName);
        }

        var operation = operations.Start(name.Parent, service.Snapshot());
        // Answer with the operation as it is now (not done), as Cloud Run does; the start runs in the background.
        var accepted = operation.Current;
        runtime.Start(service, operation);
        return Json(request, accepted);
    }

    /// <summary>
    /// <c>PATCH /v2/{name}?updateMask=&amp;allowMissing=</c>: changes the fields the mask names (all writable fields when
    /// it is empty), bumps the generation and etag, and answers with an Operation whose response is the Service.
    /// </summary>
    private static async Task<IResult> UpdateAsync(string project, string location, string serviceId, HttpRequest request,
        ServiceRegistry registry, OperationRegistry operations, ServiceRuntime runtime, TimeProvider timeProvider,
        IOptions<CloudRunSimulatorOptions> options, CancellationToken cancellationToken)
    {
        var (patch, invalidBody) = await ReadServiceAsync(request, cancellationToken);
        if (patch is null)
        {
            return invalidBody!;
        }

        var name = new ServiceName(project, location, serviceId);
        if (!string.IsNullOrEmpty(patch.Name) && !string.Equals(patch.Name, name.FullName, StringComparison.Ordinal))
        {
            return GoogleApiErrors.InvalidArgument(request,
                $"service.name '{patch.Name}' does not match the name in the URL '{name.FullName}'.", "service.name");
        }

        var mask = request.Query["updateMask"].ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (registry.Find(name.FullName) is not { } existing)
        {
            if (!IsTrue(request.Query["allowMissing"]))
            {
                return GoogleApiErrors.NotFound(request, ResourceType, name.FullName);
            }

            if (ServiceRequestValidator.Validate(serviceId, patch with { Name = null }) is { } createViolation)
            {
                return GoogleApiErrors.InvalidArgument(request, createViolation.Description, createViolation.Field);
            }

            return StartCreate(request, name, patch with { Name = null }, registry, operations, runtime, timeProvider, options.Value);
        }

        if (ServiceUpdate.Merge(existing.Requested, patch, mask, out var unknownPath) is not { } updated)
        {
            return GoogleApiErrors.InvalidArgument(request, $"Invalid update_mask path '{unknownPath}'.", "update_mask");
        }

        if (ServiceRequestValidator.Validate(serviceId, updated) is { } violation)
        {
            return GoogleApiErrors.InvalidArgument(request, violation.Description, violation.Field);
        }

        if (IsTrue(request.Query["validateOnly"]))
        {
            var preview = existing.Snapshot();
            return Json(request, new Operation
            {
                Name = $"{name.Parent}/operations/{Guid.NewGuid()}",
                Done = true,
                Metadata = new PackedService(preview),
                Response = new PackedService(preview),
            });
        }

        if (!existing.TryUpdate(updated, timeProvider.GetUtcNow()))
        {
            return GoogleApiErrors.NotFound(request, ResourceType, name.FullName);
        }

        var operation = operations.Start(name.Parent, existing.Snapshot());
        var accepted = operation.Current;
        runtime.CompleteUpdate(existing, operation);
        return Json(request, accepted);
    }

    private static IResult Get(string project, string location, string serviceId, HttpRequest request, ServiceRegistry registry)
    {
        var name = new ServiceName(project, location, serviceId);
        return registry.Find(name.FullName) is { } service
            ? Json(request, service.Snapshot())
            : GoogleApiErrors.NotFound(request, ResourceType, name.FullName);
    }

    private static IResult List(string project, string location, HttpRequest request, ServiceRegistry registry)
    {
        var parent = ServiceName.LocationName(project, location);
        var pageSizeText = request.Query["pageSize"].ToString();
        var pageSize = DefaultPageSize;
        if (pageSizeText.Length > 0
            && (!int.TryParse(pageSizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 0))
        {
            return GoogleApiErrors.InvalidArgument(request, $"Invalid page_size '{pageSizeText}'.", "page_size");
        }

        pageSize = pageSize == 0 ? DefaultPageSize : pageSize;
        var pageToken = request.Query["pageToken"].ToString();
        string? after = null;
        if (pageToken.Length > 0 && !TryReadPageToken(pageToken, parent, out after))
        {
            return GoogleApiErrors.InvalidArgument(request, "Invalid page_token.", "page_token");
        }

        var remaining = registry.InLocation(parent)
            .Where(service => after is null || string.CompareOrdinal(service.Name.FullName, after) > 0)
            .ToList();
        var page = remaining.Take(pageSize).ToList();
        var nextPageToken = remaining.Count > page.Count ? WritePageToken(page[^1].Name.FullName) : null;
        return Json(request, new ListServicesResponse([.. page.Select(service => service.Snapshot())], nextPageToken));
    }

    private static IResult Delete(string project, string location, string serviceId, HttpRequest request,
        ServiceRegistry registry, ServiceRuntime runtime)
    {
        var name = new ServiceName(project, location, serviceId);
        if (registry.Find(name.FullName) is not { } service)
        {
            return GoogleApiErrors.NotFound(request, ResourceType, name.FullName);
        }

        if (IsTrue(request.Query["validateOnly"]))
        {
            var snapshot = service.Snapshot();
            return Json(request, new Operation
            {
                Name = $"{name.Parent}/operations/{Guid.NewGuid()}",
                Done = true,
                Metadata = new PackedService(snapshot),
                Response = new PackedService(snapshot),
            });
        }

        return Json(request, runtime.Delete(service).Current);
    }

    private static IResult Json<T>(HttpRequest request, T value) => Results.Json(value, CloudRunJson.ForResponse(request));

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) =>
        string.Equals(value.ToString(), "true", StringComparison.OrdinalIgnoreCase);

    // Page tokens are opaque to clients: the last name of the previous page, base64url-encoded.
    private static string WritePageToken(string lastName) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastName));

    private static bool TryReadPageToken(string token, string parent, out string? lastName)
    {
        lastName = null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (!decoded.StartsWith(parent + "/services/", StringComparison.Ordinal))
            {
                return false;
            }

            lastName = decoded;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The request body as a Service, or Google's INVALID_ARGUMENT answer when it is not one.</summary>
    private static async Task<(Service? Service, IResult? Error)> ReadServiceAsync(HttpRequest request,
        CancellationToken cancellationToken)
    {
        try
        {
            var service = await JsonSerializer.DeserializeAsync<Service>(request.Body, CloudRunJson.ForReading, cancellationToken);
            return service is null
                ? (null, GoogleApiErrors.InvalidArgument(request, "The request body must be a Service.", "service"))
                : (service, null);
        }
        catch (JsonException exception)
        {
            return (null, GoogleApiErrors.InvalidArgument(request, $"Invalid JSON payload received. {exception.Message}", "service"));
        }
    }
}
