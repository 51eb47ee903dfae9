using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sdp.Provisioning.CloudRun;
using Sdp.Provisioning.Inventory;
using Sdp.Provisioning.Targets;

namespace Microsoft.Extensions.Hosting;

public static class CandidateInventoryExtensions
{
    /// <summary>
    /// <see cref="CandidateInventory"/>: lists candidate resources in PostgreSQL, Redis and on the deployment target.
    /// Needs what <c>AddCandidateResources</c> and <c>AddCloudRunDeploymentTarget</c> need.
    /// </summary>
    public static IHostApplicationBuilder AddCandidateInventory(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<IDeploymentTargetInventory, CloudRunTargetInventory>();
        builder.Services.TryAddSingleton<CandidateInventory>();
        return builder;
    }
}
