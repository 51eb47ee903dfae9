using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Sdp.Orchestrator.Api.Deployments;

/// <summary>An opaque continuation token: clients pass back what they were given.</summary>
public static class PageCursor
{
    private const string Prefix = "before:";

    public static string Encode(long id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + id.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// A page request's <c>limit</c> (1 to <paramref name="maxSize"/>, <paramref name="defaultSize"/> when absent)
    /// and <c>cursor</c>, each wrong one added to <paramref name="errors"/> under its query name.
    /// </summary>
    public static (int PageSize, long? BeforeId) ParsePage(string? limit, string? cursor, int defaultSize, int maxSize,
        Dictionary<string, string[]> errors)
    {
        var pageSize = defaultSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize)
                                  || pageSize is < 1 || pageSize > maxSize))
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {maxSize}."];
        }

        long? beforeId = null;
        if (cursor is not null)
        {
            if (TryDecode(cursor, out var id))
            {
                beforeId = id;
            }
            else
            {
                errors["cursor"] = ["cursor is not one this API handed out."];
            }
        }

        return (pageSize, beforeId);
    }

    public static bool TryDecode(string cursor, out long id)
    {
        id = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                   && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out id);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
