namespace Sdp.Provisioning.CloudRun;

/// <summary>How a candidate's credentials (its connection strings) reach its container.</summary>
public enum CloudRunSecretMode
{
    /// <summary>As plain environment values in the Service: for the Simulator, which has no Secret Manager.</summary>
    PlainEnvironment,

    /// <summary>Stored as Secret Manager secrets; the Service only references them.</summary>
    SecretManager,
}
