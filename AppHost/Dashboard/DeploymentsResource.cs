namespace Sdp.AppHost.Dashboard;

/// <summary>
/// The platform's deployments as a resource of the Aspire dashboard: no process of its own, its state and
/// properties published by the AppHost from the Orchestrator's API (<see cref="DeploymentsPoller"/>).
/// </summary>
public sealed class DeploymentsResource(string name) : Resource(name);
