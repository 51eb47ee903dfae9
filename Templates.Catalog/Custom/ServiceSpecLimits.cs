namespace Sdp.Templates.Catalog.Custom;

/// <summary>
/// The hard limits of a service spec. The JSON Schema publishes them and <see cref="ServiceSpecValidator"/> checks
/// them again, so a spec from a model or a client is bounded before anything is created from it.
/// </summary>
public static class ServiceSpecLimits
{
    /// <summary>
    /// Resource and field names. They become table names, column names, URL segments and JSON members; lower case,
    /// digits and underscores only, so a name is never a path, an SQL fragment or a case-folding surprise.
    /// </summary>
    public const string NamePattern = "^[a-z][a-z0-9_]{0,39}$";

    public const int MaxNameLength = 40;
    public const int MaxResources = 20;
    public const int MaxFieldsPerResource = 30;

    /// <summary>The serialized spec, in UTF-8 bytes. Twenty resources of thirty fields fit in well under this.</summary>
    public const int MaxSpecBytes = 64 * 1024;

    /// <summary>A <c>string</c> field's length when the spec names none.</summary>
    public const int DefaultStringLength = 255;

    /// <summary>The longest <c>string</c> field (it may be indexed, and a B-tree entry must fit a page).</summary>
    public const int MaxStringLength = 1_000;

    /// <summary>The longest <c>text</c> field, and its length when the spec names none.</summary>
    public const int MaxTextLength = 65_536;

    public const int MinTtlSeconds = 1;
    public const int MaxTtlSeconds = 86_400;

    public const int MaxRequestsPerSecond = 10_000;
    public const int MaxBurst = 10_000;

    /// <summary>Violations reported at most; past this one more says how many were left out.</summary>
    public const int MaxViolations = 200;

    /// <summary>Characters of a client's own text a violation message repeats at most.</summary>
    public const int MaxEchoedLength = 40;

    public const string String = "string";
    public const string Text = "text";
    public const string Integer = "integer";
    public const string Number = "number";
    public const string Boolean = "boolean";
    public const string Timestamp = "timestamp";
    public const string Uuid = "uuid";

    /// <summary>The closed list of field types.</summary>
    public static IReadOnlyList<string> FieldTypes { get; } = [String, Text, Integer, Number, Boolean, Timestamp, Uuid];

    /// <summary>The columns every resource has; the service sets them, so a field may not take their names.</summary>
    public static IReadOnlyList<string> ReservedFieldNames { get; } = ["id", "created_at", "updated_at"];

    /// <summary>The longest value of a <c>string</c> or <c>text</c> field; null for the other types.</summary>
    public static int? MaxLengthOf(FieldSpec field) => field.Type switch
    {
        String => field.MaxLength ?? DefaultStringLength,
        Text => field.MaxLength ?? MaxTextLength,
        _ => null,
    };
}
