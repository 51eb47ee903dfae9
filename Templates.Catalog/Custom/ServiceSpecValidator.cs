using System.Text;
using System.Text.Json;

namespace Sdp.Templates.Catalog.Custom;

/// <summary>
/// Checks a service spec against <see cref="ServiceSpecLimits"/>, the same rules the JSON Schema publishes. It walks
/// the whole document and reports every violation (up to <see cref="ServiceSpecLimits.MaxViolations"/>), so a client
/// or a model repairing its answer sees all of them at once. Unknown properties are refused: a misspelt
/// <c>"indexd"</c> would otherwise be silently ignored. Messages repeat at most a short prefix of the input.
/// </summary>
public static class ServiceSpecValidator
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public static ServiceSpecValidation Validate(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        // Counting bytes first: a megabyte of spec is refused before it is parsed.
        var bytes = json.Length > ServiceSpecLimits.MaxSpecBytes ? int.MaxValue : Encoding.UTF8.GetByteCount(json);
        if (bytes > ServiceSpecLimits.MaxSpecBytes)
        {
            return Oversize();
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            return new ServiceSpecValidation(null, [new SpecViolation("", "The spec is not valid JSON: " + e.Message)]);
        }

        using (document)
        {
            return Walk(document.RootElement);
        }
    }

    public static ServiceSpecValidation Validate(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Undefined)
        {
            return new ServiceSpecValidation(null, [new SpecViolation("", "The spec is missing.")]);
        }

        return Encoding.UTF8.GetByteCount(json.GetRawText()) > ServiceSpecLimits.MaxSpecBytes ? Oversize() : Walk(json);
    }

    private static ServiceSpecValidation Oversize() => new(null,
        [new SpecViolation("", $"The spec is larger than {ServiceSpecLimits.MaxSpecBytes} bytes of UTF-8 JSON.")]);

    private static ServiceSpecValidation Walk(JsonElement root)
    {
        var walk = new SpecWalk();
        var spec = walk.Spec(root);
        var violations = walk.Violations;
        if (walk.Dropped > 0)
        {
            violations.Add(new SpecViolation("", $"… and {walk.Dropped} more violations."));
        }

        return violations.Count == 0 && spec is not null
            ? new ServiceSpecValidation(spec, [])
            : new ServiceSpecValidation(null, violations);
    }

    /// <summary>A short, escaped rendering of client text for a message: never more than a bounded prefix.</summary>
    internal static string Quote(string value)
    {
        var cut = value.Length > ServiceSpecLimits.MaxEchoedLength;
        var prefix = cut ? value[..ServiceSpecLimits.MaxEchoedLength] : value;
        if (cut && char.IsHighSurrogate(prefix[^1]))
        {
            prefix = prefix[..^1];
        }

        // JSON-escaped: quotes, control characters and anything outside ASCII come out as escapes, not as themselves.
        var escaped = JsonSerializer.Serialize(prefix);
        return cut ? escaped[..^1] + "…\"" : escaped;
    }

    /// <summary>One JSON pointer token, escaped (RFC 6901) and bounded like a message's quote.</summary>
    internal static string PointerToken(string name)
    {
        var bounded = name.Length > ServiceSpecLimits.MaxEchoedLength ? name[..ServiceSpecLimits.MaxEchoedLength] + "…" : name;
        var builder = new StringBuilder(bounded.Length);
        foreach (var c in bounded)
        {
            _ = c switch
            {
                '~' => builder.Append("~0"),
                '/' => builder.Append("~1"),
                _ when char.IsControl(c) => builder.Append('?'),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    /// <summary>
    /// <see cref="ServiceSpecLimits.NamePattern"/>, checked by hand: .NET's <c>$</c> also matches before a final
    /// newline, which would let <c>"users\n"</c> through.
    /// </summary>
    public static bool IsName(string value) =>
        value.Length is > 0 and <= ServiceSpecLimits.MaxNameLength
        && char.IsAsciiLetterLower(value[0])
        && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
