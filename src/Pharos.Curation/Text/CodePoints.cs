// Lengths in Unicode code points, as Python's len() counts them: datatrove's ratios use these, not UTF-16 units.
namespace Pharos.Curation.Text;

public static class CodePoints
{
    public static int Count(ReadOnlySpan<char> text)
    {
        var n = text.Length;
        foreach (var c in text)
            if (char.IsLowSurrogate(c))
                n--;
        return n;
    }
}
