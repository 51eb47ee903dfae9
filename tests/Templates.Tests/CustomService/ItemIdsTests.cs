using Sdp.Templates.CustomService;

namespace Sdp.Templates.Tests.CustomService;

/// <summary>Item ids page in creation order: UUIDv7, increasing as PostgreSQL compares them, even within one millisecond.</summary>
public sealed class ItemIdsTests
{
    [Fact]
    public void Ids_made_in_one_millisecond_and_past_its_counter_still_increase()
    {
        var ids = new ItemIds(new FrozenClock());

        var made = Enumerable.Range(0, 10_000).Select(_ => ids.Next()).ToList();

        // PostgreSQL orders uuids by their bytes in RFC order, as big-endian bytes compare.
        var bytes = made.Select(id => Convert.ToHexString(id.ToByteArray(bigEndian: true))).ToList();
        Assert.Equal(bytes.Order(StringComparer.Ordinal), bytes);
        Assert.Equal(made.Count, bytes.Distinct().Count());
        Assert.All(made, id => Assert.Equal(7, id.Version));
        Assert.All(made, id => Assert.Equal(0b10, id.Variant >> 2));
    }

    [Fact]
    public void An_id_carries_the_millisecond_it_was_made_in()
    {
        var clock = new FrozenClock();

        var id = new ItemIds(clock).Next();

        var milliseconds = Convert.ToInt64(Convert.ToHexString(id.ToByteArray(bigEndian: true))[..12], 16);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), milliseconds);
    }

    private sealed class FrozenClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 12, 2, 14, 0, 0, 123, TimeSpan.Zero);
    }
}
