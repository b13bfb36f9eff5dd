// Packs n-grams of small integers (token ids, code points) into 64- or 128-bit keys, one fixed-width lane per unit.
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Pharos.Eval.Metrics;

internal static class NGramKeys
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TKey Lane<TKey>(int unit) where TKey : unmanaged
    {
        if (typeof(TKey) == typeof(ulong))
        {
            var v = (ulong)(uint)unit;
            return Unsafe.As<ulong, TKey>(ref v);
        }
        var w = (UInt128)(uint)unit;
        return Unsafe.As<UInt128, TKey>(ref w);
    }

    /// <summary>units[start..start+n] with `bits` per lane; units are ≥ 1 so the order is implied by the key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TKey Build<TKey>(ReadOnlySpan<int> units, int start, int n, int bits)
        where TKey : unmanaged, IBitwiseOperators<TKey, TKey, TKey>, IShiftOperators<TKey, int, TKey>
    {
        var key = default(TKey);
        for (var k = 0; k < n; k++)
            key |= Lane<TKey>(units[start + k]) << (bits * k);
        return key;
    }
}
