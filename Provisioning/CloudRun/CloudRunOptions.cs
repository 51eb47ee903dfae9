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

    /// <summary>
    /// How requests carry Google identity: <see cref="CloudRunAuthentication.None"/> for the Simulator,
    /// <see cref="CloudRunAuthentication.GoogleDefault"/> (Application Default Credentials) for Cloud Run.
    /// </summary>
    public CloudRunAuthentication Authentication { get; set; } = CloudRunAuthentication.None;

    /// <summary>One HTTP attempt may take this long before it is abandoned (and retried).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an UNAVAILABLE (503) answer or a transport failure is retried.</summary>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>First retry delay after a 503 or transport failure; grows exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The wait after RESOURCE_EXHAUSTED (429) when the answer has no Retry-After: quota is per minute, so a
    /// short wait would only spend more of it.
    /// </summary>
    public TimeSpan BackPressureDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The breaker opens when this share of calls in <see cref="CircuitBreakerSamplingDuration"/> failed with 5xx or transport errors.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in a sampling window before the breaker may open.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker fails calls fast before it lets one through (half-open).</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Admin API writes (create, update, delete) per region and minute; writes beyond it queue. Cloud Run's reported
    /// default quota is 60. Against the Simulator set it high (e.g. 100000) to turn pacing off in effect.
    /// </summary>
    public int WritesPerMinute { get; set; } = 60;

    /// <summary>Writes that may go out back to back before pacing spaces them.</summary>
    public int WriteBurst { get; set; } = 1;

    /// <summary>
    /// The pool of project/region pairs services may run in. Empty (the default) means the one location
    /// <see cref="Project"/>/<see cref="Region"/>.
    /// </summary>
    public List<CloudRunLocation> Locations { get; set; } = [];

    /// <summary>The locations deploys are spread over: <see cref="Locations"/>, or <see cref="Project"/>/<see cref="Region"/>.</summary>
    public IReadOnlyList<CloudRunLocation> Pool =>
        Locations.Count > 0 ? Locations : [new CloudRunLocation { Project = Project, Region = Region }];

    /// <summary>Services per project and region (Cloud Run's quota is 1,000); a location's own MaxServices overrides it.</summary>
    public int MaxServicesPerRegion { get; set; } = 1000;

    /// <summary>What a deploy does when the region is full: wait for a slot, or refuse at once.</summary>
    public WhenRegionFull WhenFull { get; set; } = WhenRegionFull.Wait;

    /// <summary>
    /// How long a counted number of services is trusted before it is counted again (other replicas create and
    /// delete too), and how often a waiting deploy looks for a free slot.
    /// </summary>
    public TimeSpan ServiceCountRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Shape of every candidate service (<c>CloudRun:ServiceDefaults</c>).</summary>
    public CandidateServiceSettings ServiceDefaults { get; set; } = new();

    /// <summary>Per-template overrides, keyed by image name (e.g. <c>url-shortener</c>) or problem type.</summary>
    public Dictionary<string, CandidateServiceSettings> Templates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How credentials reach candidates; <see cref="CloudRunSecretMode.PlainEnvironment"/> by default.</summary>
    public CloudRunSecretMode SecretMode { get; set; } = CloudRunSecretMode.PlainEnvironment;

    /// <summary>The Secret Manager API's base address, used in <see cref="CloudRunSecretMode.SecretManager"/> mode.</summary>
    public Uri SecretManagerEndpoint { get; set; } = new("https://secretmanager.googleapis.com");

    /// <summary>The service ceiling of <paramref name="location"/>.</summary>
    public int LimitOf(CloudRunLocation location) => location.MaxServices ?? MaxServicesPerRegion;

    /// <summary><c>projects/{Project}/locations/{Region}</c>.</summary>
    public string Parent => $"projects/{Project}/locations/{Region}";

    public CloudRunPollSettings PollSettings => new(PollInitialDelay, PollMaxDelay, ServiceDeadline, UseOperationWait);
}
