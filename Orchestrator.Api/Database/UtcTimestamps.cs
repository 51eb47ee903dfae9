namespace Sdp.Orchestrator.Api.Database;

/// <summary>
/// <c>timestamptz</c> columns read into <see cref="DateTime"/> hold UTC; these say so, for the API's offsets.
/// </summary>
public static class UtcTimestamps
{
    public static DateTimeOffset AsUtc(this DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? AsUtc(this DateTime? value) => value is { } v ? v.AsUtc() : null;
}
