namespace Sdp.Hosting;

/// <summary>A private RabbitMQ node the host runs from the machine's binaries, on loopback, with a generated password.</summary>
public sealed class RabbitMQServerResource(string name) : Resource(name), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";

    public override string Type => "RabbitMQServer";

    public string UserName => "sdp";

    public string? Password { get; internal set; }

    public ResourceEndpoint PrimaryEndpoint => GetOrAddEndpoint(PrimaryEndpointName, "amqp");

    public string? ConnectionString => PrimaryEndpoint.Port is { } port && Password is { } password
        ? ConnectionStrings.RabbitMQ("127.0.0.1", port, UserName, password)
        : null;
}
