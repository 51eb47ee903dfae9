using System.Buffers.Binary;
using System.Text;

namespace Sdp.Observability.Tests.Infrastructure;

/// <summary>Writes protobuf's wire format by hand, to build OTLP exports the way an exporter would.</summary>
public static class Protobuf
{
    public static byte[] Message(params byte[][] fields) => [.. fields.SelectMany(f => f)];

    public static byte[] Varint(int field, ulong value) => [.. Tag(field, 0), .. VarintBytes(value)];

    public static byte[] Fixed64(int field, ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return [.. Tag(field, 1), .. bytes];
    }

    public static byte[] Bytes(int field, byte[] value) => [.. Tag(field, 2), .. VarintBytes((ulong)value.Length), .. value];

    public static byte[] String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>KeyValue { string key = 1; AnyValue value = 2 { string string_value = 1; } }.</summary>
    public static byte[] KeyValue(string key, string value) => Message(String(1, key), Bytes(2, String(1, value)));

    private static byte[] Tag(int field, int wireType) => VarintBytes((ulong)((field << 3) | wireType));

    private static byte[] VarintBytes(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}
