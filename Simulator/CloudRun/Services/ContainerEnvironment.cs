namespace Sdp.Simulator.CloudRun.Services;

/// <summary>What a service's container sees as its environment.</summary>
public static class ContainerEnvironment
{
    /// <summary>The container's own variables plus the ones Cloud Run sets for every container.</summary>
    public static Dictionary<string, string> Of(SimulatedService service)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in service.Container.Env ?? [])
        {
            environment[variable.Name!] = variable.Value ?? "";
        }

        environment["K_SERVICE"] = service.Name.ServiceId;
        environment["K_REVISION"] = service.RevisionId;
        environment["K_CONFIGURATION"] = service.Name.ServiceId;
        return environment;
    }
}
