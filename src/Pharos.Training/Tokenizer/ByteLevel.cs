// GPT-2's byte-level alphabet (each byte shown as a printable char, space → 'Ġ') and its pre-tokenization regex,
// as tokenizers' ByteLevel pre-tokenizer uses them.
using System.Text;
using System.Text.RegularExpressions;

namespace Pharos.Training.Tokenizer;

public static class ByteLevel
{
    public static readonly Regex Split = new(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.Compiled);

    /// <summary>ByteToChar[b] is the printable char standing for byte b.</summary>
    public static readonly char[] ByteToChar = BuildMap();
    static readonly Dictionary<char, byte> CharToByte = ByteToChar.Select((c, b) => (c, b)).ToDictionary(x => x.c, x => (byte)x.b);

    static char[] BuildMap()
    {
        var map = new char[256];
        var printable = new bool[256];
        for (int b = '!'; b <= '~'; b++) printable[b] = true;
        for (int b = 0xA1; b <= 0xAC; b++) printable[b] = true;
        for (int b = 0xAE; b <= 0xFF; b++) printable[b] = true;
        int next = 0;
        for (int b = 0; b < 256; b++)
            map[b] = printable[b] ? (char)b : (char)(256 + next++);
        return map;
    }

    public static string Encode(string piece)
    {
        var bytes = Encoding.UTF8.GetBytes(piece);
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>Back from mapped chars to bytes; chars outside the alphabet are kept as their UTF-8.</summary>
    public static void DecodeInto(string mapped, List<byte> output)
    {
        foreach (char c in mapped)
        {
            if (CharToByte.TryGetValue(c, out var b)) output.Add(b);
            else output.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
        }
    }

    public static IEnumerable<string> PreTokenize(string text)
    {
        foreach (Match m in Split.Matches(text)) yield return Encode(m.Value);
    }
}
