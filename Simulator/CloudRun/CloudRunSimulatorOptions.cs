using Microsoft.Extensions.Options;

namespace Sdp.Simulator.CloudRun;

/// <summary>Configuration section <c>CloudRunSimulator</c>.</summary>
public sealed class CloudRunSimulatorOptions
{
    public const string SectionName = "CloudRunSimulator";

    /// <summary>How long a service may take to start before its operation fails.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Cloud Run's quota: 1,000 services per project and region; beyond it creates get RESOURCE_EXHAUSTED.</summary>
    public int MaxServicesPerLocation { get; set; } = 1000;

    /// <summary>
    /// How long a restored service waits for its old port before it moves to another: the Simulator it replaces may
    /// still be stopping its apps (each may take seconds), and a moved service has a new URL, which Cloud Run never
    /// gives a service.
    /// </summary>
    public TimeSpan RestorePortWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The loopback ports services listen on, and keep across restarts: outside the kernel's ephemeral range
    /// (32768–60999 on Linux), from which outgoing connections draw, so nothing else takes a kept port while the
    /// platform starts. At least <see cref="MaxServicesPerLocation"/> ports.
    /// </summary>
    public int ServicePortsFrom { get; set; } = 20000;

    /// <inheritdoc cref="ServicePortsFrom"/>
    public int ServicePortsTo { get; set; } = 29999;

    /// <summary>How long finished operations stay readable.</summary>
    public TimeSpan OperationRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Where services are kept, one JSON file each, so a restarted Simulator brings them back at their old URLs, as
    /// Cloud Run keeps services when its control plane restarts. Null or empty: in memory only, gone at a restart.
    /// </summary>
    public string? StateDirectory { get; set; }
}

internal sealed class CloudRunSimulatorOptionsValidator : IValidateOptions<CloudRunSimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, CloudRunSimulatorOptions options)
    {
        var failures = new List<string>();
        if (options.StartTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{CloudRunSimulatorOptions.SectionName}:StartTimeout must be positive.");
        }

        if (options.MaxServicesPerLocation <= 0)
        {
            failures.Add($"{CloudRunSimulatorOptions.SectionName}:MaxServicesPerLocation must be positive.");
        }

        if (options.RestorePortWait < TimeSpan.Zero)
        {
            failures.Add($"{CloudRunSimulatorOptions.SectionName}:RestorePortWait must not be negative.");
        }

        if (options.ServicePortsFrom < 1024 || options.ServicePortsTo > 65535 || options.ServicePortsTo < options.ServicePortsFrom)
        {
            failures.Add($"{CloudRunSimulatorOptions.SectionName}:ServicePortsFrom and ServicePortsTo must be a range of ports between 1024 and 65535.");
        }
        else if (options.ServicePortsTo - options.ServicePortsFrom + 1 < options.MaxServicesPerLocation)
        {
            failures.Add($"{CloudRunSimulatorOptions.SectionName}:ServicePortsFrom–ServicePortsTo must hold at least MaxServicesPerLocation ({options.MaxServicesPerLocation}) ports.");
        }

        if (options.OperationRetention <= TimeSpan.Zero)
        {
            failures.Add($"{CloudRunSimulatorOptions.SectionName}:OperationRetention must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
