// Union-find over document ids whose root is always the smallest id of its set: 4 bytes per document, path halving, no ranks.
namespace Pharos.Curation.Dedup;

public sealed class UnionFind
{
    readonly int[] _parent;

    public UnionFind(int count)
    {
        _parent = new int[count];
        for (var i = 0; i < count; i++)
            _parent[i] = i;
    }

    public int Count => _parent.Length;

    public int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }
        return x;
    }

    /// <summary>Joins the sets of a and b; the smaller root wins, so the kept document of a cluster is its first by id, whatever the edge order.</summary>
    public void Union(int a, int b)
    {
        var ra = Find(a);
        var rb = Find(b);
        if (ra == rb)
            return;
        if (ra < rb)
            _parent[rb] = ra;
        else
            _parent[ra] = rb;
    }
}
