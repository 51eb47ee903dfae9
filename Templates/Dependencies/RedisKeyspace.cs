namespace Sdp.Templates.Dependencies;

/// <summary>
/// The candidate's part of the shared Redis: every key starts with <see cref="Prefix"/>, the only prefix
/// its ACL user may touch (e.g. <c>sub:42:</c>).
/// </summary>
public sealed record RedisKeyspace(string Prefix)
{
    public string Key(string name) => string.Concat(Prefix, name);
}
