using System.IO.Compression;
using System.Text;

namespace Sdp.Templates.Catalog.Custom;

/// <summary>
/// How a spec reaches the generic service: in its environment, as JSON or, when large, gzipped. The provisioner writes
/// it with <see cref="For"/>; the service reads it back with <see cref="Read"/> and validates it again before it starts.
/// </summary>
public static class ServiceSpecEnvironment
{
    /// <summary>The spec as JSON (snake_case).</summary>
    public const string Json = "SERVICE_SPEC";

    /// <summary>The spec's JSON, gzipped and base64-encoded: for a spec too large for <see cref="Json"/>.</summary>
    public const string Gzip = "SERVICE_SPEC_GZIP";

    /// <summary>
    /// Specs whose JSON is larger than this travel gzipped. Cloud Run takes at most 32 KiB for one variable's value (and
    /// functions 32 KiB for all of them together), while a spec may be 64 KiB; half the budget leaves room for the
    /// connection strings beside it. A spec's JSON repeats its keys, so it shrinks to a fraction of itself.
    /// </summary>
    public const int PlainJsonMaxBytes = 16 * 1024;

    /// <summary>The most the gzipped form may take; a spec that does not fit is refused rather than truncated.</summary>
    public const int MaxValueBytes = 24 * 1024;

    /// <summary>The one variable carrying <paramref name="spec"/>, in the form its size calls for.</summary>
    /// <exception cref="ArgumentException">Even gzipped, the spec exceeds <see cref="MaxValueBytes"/>.</exception>
    public static KeyValuePair<string, string> For(ServiceSpec spec)
    {
        var json = Encoding.UTF8.GetBytes(ServiceSpecJson.Serialize(spec));
        if (json.Length <= PlainJsonMaxBytes)
        {
            return KeyValuePair.Create(Json, Encoding.UTF8.GetString(json));
        }

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(json);
        }

        var encoded = Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
        return encoded.Length <= MaxValueBytes
            ? KeyValuePair.Create(Gzip, encoded)
            : throw new ArgumentException(
                $"The spec takes {encoded.Length} bytes even gzipped; a service's environment holds at most {MaxValueBytes}.", nameof(spec));
    }

    /// <summary>The spec in <paramref name="environment"/>, validated; a violation when it is missing, unreadable or invalid.</summary>
    public static ServiceSpecValidation Read(IReadOnlyDictionary<string, string> environment)
    {
        if (environment.TryGetValue(Json, out var json) && !string.IsNullOrWhiteSpace(json))
        {
            return ServiceSpecValidator.Validate(json);
        }

        if (environment.TryGetValue(Gzip, out var compressed) && !string.IsNullOrWhiteSpace(compressed))
        {
            return Decompress(compressed) is { } decompressed
                ? ServiceSpecValidator.Validate(decompressed)
                : new ServiceSpecValidation(null, [new SpecViolation("", $"{Gzip} is not gzipped JSON in base64.")]);
        }

        return new ServiceSpecValidation(null, [new SpecViolation("", $"Neither {Json} nor {Gzip} is set.")]);
    }

    /// <summary>Inflates at most one byte past the spec limit, so a small value cannot expand into a large one.</summary>
    private static string? Decompress(string base64)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(base64)), CompressionMode.Decompress);
            var buffer = new byte[ServiceSpecLimits.MaxSpecBytes + 1];
            var read = 0;
            int last;
            while (read < buffer.Length && (last = gzip.Read(buffer, read, buffer.Length - read)) > 0)
            {
                read += last;
            }

            // Over the limit: a string just past it, which the validator refuses as oversize.
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            return null;
        }
    }
}
