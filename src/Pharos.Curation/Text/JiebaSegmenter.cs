// jieba's default mode (cut_all=False, HMM=True) on one block of Chinese text, with jieba's dictionary and HMM tables.
//
// jieba 0.42: a prefix dictionary gives every position's possible word ends (the DAG); the route of highest summed
// log frequency is found right to left; runs of single characters that are not dictionary words go to an HMM (states
// B, M, E, S) decoded by Viterbi. Ties are broken as Python's max() over (score, candidate) tuples breaks them: the larger
// end position, the later state letter. jieba.NET's segmenter breaks Viterbi ties the other way, so only its data is used.
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pharos.Curation.Text;

internal sealed partial class JiebaSegmenter
{
    const double MinFloat = -3.14e100;
    static readonly Lazy<JiebaSegmenter> Default = new(() => new JiebaSegmenter(Path.Combine(AppContext.BaseDirectory, "Resources")));

    readonly Dictionary<string, long> _freq = new(StringComparer.Ordinal);
    readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    readonly double _logTotal;
    readonly Dictionary<char, Dictionary<char, double>> _emit;
    readonly Dictionary<char, Dictionary<char, double>> _trans;
    // jieba's finalseg/prob_start.py.
    static readonly Dictionary<char, double> Start = new() { ['B'] = -0.26268660809250016, ['E'] = -3.14e+100, ['M'] = -3.14e+100, ['S'] = -1.4652633398537678 };
    static readonly Dictionary<char, string> PrevStatus = new() { ['B'] = "ES", ['M'] = "MB", ['S'] = "SE", ['E'] = "BM" };
    const string States = "BMES";

    public static JiebaSegmenter Instance => Default.Value;

