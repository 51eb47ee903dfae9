namespace Sdp.Hosting;

public static class RabbitMQBuilderExtensions
{
    /// <summary>A private RabbitMQ node run from the machine's binaries (<c>Sdp:RabbitMQBinDirectory</c>).</summary>
    public static IResourceBuilder<RabbitMQServerResource> AddRabbitMQ(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new RabbitMQServerResource(name));
}
