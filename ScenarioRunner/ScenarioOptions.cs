using System.ComponentModel.DataAnnotations;
using Sdp.ScenarioRunner.Invocation;

namespace Sdp.ScenarioRunner;

/// <summary>Configuration section <c>Scenarios</c>.</summary>
public sealed class ScenarioOptions
{
    public const string SectionName = "Scenarios";

    /// <summary>
    /// A run ends with a report by load duration + this margin, whatever the deployment does; the margin covers
    /// the correctness checks (some wait on purpose, e.g. for a cache entry to expire) and draining the load.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DeadlineMargin { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>One request's limit; past it the request counts as a <c>timeout</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Runs one runner carries out at the same time (each may drive up to 500 requests per second).</summary>
    [Range(1, 64)]
    public int ConcurrentRuns { get; set; } = 2;

    /// <summary>Reports of finished runs kept in memory so a redelivered request gets the same report again.</summary>
    [Range(1, 100_000)]
    public int RecentReports { get; set; } = 1024;

    /// <summary>
    /// How candidate services are called: <see cref="CallAs.Anonymous"/> (public services, and locally) or
    /// <see cref="CallAs.IdToken"/> (Cloud Run services that check invoker IAM; https endpoints only).
    /// </summary>
    [EnumDataType(typeof(CallAs))]
    public CallAs CallAs { get; set; } = CallAs.Anonymous;
}
