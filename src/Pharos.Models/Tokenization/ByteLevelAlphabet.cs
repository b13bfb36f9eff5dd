// GPT-2's byte-to-unicode table: every byte gets a printable character so byte-level BPE vocabularies are plain strings.
namespace Pharos.Models.Tokenization;

internal static class ByteLevelAlphabet
{
    /// <summary>Character standing for each byte value.</summary>
    public static readonly char[] ByteToChar = Build();

    /// <summary>Byte value for each table character; -1 for characters outside the table.</summary>
    public static readonly short[] CharToByte = Reverse(ByteToChar);

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        return string.Create(bytes.Length, bytes.ToArray(), static (span, b) =>
        {
            for (var i = 0; i < b.Length; i++)
                span[i] = ByteToChar[b[i]];
        });
    }

    static char[] Build()
    {
        // Printable Latin-1 bytes keep their own character; the rest (controls, space, 0x7F-0xA0, 0xAD) map to 256 + n, as in GPT-2's encoder.py.
        var map = new char[256];
        var n = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)(256 + n++);
        }
        return map;
    }

    static short[] Reverse(char[] map)
    {
        var reverse = new short[512];
        Array.Fill(reverse, (short)-1);
        for (var b = 0; b < 256; b++)
            reverse[map[b]] = (short)b;
        return reverse;
    }
}
