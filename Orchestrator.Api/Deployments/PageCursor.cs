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
