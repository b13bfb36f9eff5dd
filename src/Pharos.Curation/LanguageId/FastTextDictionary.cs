// fastText's dictionary: words and labels, pruned n-gram bucket remapping, and the exact tokenisation and hashing of Dictionary::getLine.
using System.Text;

namespace Pharos.Curation.LanguageId;

internal sealed class FastTextDictionary
{
    public const string Eos = "</s>";
    const string Bow = "<", Eow = ">";
    readonly Dictionary<string, int> _ids;
    readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idsBySpan;
    [ThreadStatic] static char[]? t_chars;
    [ThreadStatic] static byte[]? t_word;
    [ThreadStatic] static List<int>? t_hashes;
    readonly string[] _words;
    readonly long[] _counts;
    readonly byte[] _types;
    readonly int[]? _pruneMap; // bucket → kept row (−1: pruned); null when the dictionary is not pruned
    readonly bool _allPruned;
    readonly int[][] _subwords;
    readonly FastTextArgs _args;

    FastTextDictionary(FastTextArgs args, string[] words, long[] counts, byte[] types, int nwords, int nlabels, Dictionary<int, int>? pruneIndex)
    {
        _args = args;
        _words = words;
        _counts = counts;
        _types = types;
        NWords = nwords;
        NLabels = nlabels;
        // A dense bucket → row map (4 B per bucket) instead of a hash map: the lookup runs once per character n-gram.
        if (pruneIndex is not null)
        {
            _allPruned = pruneIndex.Count == 0;
            _pruneMap = new int[Math.Max(args.Bucket, 1)];
            Array.Fill(_pruneMap, -1);
            foreach (var (bucket, row) in pruneIndex)
                if (bucket >= 0 && bucket < _pruneMap.Length)
                    _pruneMap[bucket] = row;
        }
        _ids = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (var i = 0; i < words.Length; i++)
            _ids.TryAdd(words[i], i);
        _idsBySpan = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        // Dictionary::initNgrams: a known word contributes its own row then its character n-grams (not for EOS).
        _subwords = new int[nwords][];
        var buffer = new List<int>();
        for (var i = 0; i < nwords; i++)
        {
            buffer.Clear();
            buffer.Add(i);
            if (words[i] != Eos)
                ComputeSubwords(Encoding.UTF8.GetBytes(Bow + words[i] + Eow), buffer);
            _subwords[i] = [.. buffer];
        }
    }

    public int NWords { get; }
    public int NLabels { get; }
    public bool IsPruned => _pruneMap is not null;

    public string Label(int i) => _words[NWords + i];
    public long LabelCount(int i) => _counts[NWords + i];

    public static FastTextDictionary Read(BinaryReader r, FastTextArgs args)
    {
        var size = r.ReadInt32();
        var nwords = r.ReadInt32();
        var nlabels = r.ReadInt32();
        r.ReadInt64(); // ntokens
        var pruneSize = r.ReadInt64();
        var words = new string[size];
        var counts = new long[size];
        var types = new byte[size];
        var bytes = new List<byte>(64);
        for (var i = 0; i < size; i++)
        {
            bytes.Clear();
            for (byte b; (b = r.ReadByte()) != 0;)
                bytes.Add(b);
            words[i] = Encoding.UTF8.GetString([.. bytes]);
            counts[i] = r.ReadInt64();
            types[i] = r.ReadByte();
        }
        Dictionary<int, int>? prune = null;
        if (pruneSize >= 0)
        {
            prune = new Dictionary<int, int>((int)pruneSize);
            for (long i = 0; i < pruneSize; i++)
            {
                var first = r.ReadInt32();
                prune[first] = r.ReadInt32();
            }
        }
        return new FastTextDictionary(args, words, counts, types, nwords, nlabels, prune);
    }

    /// <summary>Dictionary::hash: FNV-1a over the bytes taken as signed chars (a quirk every fastText model depends on).</summary>
    public static uint Hash(ReadOnlySpan<byte> s)
    {
        var h = 2166136261u;
        foreach (var b in s)
        {
            h ^= (uint)(sbyte)b;
            h *= 16777619u;
        }
        return h;
    }

