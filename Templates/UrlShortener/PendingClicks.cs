namespace Sdp.Templates.UrlShortener;

/// <summary>
/// Clicks counted in memory and not yet added to PostgreSQL. A redirect only increments a number here;
/// <see cref="ClickFlusher"/> moves the counts to the database in batches, and a read of one code moves
/// that code's count first, so what is read is complete.
/// </summary>
internal sealed class PendingClicks
{
    private readonly Lock gate = new();
    private Dictionary<string, long> pending = new(StringComparer.Ordinal);

    public void Add(string code)
    {
        lock (gate)
        {
            pending[code] = pending.GetValueOrDefault(code) + 1;
        }
    }

    public long Take(string code)
    {
        lock (gate)
        {
            return pending.Remove(code, out var count) ? count : 0;
        }
    }

    public Dictionary<string, long> TakeAll()
    {
        lock (gate)
        {
            var taken = pending;
            pending = new Dictionary<string, long>(StringComparer.Ordinal);
            return taken;
        }
    }

    /// <summary>Gives back counts whose write failed, so they are written later instead of lost.</summary>
    public void Restore(IReadOnlyDictionary<string, long> counts)
    {
        lock (gate)
        {
            foreach (var (code, count) in counts)
            {
                pending[code] = pending.GetValueOrDefault(code) + count;
            }
        }
    }
}
