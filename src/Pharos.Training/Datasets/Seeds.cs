// Deterministic randomness for data order: every shuffle derives its own seed from the run seed and a purpose,
// so changing one stage (mixing, eval split, epoch order) never shifts another.
namespace Pharos.Training.Datasets;

public static class Seeds
{
    public static int Derive(long seed, string purpose, long index)
    {
        // FNV-1a over (seed, purpose, index): stable across runs and .NET versions, unlike string.GetHashCode.
        ulong h = 14695981039346656037UL;
        void Mix(ulong v) { for (int i = 0; i < 8; i++) { h ^= (v >> (8 * i)) & 0xff; h *= 1099511628211UL; } }
        Mix((ulong)seed);
        foreach (char c in purpose) Mix(c);
        Mix((ulong)index);
        return (int)(h & 0x7fffffff);
    }

    /// <summary>A Fisher–Yates permutation of 0..n-1.</summary>
    public static int[] Permutation(int n, Random rng)
    {
        var p = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
