namespace Sdp.Provisioning.CloudRun;

/// <summary>How the Cloud Run HTTP client authenticates (<c>CloudRun:Authentication</c>).</summary>
public enum CloudRunAuthentication
{
    /// <summary>No credentials: the Simulator does not check them.</summary>
    None,

    /// <summary>Application Default Credentials, scoped to cloud-platform, sent as a Bearer token.</summary>
    GoogleDefault,
}
