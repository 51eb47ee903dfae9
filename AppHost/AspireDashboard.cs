namespace Sdp.AppHost;

/// <summary>Aspire's dashboard as a resource of the model: Aspire adds it in its own BeforeStartEvent handler.</summary>
public static class AspireDashboard
{
    /// <summary>Aspire's name for its dashboard resource (KnownResourceNames.AspireDashboard, internal to Aspire.Hosting).</summary>
    public const string ResourceName = "aspire-dashboard";

    /// <summary>The dashboard's executable resource, or null when the application runs without it (tests, by default).</summary>
    public static ExecutableResource? Find(DistributedApplicationModel model) =>
        // Resource names compare without case in Aspire's model.
        model.Resources.OfType<ExecutableResource>()
            .FirstOrDefault(r => string.Equals(r.Name, ResourceName, StringComparison.OrdinalIgnoreCase));
}
