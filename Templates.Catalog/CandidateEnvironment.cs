namespace Sdp.Templates.Catalog;

/// <summary>
/// The environment variables a candidate service reads. The provisioner writes them; every template reads them.
/// Connection strings follow Aspire's <c>ConnectionStrings__{name}</c> convention.
/// </summary>
public static class CandidateEnvironment
{
    /// <summary>Npgsql connection string with the candidate's own role, password and <c>Search Path</c>.</summary>
    public const string Database = "ConnectionStrings__database";

    /// <summary>StackExchange.Redis configuration string with the candidate's ACL user and password.</summary>
    public const string Redis = "ConnectionStrings__redis";

    /// <summary>The only key (and channel) prefix the candidate's Redis user may touch, e.g. <c>sub:42:</c>.</summary>
    public const string RedisKeyPrefix = "REDIS_KEY_PREFIX";

    /// <summary>The deployment id, for logs and responses.</summary>
    public const string DeploymentId = "SDP_DEPLOYMENT_ID";

    /// <summary>
    /// The port a container listens on. Set by Cloud Run (not by the provisioner); a template hosted
    /// in-process ignores it and listens where its host tells it.
    /// </summary>
    public const string Port = "PORT";
}
