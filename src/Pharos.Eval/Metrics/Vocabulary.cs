// Maps token spans to small integer ids without allocating a string per lookup; ids only need to agree within one segment.
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics;

internal sealed class Vocabulary
{
    readonly Dictionary<string, int> _ids = new(FastOrdinalComparer.Instance);
    readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public Vocabulary() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Id(ReadOnlySpan<char> token)
    {
        if (_lookup.TryGetValue(token, out var id))
            return id;
        // A corpus rarely has more than a few hundred thousand types; starting over keeps memory bounded
        // on huge inputs without changing any result (ids are compared within one segment only).
        if (_ids.Count >= 4_000_000)
            _ids.Clear();
        id = _ids.Count + 1;
        _lookup[token] = id;
        return id;
    }

    /// <summary>Python's str.split(): appends the id of every whitespace-separated token.</summary>
    public void SplitToIds(ReadOnlySpan<char> text, List<int> ids)
    {
        ids.Clear();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && PythonText.IsSpace(text[i]))
                i++;
            var start = i;
            while (i < text.Length && !PythonText.IsSpace(text[i]))
                i++;
            if (i > start)
                ids.Add(Id(text[start..i]));
        }
    }
}
