namespace Sdp.Provisioning.CloudRun;

/// <summary><c>google.cloud.run.v2.EnvVarSource</c>: where an environment variable's value comes from.</summary>
public sealed record CloudRunEnvVarSource(CloudRunSecretKeySelector SecretKeyRef);

/// <summary>
/// <c>google.cloud.run.v2.SecretKeySelector</c>: <c>projects/p/secrets/ID</c> and a version (<c>latest</c>), read by
/// Cloud Run when an instance starts, so the value never appears in the Service.
/// </summary>
public sealed record CloudRunSecretKeySelector(string Secret, string Version);
