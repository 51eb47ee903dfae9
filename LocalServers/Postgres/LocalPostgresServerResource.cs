using Aspire.Hosting.ApplicationModel;

namespace Sdp.LocalServers.Postgres;

/// <summary>
/// A PostgreSQL server run from this machine's binaries on 127.0.0.1, as Aspire's <c>PostgresServerResource</c> is
/// run in a container: superuser <c>postgres</c>, a password parameter, one TCP endpoint.
/// </summary>
public sealed class LocalPostgresServerResource(string name, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, LocalServerProcess.Shell, workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    private EndpointReference? _primaryEndpoint;

    public string UserName => "postgres";

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>Databases by resource name, with their names in the server: created once the server is ready.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    private readonly Dictionary<string, string> _databases = new(StringComparer.OrdinalIgnoreCase);

    internal void AddDatabase(string resourceName, string databaseName) => _databases.TryAdd(resourceName, databaseName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.IPV4Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");
}