    JiebaSegmenter(string resources)
    {
        long total = 0;
        foreach (var raw in File.ReadLines(Path.Combine(resources, "dict.txt")))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
                continue;
            var parts = line.Split(' ');
            var word = parts[0];
            var freq = long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            _freq[word] = freq;
            total += freq;
            for (var i = 1; i < word.Length; i++)
                _freq.TryAdd(word[..i], 0);
        }
        _lookup = _freq.GetAlternateLookup<ReadOnlySpan<char>>();
        _logTotal = Math.Log(total);
        _emit = Table(Path.Combine(resources, "prob_emit.json"));
        _trans = Table(Path.Combine(resources, "prob_trans.json"));
    }

    static Dictionary<char, Dictionary<char, double>> Table(string path) =>
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, double>>>(File.ReadAllText(path))!
            .ToDictionary(p => p.Key[0], p => p.Value.ToDictionary(q => q.Key[0], q => q.Value));

    /// <summary>jieba's __cut_DAG on a block matched by its re_han: the words as (offset, length) within the block.</summary>
    public void CutBlock(ReadOnlySpan<char> block, List<(int Start, int Length)> words)
    {
        var n = block.Length;
        var route = new (double Score, int End)[n + 1];
        route[n] = (0, 0);
        for (var i = n - 1; i >= 0; i--)
        {
            (double Score, int End) best = (double.NegativeInfinity, -1);
            var any = false;
            for (var end = i; end < n; end++)
            {
                if (!_lookup.TryGetValue(block[i..(end + 1)], out var freq))
                    break;
                if (freq == 0)
                    continue;
                any = true;
                Consider(ref best, Math.Log(freq) - _logTotal + route[end + 1].Score, end);
            }
            if (!any)
                Consider(ref best, Math.Log(Freq(block[i..(i + 1)]) is var f && f > 0 ? f : 1) - _logTotal + route[i + 1].Score, i);
            route[i] = best;
        }
        var bufStart = -1;
        for (var x = 0; x < n;)
        {
            var y = route[x].End + 1;
            if (y - x == 1)
            {
                if (bufStart < 0)
                    bufStart = x;
            }
            else
            {
                Flush(block, ref bufStart, x, words);
                words.Add((x, y - x));
            }
            x = y;
        }
        Flush(block, ref bufStart, n, words);
    }

    long Freq(ReadOnlySpan<char> word) => _lookup.TryGetValue(word, out var f) ? f : 0;

    // Python's max over (score, end): the higher score, then the larger end.
    static void Consider(ref (double Score, int End) best, double score, int end)
    {
        if (score > best.Score || (score == best.Score && end > best.End))
            best = (score, end);
    }

    // A run of single characters: one character alone; a dictionary word as its characters; otherwise the HMM's words.
    void Flush(ReadOnlySpan<char> block, ref int bufStart, int end, List<(int Start, int Length)> words)
    {
        if (bufStart < 0)
            return;
        var buf = block[bufStart..end];
        if (buf.Length == 1)
            words.Add((bufStart, 1));
        else if (Freq(buf) == 0)
            FinalSeg(buf, bufStart, words);
        else
            for (var i = 0; i < buf.Length; i++)
                words.Add((bufStart + i, 1));
        bufStart = -1;
    }

    [GeneratedRegex("[\u4E00-\u9FD5]+")] private static partial Regex HanRun();
    [GeneratedRegex(@"[a-zA-Z0-9]+(?:\.\d+)?%?")] private static partial Regex Skip();

    // finalseg.cut: Han runs through Viterbi; between them, runs of letters/digits (with a decimal part, a %) and the rest.
    void FinalSeg(ReadOnlySpan<char> text, int offset, List<(int Start, int Length)> words)
    {
        var s = text.ToString();
        var at = 0;
        foreach (Match m in HanRun().Matches(s))
        {
            Other(s, at, m.Index, offset, words);
            Viterbi(s.AsSpan(m.Index, m.Length), offset + m.Index, words);
            at = m.Index + m.Length;
        }
        Other(s, at, s.Length, offset, words);
    }

    static void Other(string s, int from, int to, int offset, List<(int Start, int Length)> words)
    {
        if (from >= to)
            return;
        var at = from;
        foreach (Match m in Skip().Matches(s[..to], from))
        {
            if (m.Index > at)
                words.Add((offset + at, m.Index - at));
            words.Add((offset + m.Index, m.Length));
            at = m.Index + m.Length;
        }
        if (at < to)
            words.Add((offset + at, to - at));
    }

    void Viterbi(ReadOnlySpan<char> obs, int offset, List<(int Start, int Length)> words)
    {
        var n = obs.Length;
        var v = new Dictionary<char, double>[n];
        var back = new Dictionary<char, char>[n];
        v[0] = [];
        foreach (var y in States)
            v[0][y] = Start[y] + _emit[y].GetValueOrDefault(obs[0], MinFloat);
        for (var t = 1; t < n; t++)
        {
            v[t] = [];
            back[t] = [];
            foreach (var y in States)
            {
                var em = _emit[y].GetValueOrDefault(obs[t], MinFloat);
                (double Prob, char State) best = (double.NegativeInfinity, '\0');
                foreach (var y0 in PrevStatus[y])
                {
                    var prob = v[t - 1][y0] + _trans[y0].GetValueOrDefault(y, MinFloat) + em;
                    if (prob > best.Prob || (prob == best.Prob && y0 > best.State))
                        best = (prob, y0);
                }
                v[t][y] = best.Prob;
                back[t][y] = best.State;
            }
        }
        var state = v[n - 1]['S'] >= v[n - 1]['E'] ? 'S' : 'E';
        var path = new char[n];
        for (var t = n - 1; t >= 0; t--)
        {
            path[t] = state;
            if (t > 0)
                state = back[t][state];
        }
        int begin = 0, next = 0;
        for (var i = 0; i < n; i++)
        {
            if (path[i] == 'B')
                begin = i;
            else if (path[i] == 'E')
            {
                words.Add((offset + begin, i + 1 - begin));
                next = i + 1;
            }
            else if (path[i] == 'S')
            {
                words.Add((offset + i, 1));
                next = i + 1;
            }
        }
        if (next < n)
            words.Add((offset + next, n - next));
    }
}
