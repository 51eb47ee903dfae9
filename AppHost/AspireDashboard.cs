namespace Sdp.AppHost;

/// <summary>Aspire's dashboard as a resource of the model: Aspire adds it in its own BeforeStartEvent handler.</summary>
public static class AspireDashboard
{
    /// <summary>The dashboard resource's name in Aspire's model.</summary>
    public const string ResourceName = "aspire-dashboard";

    /// <summary>The dashboard's executable resource, or null when the application runs without it (tests, by default).</summary>
    public static ExecutableResource? Find(DistributedApplicationModel model) =>
        model.Resources.OfType<ExecutableResource>().SingleOrDefault(r => r.Name == ResourceName);
}
