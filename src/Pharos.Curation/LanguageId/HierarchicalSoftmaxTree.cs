// fastText's hierarchical softmax: the Huffman tree built from label counts and the depth-first best-k search of prediction.
namespace Pharos.Curation.LanguageId;

internal sealed class HierarchicalSoftmaxTree
{
    readonly int[] _left, _right;
    readonly int _osz;

    public HierarchicalSoftmaxTree(long[] counts)
    {
        _osz = counts.Length;
        var n = 2 * _osz - 1;
        _left = new int[n];
        _right = new int[n];
        var count = new long[n];
        Array.Fill(_left, -1);
        Array.Fill(_right, -1);
        Array.Fill(count, (long)1e15);
        Array.Copy(counts, count, _osz);
        // HierarchicalSoftmaxLoss::buildTree: labels are sorted by count (descending), so two cursors make the Huffman tree.
        int leaf = _osz - 1, node = _osz;
        Span<int> mini = stackalloc int[2];
        for (var i = _osz; i < n; i++)
        {
            for (var j = 0; j < 2; j++)
                mini[j] = leaf >= 0 && count[leaf] < count[node] ? leaf-- : node++;
            _left[i] = mini[0];
            _right[i] = mini[1];
            count[i] = count[mini[0]] + count[mini[1]];
        }
    }

    public void Predict(int k, float threshold, List<(float Score, int Label)> heap, float[] hidden, FastTextMatrix output)
    {
        var best = new PriorityQueue<(float Score, int Label), float>();
        Dfs(k, threshold, 2 * _osz - 2, 0f, best, hidden, output);
        while (best.Count > 0)
            heap.Add(best.Dequeue());
    }

    void Dfs(int k, float threshold, int node, float score, PriorityQueue<(float, int), float> heap, float[] hidden, FastTextMatrix output)
    {
        if (score < FastTextModel.StdLog(threshold))
            return;
        if (heap.Count == k && score < heap.Peek().Item1)
            return;
        if (_left[node] == -1 && _right[node] == -1)
        {
            heap.Enqueue((score, node), score);
            if (heap.Count > k)
                heap.Dequeue();
            return;
        }
        var f = output.DotRow(hidden, node - _osz);
        f = (float)(1.0 / (1 + Math.Exp(-f)));
        Dfs(k, threshold, _left[node], score + FastTextModel.StdLog(1f - f), heap, hidden, output);
        Dfs(k, threshold, _right[node], score + FastTextModel.StdLog(f), heap, hidden, output);
    }
}
