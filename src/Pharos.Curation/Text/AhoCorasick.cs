// Aho-Corasick automaton over many patterns: one pass over the text finds whether any pattern occurs (banned URL subwords).
namespace Pharos.Curation.Text;

public sealed class AhoCorasick
{
    readonly List<Dictionary<char, int>> _next = [new()];
    readonly List<int> _fail = [0];
    readonly List<int> _match = [-1]; // index of a pattern ending here (or reachable by failure links), else -1
    readonly string[] _patterns;

    public AhoCorasick(IEnumerable<string> patterns)
    {
        _patterns = [.. patterns.Where(p => p.Length > 0)];
        for (var p = 0; p < _patterns.Length; p++)
        {
            var node = 0;
            foreach (var c in _patterns[p])
            {
                if (!_next[node].TryGetValue(c, out var child))
                {
                    child = _next.Count;
                    _next.Add([]);
                    _fail.Add(0);
                    _match.Add(-1);
                    _next[node][c] = child;
                }
                node = child;
            }
            if (_match[node] < 0)
                _match[node] = p;
        }
        // Breadth-first: each node's failure link is the longest proper suffix that is also a trie path.
        var queue = new Queue<int>(_next[0].Values);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var (c, child) in _next[node])
            {
                var f = _fail[node];
                while (f > 0 && !_next[f].ContainsKey(c))
                    f = _fail[f];
                _fail[child] = _next[f].TryGetValue(c, out var target) && target != child ? target : 0;
                if (_match[child] < 0)
                    _match[child] = _match[_fail[child]];
                queue.Enqueue(child);
            }
        }
    }

    public int PatternCount => _patterns.Length;

    /// <summary>The first pattern found in <paramref name="text"/> (by end position), or null.</summary>
    public string? FindFirst(ReadOnlySpan<char> text)
    {
        var node = 0;
        foreach (var c in text)
        {
            while (node > 0 && !_next[node].ContainsKey(c))
                node = _fail[node];
            node = _next[node].GetValueOrDefault(c);
            if (_match[node] >= 0)
                return _patterns[_match[node]];
        }
        return null;
    }
}
