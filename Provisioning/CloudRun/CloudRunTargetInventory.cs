using System.Globalization;
using Microsoft.Extensions.Options;
using Sdp.Provisioning.Targets;

namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// Lists the services of every location of the pool (<see cref="CloudRunOptions.Pool"/>), page by page, and keeps
/// those labelled <c>managed-by: sdp</c>: one list call per location and page, whatever the number of deployments.
/// </summary>
public sealed class CloudRunTargetInventory(ICloudRunClient client, IOptions<CloudRunOptions> options)
    : IDeploymentTargetInventory
{
    private const int PageSize = 500;

    public async Task<IReadOnlyList<TargetService>> ListSdpServicesAsync(CancellationToken cancellationToken)
    {
        var services = new List<TargetService>();
        // Every location deploys may go to: a service missing from the list is taken for gone.
        foreach (var parent in options.Value.Pool.Select(l => l.Parent).Distinct(StringComparer.Ordinal))
        {
            string? pageToken = null;
            do
            {
                var page = await client.ListServicesAsync(parent, PageSize, pageToken, cancellationToken);
                foreach (var service in page.Services)
                {
                    if (service.Labels is { } labels
                        && labels.TryGetValue(CandidateServiceDefinition.ManagedByLabel, out var managedBy)
                        && managedBy == CandidateServiceDefinition.ManagedByValue
                        && labels.TryGetValue(CandidateServiceDefinition.DeploymentIdLabel, out var id)
                        && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var deploymentId)
                        && service.Name is { } name)
                    {
                        services.Add(new TargetService(name[(name.LastIndexOf('/') + 1)..], deploymentId,
                            ConditionOf(service), UrlsOf(service)));
                    }
                }

                pageToken = string.IsNullOrEmpty(page.NextPageToken) ? null : page.NextPageToken;
            }
            while (pageToken is not null);
        }

        return services;
    }

    /// <summary>Anything not settled (reconciling, or a Ready condition still pending) is reconciling.</summary>
    private static TargetServiceCondition ConditionOf(CloudRunService service) =>
        service.IsReady ? TargetServiceCondition.Ready
        : service.HasFailed ? TargetServiceCondition.Failed
        : TargetServiceCondition.Reconciling;

    /// <summary><c>uri</c> and <c>urls</c> (Cloud Run gives a service a deterministic URL beside its older one).</summary>
    private static IReadOnlyList<Uri> UrlsOf(CloudRunService service) =>
    [
        .. new[] { service.Uri }.Concat(service.Urls ?? [])
            .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? parsed : null)
            .OfType<Uri>()
            .Distinct(),
    ];
}
