using Sdp.Templates.Catalog.Custom;
using Sdp.Templates.CustomService;

namespace Sdp.Templates.Tests.Custom;

/// <summary>How a spec travels in a service's environment, and that the generic service refuses to start without a valid one.</summary>
public sealed class ServiceSpecEnvironmentTests
{
    [Fact]
    public void A_small_spec_travels_as_plain_json()
    {
        var (name, value) = ServiceSpecEnvironment.For(ServiceSpecExamples.ChatSystem);

        Assert.Equal(ServiceSpecEnvironment.Json, name);
        Assert.Equal(ServiceSpecJson.Serialize(ServiceSpecExamples.ChatSystem), value);
    }

    [Fact]
    public void A_large_spec_travels_gzipped_within_cloud_runs_limit_and_reads_back_the_same()
    {
        var spec = Largest();
        Assert.True(ServiceSpecJson.Serialize(spec).Length > ServiceSpecEnvironment.PlainJsonMaxBytes);

        var (name, value) = ServiceSpecEnvironment.For(spec);
        var read = ServiceSpecEnvironment.Read(new Dictionary<string, string> { [name] = value });

        Assert.Equal(ServiceSpecEnvironment.Gzip, name);
        Assert.True(value.Length <= ServiceSpecEnvironment.MaxValueBytes, $"{value.Length} bytes");
        Assert.True(read.IsValid, string.Join("; ", read.Violations));
        Assert.Equal(ServiceSpecJson.Serialize(spec), ServiceSpecJson.Serialize(read.Spec!));
    }

    [Fact]
    public void A_gzip_bomb_is_refused_as_oversize_not_inflated()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(new byte[50 * 1024 * 1024]);
        }

        var read = ServiceSpecEnvironment.Read(new Dictionary<string, string>
        {
            [ServiceSpecEnvironment.Gzip] = Convert.ToBase64String(buffer.ToArray()),
        });

        Assert.Contains("larger than", Assert.Single(read.Violations).Message);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("SERVICE_SPEC", "{\"resources\":[{\"name\":\"../etc\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}]}")]
    [InlineData("SERVICE_SPEC", "{not json")]
    [InlineData("SERVICE_SPEC_GZIP", "not base64!")]
    public void The_generic_service_refuses_to_start_on_a_missing_or_invalid_spec(string? name, string? value)
    {
        var environment = new Dictionary<string, string>();
        if (name is not null)
        {
            environment[name] = value!;
        }

        var refused = Assert.Throws<InvalidOperationException>(() => CustomServiceApp.ReadSpec(environment));

        Assert.StartsWith("The service spec is invalid: ", refused.Message);
    }

    /// <summary>Twenty resources of thirty fields with long names: near the largest spec the 64 KiB limit allows.</summary>
    private static ServiceSpec Largest() => new([.. Enumerable.Range(0, ServiceSpecLimits.MaxResources).Select(r =>
        new ResourceSpec($"resource_{r:D2}_" + new string('r', 28),
            [.. Enumerable.Range(0, ServiceSpecLimits.MaxFieldsPerResource).Select(f =>
                new FieldSpec($"field_{f:D2}_" + new string('f', 16), ServiceSpecLimits.String, MaxLength: 1000))],
            new CacheSpec(60), new RateLimitSpec(100, 200)))]);
}
