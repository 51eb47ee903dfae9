namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>Why a deployment's cleanup was requested; shown as <c>cleanup_reason</c>.</summary>
public static class CleanupReason
{
    /// <summary>A client asked for it (DELETE).</summary>
    public const string Requested = "requested";

    /// <summary>Its time to live ran out.</summary>
    public const string Expired = "expired";

    /// <summary>A scenario run that asked for cleanup finished.</summary>
    public const string AfterTest = "after_test";

    /// <summary>It failed (stuck past its retries, or its resources were lost); what is left is removed.</summary>
    public const string Failed = "failed";
}
