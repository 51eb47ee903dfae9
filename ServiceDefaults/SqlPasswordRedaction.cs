using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps role passwords out of traces: <c>CREATE ROLE … PASSWORD '…'</c> takes no parameters, so the literal (a
/// SCRAM verifier, which lets a server impersonate the role) would otherwise land in the span's query text.
/// </summary>
internal static partial class SqlPasswordRedaction
{
    private static readonly string[] QueryTextTags = ["db.query.text", "db.statement"];

    public static void Redact(Activity activity)
    {
        foreach (var tag in QueryTextTags)
        {
            if (activity.GetTagItem(tag) is string text && text.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase))
            {
                activity.SetTag(tag, PasswordLiteral().Replace(text, "PASSWORD '[redacted]'"));
            }
        }
    }

    [GeneratedRegex(@"PASSWORD\s+'(?:[^']|'')*'", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordLiteral();
}
