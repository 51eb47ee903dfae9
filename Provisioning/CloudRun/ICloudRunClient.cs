namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// The Cloud Run Admin API v2 calls Sdp makes, shaped after Google.Cloud.Run.V2's <c>ServicesClient</c> so the
/// official client can replace this one behind the same interface. Names are full resource names
/// (<c>projects/p/locations/l/services/s</c>); errors are <see cref="CloudRunApiException"/>.
/// </summary>
public interface ICloudRunClient
{
    /// <summary>Starts creating a service under <paramref name="parent"/> (<c>projects/p/locations/l</c>).</summary>
    Task<CloudRunOperation> CreateServiceAsync(string parent, CloudRunService service, string serviceId,
        CancellationToken cancellationToken);

    Task<CloudRunService> GetServiceAsync(string name, CancellationToken cancellationToken);

    Task<CloudRunServicePage> ListServicesAsync(string parent, int? pageSize, string? pageToken,
        CancellationToken cancellationToken);

    /// <summary>
    /// Starts updating a service (<c>PATCH /v2/{name}</c>). <paramref name="updateMask"/> lists the fields to change
    /// (e.g. <c>labels</c>, <c>template</c>); empty replaces the whole service. With <paramref name="allowMissing"/>
    /// a missing service is created.
    /// </summary>
    Task<CloudRunOperation> UpdateServiceAsync(CloudRunService service, IReadOnlyList<string>? updateMask, bool allowMissing,
        CancellationToken cancellationToken);

    /// <summary>Starts deleting a service.</summary>
    Task<CloudRunOperation> DeleteServiceAsync(string name, CancellationToken cancellationToken);

    Task<CloudRunOperation> GetOperationAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// <c>operations/{id}:wait</c>: answers when the operation is done or after <paramref name="timeout"/>,
    /// whichever comes first (the operation may still be running).
    /// </summary>
    Task<CloudRunOperation> WaitOperationAsync(string name, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Polls <paramref name="operation"/> until it is done and returns it done (with either a response or an
    /// error). Throws <see cref="TimeoutException"/> when it is not done within the settings' timeout.
    /// </summary>
    Task<CloudRunOperation> PollUntilCompletedAsync(CloudRunOperation operation, CloudRunPollSettings? settings,
        CancellationToken cancellationToken);
}
