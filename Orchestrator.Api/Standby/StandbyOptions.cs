using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Sdp.Templates.Catalog;

namespace Sdp.Orchestrator.Api.Standby;

/// <summary>
/// Section <c>Standby</c>: how many deployments of each template are kept built and started ahead of demand, so a
/// request without settings is ready the moment it is accepted. An operator may change a pool's size at run time
/// (<c>PUT /api/admin/standby/{problem_type}</c>); that wins over <see cref="Pools"/>.
/// </summary>
public sealed class StandbyOptions
{
    public const string Section = "Standby";

    /// <summary>The largest pool one template may have.</summary>
    public const int MaxPoolSize = 1000;

    /// <summary>Problem type → slots kept ready. A template not named has no pool.</summary>
    public Dictionary<string, int> Pools { get; set; } = [];

    /// <summary>Slots built at the same time, across all pools: refilling must not crowd out cold deployments.</summary>
    [Range(1, 64)]
    public int RefillConcurrency { get; set; } = 2;

    /// <summary>How often the pools are checked when nothing signals a change.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// While a tenant's deployment is queued, provisioning or cleaning (and changed within this window), refilling
    /// waits: a refill costs what a cold deployment costs, and the tenant's work comes first.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan YieldWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Refilling also waits until no deployment has been asked for within this long: a burst is served from the
    /// pool at full speed, and the pool is rebuilt once the burst is over.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A slot still being built this long after it was requested is requested again (the provisioner does a request
    /// once however often it comes): a message published before the provisioner's queue existed is lost.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequestAgainAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A slot not ready after this long is given up: removed and replaced. A removal whose cleanup has not reported
    /// back after this long is requested again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan ProvisioningTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>After a slot fails, its pool waits this long before building again, so a broken template cannot loop.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a slot's service has to answer, when a request claims it and when the slot prober asks
    /// (<see cref="StandbySlotProbe"/>). A slot that does not answer within it is not handed out. A service that answers
    /// at all does so in a millisecond or two on loopback; this bounds what a dead slot costs the request that finds it (at most
    /// <see cref="StandbyClaim.MaxSlotsTried"/> times this before the deployment is built on request).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan ClaimProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the slot prober asks every ready slot's service whether it answers (and once at start-up).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A slot whose service has not answered for longer than this is removed and replaced. Long enough for a
    /// restarting Cloud Run (the Simulator, locally) to bring its services back: until then the slot is only skipped.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DeadAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Slots the prober asks at the same time.</summary>
    [Range(1, 64)]
    public int ProbeConcurrency { get; set; } = 8;
}

public sealed class StandbyOptionsValidator : IValidateOptions<StandbyOptions>
{
    public ValidateOptionsResult Validate(string? name, StandbyOptions options)
    {
        var failures = new List<string>();
        foreach (var (problemType, size) in options.Pools)
        {
            if (TemplateCatalog.Find(problemType) is not { RequiresServiceSpec: false })
            {
                failures.Add($"Standby:Pools names '{problemType}', which is not a template a standby slot can hold. Templates: " +
                             string.Join(", ", TemplateCatalog.Prebuildable.Select(t => t.ProblemType)) + ".");
            }

            if (size is < 0 or > StandbyOptions.MaxPoolSize)
            {
                failures.Add($"Standby:Pools:{problemType} is {size}; it must be from 0 to {StandbyOptions.MaxPoolSize}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
