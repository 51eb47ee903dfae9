namespace Sdp.Hosting;

public static class RedisBuilderExtensions
{
    /// <summary>A Redis server run from the machine's binaries (<c>Sdp:RedisBinDirectory</c>).</summary>
    public static IResourceBuilder<RedisResource> AddRedis(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new RedisResource(name));
}
