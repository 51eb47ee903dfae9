namespace Sdp.Provisioning.CloudRun;

/// <summary>
/// Queues Admin API writes (create, update, delete) behind <see cref="CloudRunWritePacer"/>. It sits inside the
/// retry pipeline, so every attempt (a retry is a write too) is paced. Reads (get, list, operations and their
/// <c>:wait</c>) pass straight through.
/// </summary>
public sealed class CloudRunWritePacingHandler(CloudRunWritePacer pacer) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (IsWrite(request) && RegionOf(request.RequestUri) is { } region)
        {
            await pacer.WaitForTurnAsync(region, cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    public static bool IsWrite(HttpRequestMessage request)
    {
        var path = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : request.RequestUri?.OriginalString ?? "";
        return request.Method == HttpMethod.Patch
            || request.Method == HttpMethod.Delete
            || (request.Method == HttpMethod.Post && !path.Contains("/operations/", StringComparison.Ordinal));
    }

    /// <summary>The <c>{location}</c> of <c>/v2/projects/{project}/locations/{location}/...</c>.</summary>
    public static string? RegionOf(Uri? uri)
    {
        var path = uri is { IsAbsoluteUri: true } ? uri.AbsolutePath : uri?.OriginalString ?? "";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < segments.Length; i++)
        {
            if (segments[i] == "locations")
            {
                return Uri.UnescapeDataString(segments[i + 1].Split('?')[0]);
            }
        }

        return null;
    }
}
