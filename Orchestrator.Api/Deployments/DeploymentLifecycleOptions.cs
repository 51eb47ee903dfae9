using System.ComponentModel.DataAnnotations;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>Section <c>Deployments</c>: how long deployments live, and how stuck work is retried.</summary>
public sealed class DeploymentLifecycleOptions : IValidatableObject
{
    public const string Section = "Deployments";

    /// <summary>How long a deployment lives when the request names no <c>ttl_minutes</c>.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The longest <c>ttl_minutes</c> a request may ask for.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired and stuck deployments are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A deployment still queued this long after it was (re)requested is requested again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan QueuedTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A deployment provisioning this long is requested again. Longer than the provisioner's own deadline and
    /// teardown, so a slow but live attempt is not counted as stuck.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ProvisioningTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>A deployment cleaning this long has its cleanup requested again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CleaningTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Requests of the same step before the deployment is marked failed (and cleaned).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Extra wait after the first retry; doubles with each further one, up to <see cref="MaxRetryBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long past its load duration a scenario run may stay queued or running without a report before it is
    /// closed with outcome <c>error</c>, so it no longer holds its deployment or its tenant's quota.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ScenarioRunGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The wait before looking at a deployment in <paramref name="state"/> again after retry number <paramref name="attempt"/>.</summary>
    public TimeSpan NextCheckAfterRetry(string state, int attempt)
    {
        var backoff = TimeSpan.FromTicks(Math.Min(MaxRetryBackoff.Ticks,
            RetryBackoff.Ticks << Math.Clamp(attempt - 1, 0, 20)));
        return TimeoutFor(state) + backoff;
    }

    public TimeSpan TimeoutFor(string state) => state switch
    {
        DeploymentState.Queued => QueuedTimeout,
        DeploymentState.Provisioning => ProvisioningTimeout,
        DeploymentState.Cleaning => CleaningTimeout,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Only in-flight states have a timeout."),
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultTtl > MaxTtl)
        {
            yield return new ValidationResult(
                $"{Section}:DefaultTtl ({DefaultTtl}) must not exceed {Section}:MaxTtl ({MaxTtl}).",
                [nameof(DefaultTtl), nameof(MaxTtl)]);
        }

        if (RetryBackoff > MaxRetryBackoff)
        {
            yield return new ValidationResult(
                $"{Section}:RetryBackoff ({RetryBackoff}) must not exceed {Section}:MaxRetryBackoff ({MaxRetryBackoff}).",
                [nameof(RetryBackoff), nameof(MaxRetryBackoff)]);
        }
    }
}