    /// <summary>Dictionary::getLine for one line (the caller appends the '\n' that python/CLI predict add): input rows to average.</summary>
    public void GetLine(ReadOnlySpan<byte> line, List<int> rows)
    {
        rows.Clear();
        var hashes = t_hashes ??= [];
        hashes.Clear();
        var i = 0;
        // Per-thread buffers: tokens are looked up as char spans and "<word>" is built in place, so nothing is allocated per token.
        while (ReadWord(line, ref i, out var token))
        {
            var h = Hash(token);
            var wid = Lookup(token);
            var isEos = token.SequenceEqual("</s>"u8);
            var isLabel = wid >= 0 ? _types[wid] == 1 : token.StartsWith("__label__"u8);
            if (!isLabel)
            {
                if (wid < 0)
                {
                    if (!isEos)
                        ComputeSubwords(Bracketed(token), rows);
                }
                else if (_args.Maxn <= 0)
                    rows.Add(wid);
                else
                    rows.AddRange(_subwords[wid]);
                hashes.Add(unchecked((int)h));
            }
            if (isEos)
                break;
        }
        AddWordNgrams(rows, hashes);
    }

    int Lookup(ReadOnlySpan<byte> token)
    {
        var chars = t_chars;
        if (chars is null || chars.Length < token.Length)
            t_chars = chars = new char[Math.Max(256, token.Length)];
        var n = Encoding.UTF8.GetChars(token, chars);
        return _idsBySpan.TryGetValue(chars.AsSpan(0, n), out var id) ? id : -1;
    }

    // "<" + token + ">" as bytes, as fastText builds BOW + word + EOW.
    static ReadOnlySpan<byte> Bracketed(ReadOnlySpan<byte> token)
    {
        var buffer = t_word;
        if (buffer is null || buffer.Length < token.Length + 2)
            t_word = buffer = new byte[Math.Max(256, token.Length + 2)];
        buffer[0] = (byte)'<';
        token.CopyTo(buffer.AsSpan(1));
        buffer[token.Length + 1] = (byte)'>';
        return buffer.AsSpan(0, token.Length + 2);
    }

    // Dictionary::readWord: splits on ' ' \n \r \t \v \f \0; a '\n' with no pending word is the EOS token.
    static bool ReadWord(ReadOnlySpan<byte> line, ref int i, out ReadOnlySpan<byte> word)
    {
        var start = -1;
        while (i < line.Length)
        {
            var c = line[i];
            if (c is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\v' or (byte)'\f' or 0)
            {
                if (start < 0)
                {
                    i++;
                    if (c == '\n')
                    {
                        word = "</s>"u8;
                        return true;
                    }
                    continue;
                }
                word = line[start..i]; // the separator stays for the next call (fastText's sungetc on '\n')
                return true;
            }
            if (start < 0)
                start = i;
            i++;
        }
        word = start >= 0 ? line[start..] : default;
        return start >= 0;
    }

    // Dictionary::computeSubwords on the UTF-8 bytes of "<word>": n-grams of minn..maxn code points, except the bare "<" and ">".
    void ComputeSubwords(ReadOnlySpan<byte> word, List<int> rows)
    {
        Span<byte> ngram = stackalloc byte[256];
        for (var i = 0; i < word.Length; i++)
        {
            if ((word[i] & 0xC0) == 0x80)
                continue;
            var len = 0;
            for (int j = i, n = 1; j < word.Length && n <= _args.Maxn; n++)
            {
                if (len >= ngram.Length - 8)
                    break;
                ngram[len++] = word[j++];
                while (j < word.Length && (word[j] & 0xC0) == 0x80)
                    ngram[len++] = word[j++];
                if (n >= _args.Minn && !(n == 1 && (i == 0 || j == word.Length)))
                    PushHash(rows, (int)(Hash(ngram[..len]) % (uint)_args.Bucket));
            }
        }
    }

    // Dictionary::addWordNgrams: hashes are int32 sign-extended into uint64, combined with 116049371.
    void AddWordNgrams(List<int> rows, List<int> hashes)
    {
        for (var i = 0; i < hashes.Count; i++)
        {
            var h = unchecked((ulong)(long)hashes[i]);
            for (var j = i + 1; j < hashes.Count && j < i + _args.WordNgrams; j++)
            {
                h = unchecked(h * 116049371UL + (ulong)(long)hashes[j]);
                PushHash(rows, (int)(h % (ulong)_args.Bucket));
            }
        }
    }

    void PushHash(List<int> rows, int id)
    {
        if (_allPruned || id < 0)
            return;
        if (_pruneMap is not null)
        {
            id = id < _pruneMap.Length ? _pruneMap[id] : -1;
            if (id < 0)
                return;
        }
        rows.Add(NWords + id);
    }
}
