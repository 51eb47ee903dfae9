using System.Globalization;
using Microsoft.Extensions.Options;
using Sdp.Provisioning.Targets;

namespace Sdp.Provisioning.CloudRun;

/// <summary>Lists the region's services page by page and keeps those labelled <c>managed-by: sdp</c>.</summary>
public sealed class CloudRunTargetInventory(ICloudRunClient client, IOptions<CloudRunOptions> options)
    : IDeploymentTargetInventory
{
    private const int PageSize = 500;

    public async Task<IReadOnlyList<TargetService>> ListSdpServicesAsync(CancellationToken cancellationToken)
    {
        var services = new List<TargetService>();
        string? pageToken = null;
        do
        {
            var page = await client.ListServicesAsync(options.Value.Parent, PageSize, pageToken, cancellationToken);
            foreach (var service in page.Services)
            {
                if (service.Labels is { } labels
                    && labels.TryGetValue(CandidateServiceDefinition.ManagedByLabel, out var managedBy)
                    && managedBy == CandidateServiceDefinition.ManagedByValue
                    && labels.TryGetValue(CandidateServiceDefinition.DeploymentIdLabel, out var id)
                    && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var deploymentId)
                    && service.Name is { } name)
                {
                    services.Add(new TargetService(name[(name.LastIndexOf('/') + 1)..], deploymentId));
                }
            }

            pageToken = string.IsNullOrEmpty(page.NextPageToken) ? null : page.NextPageToken;
        }
        while (pageToken is not null);

        return services;
    }
}
