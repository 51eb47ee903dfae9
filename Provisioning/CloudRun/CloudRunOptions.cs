namespace Sdp.Provisioning.CloudRun;

/// <summary>Configuration section <c>CloudRun</c>: where the Cloud Run Admin API is and how to wait for it.</summary>
public sealed class CloudRunOptions
{
    public const string SectionName = "CloudRun";

    /// <summary>
    /// The API's base address: <c>https://run.googleapis.com</c>, or the Simulator, e.g. <c>http://simulator</c>
    /// resolved through service discovery.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The project that owns candidate services.</summary>
    public string Project { get; set; } = "sdp-local";

    /// <summary>The region (Cloud Run location) of candidate services.</summary>
    public string Region { get; set; } = "local";

    /// <summary>First wait before polling an operation; doubles on every poll up to <see cref="PollMaxDelay"/>.</summary>
    public TimeSpan PollInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan PollMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Long-poll operations with <c>POST .../operations/{id}:wait</c> (Cloud Run v2 and the Simulator both have it)
    /// instead of polling with growing delays: an operation is noticed the moment it is done.
    /// </summary>
    public bool UseOperationWait { get; set; }

    /// <summary>How long a deployment (or removal) may take before it is given up.</summary>
    public TimeSpan ServiceDeadline { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>projects/{Project}/locations/{Region}</c>.</summary>
    public string Parent => $"projects/{Project}/locations/{Region}";

    public CloudRunPollSettings PollSettings => new(PollInitialDelay, PollMaxDelay, ServiceDeadline, UseOperationWait);
}
