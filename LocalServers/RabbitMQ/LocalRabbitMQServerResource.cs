using Aspire.Hosting.ApplicationModel;

namespace Sdp.LocalServers.RabbitMQ;

/// <summary>A private RabbitMQ node from this machine's binaries on 127.0.0.1, as Aspire's <c>RabbitMQServerResource</c>.</summary>
public sealed class LocalRabbitMQServerResource(string name, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, LocalServerProcess.Shell, workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    private EndpointReference? _primaryEndpoint;

    public string UserName => "sdp";

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    // Letters and digits only in the generated password: nothing to URI-encode.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{UserName}:{PasswordParameter}@{PrimaryEndpoint.Property(EndpointProperty.IPV4Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
