using System.Collections.Concurrent;

namespace Sdp.Simulator.CloudRun.Services;

/// <summary>Every service the Simulator holds, by full name.</summary>
public sealed class ServiceRegistry
{
    private readonly ConcurrentDictionary<string, SimulatedService> services = new(StringComparer.Ordinal);

    public bool TryAdd(SimulatedService service) => services.TryAdd(service.Name.FullName, service);

    public SimulatedService? Find(string fullName) => services.GetValueOrDefault(fullName);

    /// <summary>Removes exactly this service (not a later one that reused its name).</summary>
    public bool Remove(SimulatedService service) =>
        services.TryRemove(KeyValuePair.Create(service.Name.FullName, service));

    /// <summary>Services in one location, ordered by name, the order paging walks.</summary>
    public IReadOnlyList<SimulatedService> InLocation(string parent)
    {
        var prefix = parent + "/services/";
        return [.. services.Values
            .Where(service => service.Name.FullName.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(service => service.Name.FullName, StringComparer.Ordinal)];
    }

    public int CountInLocation(string parent) =>
        services.Keys.Count(name => name.StartsWith(parent + "/services/", StringComparison.Ordinal));

    public IReadOnlyCollection<SimulatedService> All => [.. services.Values];
}
