namespace Sdp.Simulator.CloudRun.Faults;

/// <summary><c>/simulator/faults</c>: read, set (POST) and clear (DELETE) the injected faults.</summary>
public static class FaultsEndpoints
{
    public const string Path = "/simulator/faults";

    public static IEndpointRouteBuilder MapFaultsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (FaultInjector faults) => Results.Json(faults.Current));
        endpoints.MapPost(Path, (SimulatedFaults requested, FaultInjector faults) =>
        {
            if (requested.LatencyMs < 0 || requested.LatencyCount < 0 || requested.Status429Count < 0
                || requested.RetryAfterSeconds < 0 || requested.Status503Count < 0 || requested.OperationErrorCount < 0
                || requested.OperationDelayMs < 0)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Fault values must not be negative.");
            }

            faults.Set(requested);
            return Results.Json(faults.Current);
        });
        endpoints.MapDelete(Path, (FaultInjector faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });
        return endpoints;
    }
}
