using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Sdp.Templates.CustomService;

/// <summary>
/// Item ids: UUIDv7 (RFC 9562), strictly increasing within the instance. <c>Guid.CreateVersion7</c> fills the bits
/// after the millisecond with random ones, so two items made in one millisecond could list in either order; here those
/// 12 bits count instead (method 1 of the RFC's section 6.2), so the keyset cursor pages in creation order.
/// </summary>
internal sealed class ItemIds(TimeProvider time)
{
    private const int MaxCounter = 0xFFF;

    private readonly Lock gate = new();
    private long lastMilliseconds = -1;
    private int counter;

    public Guid Next()
    {
        long milliseconds;
        int sequence;
        lock (gate)
        {
            milliseconds = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), lastMilliseconds);
            if (milliseconds == lastMilliseconds)
            {
                if (counter == MaxCounter)
                {
                    // 4,096 ids in one millisecond: borrow the next one; the clock catches up within a millisecond.
                    milliseconds++;
                    counter = 0;
                }
                else
                {
                    counter++;
                }
            }
            else
            {
                counter = 0;
            }

            lastMilliseconds = milliseconds;
            sequence = counter;
        }

        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16);
        bytes[6] = (byte)(0x70 | (sequence >> 8));
        bytes[7] = (byte)sequence;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
