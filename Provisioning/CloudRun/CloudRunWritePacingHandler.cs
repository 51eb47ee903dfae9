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
        if (IsWrite(request) && QuotaScopeOf(request.RequestUri) is { } scope)
        {
            await pacer.WaitForTurnAsync(scope, cancellationToken);
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

    /// <summary>
    /// <c>{project}/{location}</c> of <c>/v2/projects/{project}/locations/{location}/...</c>: Cloud Run's write quota
    /// is per project and region.
    /// </summary>
    public static string? QuotaScopeOf(Uri? uri)
    {
        var path = uri is { IsAbsoluteUri: true } ? uri.AbsolutePath : uri?.OriginalString ?? "";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string? project = null;
        for (var i = 0; i + 1 < segments.Length; i++)
        {
            if (segments[i] == "projects")
            {
                project = Uri.UnescapeDataString(segments[i + 1]);
            }
            else if (segments[i] == "locations")
            {
                var location = Uri.UnescapeDataString(segments[i + 1].Split('?')[0]);
                return project is null ? location : $"{project}/{location}";
            }
        }

        return null;
    }
}
