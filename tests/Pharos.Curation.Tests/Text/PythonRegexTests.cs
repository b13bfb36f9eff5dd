// Python `re` patterns translated to .NET keep Python's meaning: whole code points above U+FFFF, Python's \w, named groups, inline flags.
using System.Text.RegularExpressions;
using Pharos.Curation.Text.SpaCy;

namespace Pharos.Curation.Tests.Text;

public sealed class PythonRegexTests
{
    // Python 3.14's \w, \d, \s as exported in the shipped spaCy data.
    static readonly PythonRegex Translator = SpacyData.Translator;

    static Regex Compile(string pattern, int flags = 32)
    {
        var (p, options) = Translator.Translate(pattern, flags);
        return new Regex(p, options);
    }

    [Fact]
    public void ClassesMatchWholeCodePointsAboveTheBmp()
    {
        var emoji = Compile(@"^[\U0001F600-\U0001F64F]+$");
        Assert.Matches(emoji, "😀😃");
        Assert.DoesNotMatch(emoji, "a😀");
        // A negated class and "." take the pair together: one match of length 2, never half of it.
        Assert.Equal("😀", Compile(@"[^a]").Match("😀").Value);
        Assert.Equal("😀", Compile(@"^.").Match("😀x").Value);
        Assert.Equal("𠀀", Compile("^[𠀀-𪛟]").Match("𠀀x").Value);
    }

    [Fact]
    public void WordCharactersArePythons()
    {
        // A combining acute accent is \w in .NET but not in Python (str.isalnum() is false).
        Assert.DoesNotMatch(Compile(@"^\w$"), "\u0301");
        Assert.Matches(Compile(@"^\w+$"), "Straße_42");
        Assert.Matches(Compile(@"^\d$"), "٣");
        Assert.Matches(Compile(@"^\s$"), "\u001c");
        Assert.Matches(Compile(@"\bcat\b"), "a cat.");
        Assert.DoesNotMatch(Compile(@"\bcat\b"), "concatenate");
    }

    [Fact]
    public void GroupsFlagsAndAnchorsTranslate()
    {
        Assert.Equal("aab", Compile(@"(?P<x>a)(?P=x)?b").Match("aab").Value);
        Assert.Equal("a", Compile(@"(?P<x>a)(?P=x)?b").Match("aab").Groups["x"].Value);
        Assert.Matches(Compile(@"(?i)^ABC$"), "abc");
        Assert.Matches(Compile(@"^a(?i:B)c$"), "abc");
        Assert.DoesNotMatch(Compile(@"^a(?i:B)c$"), "abC");
        Assert.Matches(Compile(@"(?u)x{2,3}\Z"), "axx");
        Assert.DoesNotMatch(Compile(@"x\Z"), "x\n");
        Assert.Matches(Compile(@"x$"), "x\n"); // Python's $ also matches before a final newline, as .NET's does
        Assert.Matches(Compile(@"^[\-\]a]+$"), "-]a");
        Assert.Matches(Compile(@"(?<=[0-9])%$"), "5%");
    }

    [Fact]
    public void RequiredCodePointsComeFromThePatternsShape()
    {
        // Each alternative needs a hyphen or an apostrophe (French token_match's shape); the letters are not needed.
        var needs = Translator.RequiredCodePoints(@"(?iu)(?:^ab[-–]cd[a-z]+$)|(?:^x?['’]y$)|(?:^[a-z]+(?:-|‑)z$)", 34)!;
        foreach (var c in "-–'’‑")
            Assert.True(needs.Contains(c), c.ToString());
        Assert.False(needs.Contains('a'));
        Assert.False(needs.Contains('y'));
        // Under IGNORECASE a required letter brings its other cases, as .NET matches them (K also matches the Kelvin sign).
        var letter = Translator.RequiredCodePoints(@"(?i)^k", 2)!;
        Assert.True(letter.Contains('k') && letter.Contains('K') && letter.Contains('\u212A'));
        Assert.Null(Translator.RequiredCodePoints(@"a-b|c?", 32));    // an alternative that needs nothing
        Assert.Null(Translator.RequiredCodePoints(@"(?:a|b?)c?", 32)); // a group that can match nothing
    }

    [Fact]
    public void SuffixLastCodePointsComeFromThePatternsShape()
    {
        var last = Translator.LastCodePoints(@"…$|,$|(?<=[0-9])km$|\.\.+$|[\)\]]$|(?<=[a-z])'s$", 32)!;
        foreach (var c in "…,m.)]s")
            Assert.True(last.Contains(c), c.ToString());
        Assert.False(last.Contains('x'));
        var grouped = Translator.LastCodePoints(@"a$|(?:b|c)$", 32)!;   // a group at the end: its alternatives' last code points
        Assert.True(grouped.Contains('a') && grouped.Contains('b') && grouped.Contains('c'));
        Assert.False(grouped.Contains('d'));
        Assert.Null(Translator.LastCodePoints(@"a$|(?:b|c?)$", 32));  // a group that can match nothing: unknown
        Assert.Null(Translator.LastCodePoints(@"a$|b?$", 32));        // optional: the atom before it could end the match
        Assert.Null(Translator.LastCodePoints(@"a$|b", 32));          // not anchored
        var caseless = Translator.LastCodePoints(@"(?i)a$", 2)!;       // IGNORECASE: the other case too
        Assert.True(caseless.Contains('a') && caseless.Contains('A'));
        Assert.False(caseless.Contains('b'));
    }
}
