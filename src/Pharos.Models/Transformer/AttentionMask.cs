// Builds additive attention masks [B, 1, Tq, Tk] from causality, padding, sliding windows and packed-document ids.
// Disallowed entries get float.MinValue (as transformers does) so fully padded rows stay finite.
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public static class AttentionMask
{
    /// <param name="keyMask">[B, Tk] 1 for real tokens, 0 for padding; null when nothing is padded.</param>
    /// <param name="queryStart">Slot of the first query (tokens already in the cache).</param>
    /// <param name="queryLength">Number of query tokens.</param>
    /// <param name="keyLength">Number of key slots (queryStart + queryLength).</param>
    /// <param name="slidingWindow">If set, a query sees only keys fewer than this many slots behind it.</param>
    /// <param name="documentIds">[B, T] ids of packed documents (no cache); tokens only see their own document.</param>
    public static Tensor Build(Tensor? keyMask, long queryStart, long queryLength, long keyLength, int? slidingWindow,
        Tensor? documentIds, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var q = arange(queryStart, queryStart + queryLength, dtype: int64, device: device).unsqueeze(1);
        var k = arange(0, keyLength, dtype: int64, device: device).unsqueeze(0);
        var allowed = (k <= q).unsqueeze(0).unsqueeze(0); // [1, 1, Tq, Tk]
        if (slidingWindow is int w)
            allowed = allowed.logical_and((q - k < w).unsqueeze(0).unsqueeze(0));
        if (keyMask is not null)
            allowed = allowed.logical_and(keyMask.to(@bool).unsqueeze(1).unsqueeze(1));
        if (documentIds is not null)
            allowed = allowed.logical_and(documentIds.unsqueeze(2).eq(documentIds.unsqueeze(1)).unsqueeze(1));
        var mask = zeros(allowed.shape, dtype, device).masked_fill(allowed.logical_not(), MinValue(dtype));
        return mask.MoveToOuterDisposeScope();
    }

    /// <summary>Decoding mask [R, 1, 1, Tk] for rows that each hold their own sequence from slot 0: the query of row r is
    /// at <paramref name="positions"/>[r] and sees the slots up to it (and, with a window, fewer than that many behind).</summary>
    public static Tensor ForRows(Tensor positions, long keyLength, int? slidingWindow, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var k = arange(0, keyLength, dtype: int64, device: positions.device).unsqueeze(0);
        var allowed = k <= positions;
        if (slidingWindow is int w)
            allowed = allowed.logical_and(positions - k < w);
        var mask = zeros(allowed.shape, dtype, positions.device).masked_fill(allowed.logical_not(), MinValue(dtype));
        return mask.unsqueeze(1).unsqueeze(1).MoveToOuterDisposeScope();
    }

    static double MinValue(ScalarType dtype) =>
        dtype == float16 ? (double)Half.MinValue : dtype == bfloat16 ? -3.3895313892515355e38 : float.MinValue;
}
