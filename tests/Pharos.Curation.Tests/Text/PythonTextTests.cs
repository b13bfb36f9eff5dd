// Python's str.lower() and datatrove's simplify_text, as MinHash shingling needs them: every code point against Python's own table.
using System.Globalization;
using System.Text;
using Pharos.Curation.Text;
using Pharos.Tests;

namespace Pharos.Curation.Tests.Text;

public sealed class PythonTextTests
{
    [Fact]
    public void LowerEqualsPythonForEveryCodePoint()
    {
        var expected = new Dictionary<int, string>();
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Root, "src/Pharos.Curation/Languages/Python/python-lower.tsv")))
        {
            if (line.StartsWith('#'))
                continue;
            var f = line.Split('\t');
            expected[int.Parse(f[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture)] =
                string.Concat(f[1].Split(' ').Select(h => char.ConvertFromUtf32(int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))));
        }
        var wrong = new List<string>();
        for (var cp = 0; cp <= 0x10FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF || cp == 0x3A3)
                continue; // capital sigma depends on its neighbours (below)
            var s = char.ConvertFromUtf32(cp);
            var want = expected.GetValueOrDefault(cp, s);
            if (PyLower.Lower(s) != want)
                wrong.Add($"U+{cp:X4}");
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} code points differ: {string.Join(' ', wrong.Take(40))}");
    }

    [Theory]
    [InlineData("ΟΔΟΣ", "οδος")]            // final sigma: "ΟΔΟΣ".lower() in Python
    [InlineData("ΣΟΦΟΣ ΑΝΘΡΩΠΟΣ.", "σοφος ανθρωπος.")]
    [InlineData("Σ", "σ")]
    [InlineData("AΣ'Σ", "aσ'ς")]
    [InlineData("İstanbul", "i\u0307stanbul")]
    public void LowerAppliesPythonsContextRules(string text, string lower) => Assert.Equal(lower, PyLower.Lower(text));

    [Theory]
    [InlineData("Hello, World! 3.14 and 1,000", "hello world 0 and 0")]
    [InlineData("  ¿Qué tal?  ", "¿que tal")]          // ¿ is not in datatrove's PUNCTUATION
    [InlineData("ሰላም። ደህና", "ሰላም። ደህና")]           // terminal punctuation stays
    [InlineData("a\u00a0\tb", "a b")]
    public void SimplifyMatchesDatatrovesSimplifyText(string text, string simplified) => Assert.Equal(simplified, TextSimplifier.Simplify(text));
}
