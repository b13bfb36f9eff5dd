// Turns texts into COMET's encoder inputs: "<s> pieces </s>" per text (truncated as COMET truncates), the unified
// metric's joined "<s> mt </s></s> src </s>…" sequences, and length-sorted padded batches of distinct inputs.
using Pharos.Eval.Comet.XlmRoberta;
using static TorchSharp.torch;

namespace Pharos.Eval.Comet;

public sealed class CometInputs
{
    readonly XlmRobertaTokenizer _tokenizer;
    readonly int _maxPositions;
    readonly Device _device;

    public CometInputs(XlmRobertaTokenizer tokenizer, int maxPositions, Device device)
    {
        _tokenizer = tokenizer;
        _maxPositions = maxPositions;
        _device = device;
    }

    /// <summary>One text as COMET's encoder.prepare_sample tokenizes it (max_length = max_positions − 2).</summary>
    public int[] Single(string text) => _tokenizer.Encode(text, _maxPositions - 2);

    /// <summary>
    /// COMET's concat_sequences: each part tokenized alone, then joined as "&lt;s&gt; a &lt;/s&gt;&lt;/s&gt; b &lt;/s&gt;…";
    /// when the parts' pieces exceed max_positions − (1 + 2·parts), the joined ids are cut to max_positions.
    /// </summary>
    public int[] Joint(IReadOnlyList<string> parts)
    {
        var encoded = parts.Select(Single).ToList();
        var joined = new List<int>(encoded[0]);
        for (int j = 1; j < encoded.Count; j++)
        {
            joined.RemoveAt(joined.Count - 1);
            joined.Add(XlmRobertaTokenizer.SepId);
            joined.Add(XlmRobertaTokenizer.SepId);
            joined.AddRange(encoded[j].AsSpan(1, encoded[j].Length - 2).ToArray());
            joined.Add(XlmRobertaTokenizer.SepId);
        }
        int pieces = encoded.Sum(e => e.Length - 2);
        if (pieces > _maxPositions - (1 + 2 * encoded.Count) && joined.Count > _maxPositions)
            joined.RemoveRange(_maxPositions, joined.Count - _maxPositions);
        return joined.ToArray();
    }

    /// <summary>Sentence embeddings of every distinct text, computed once each in length-sorted batches.</summary>
    public UniqueEmbeddings EncodeUnique(IReadOnlyList<string> texts, int batchSize, Func<Tensor, Tensor, Tensor> embed, Action<double>? onProgress)
    {
        var rowOf = new int[texts.Count];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var distinct = new List<int[]>();
        for (int i = 0; i < texts.Count; i++)
        {
            if (!index.TryGetValue(texts[i], out int row))
            {
                row = distinct.Count;
                index.Add(texts[i], row);
                distinct.Add(Single(texts[i]));
            }
            rowOf[i] = row;
        }
        var rows = RunSorted(distinct, batchSize, embed, onProgress);
        return new UniqueEmbeddings(rows, rowOf);
    }

    /// <summary>One score per sequence; equal sequences are scored once.</summary>
    public double[] ScoreUnique(IReadOnlyList<int[]> sequences, int batchSize, Func<Tensor, Tensor, Tensor> score, Action<double>? onProgress)
    {
        var rowOf = new int[sequences.Count];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var distinct = new List<int[]>();
        for (int i = 0; i < sequences.Count; i++)
        {
            var key = string.Join(',', sequences[i]);
            if (!index.TryGetValue(key, out int row))
            {
                row = distinct.Count;
                index.Add(key, row);
                distinct.Add(sequences[i]);
            }
            rowOf[i] = row;
        }
        using var scores = RunSorted(distinct, batchSize, score, onProgress);
        var values = scores.to(float64).cpu().data<double>().ToArray();
        return rowOf.Select(r => values[r]).ToArray();
    }

    /// <summary>Runs <paramref name="run"/> over batches of similar length and returns its rows in input order.</summary>
    Tensor RunSorted(IReadOnlyList<int[]> inputs, int batchSize, Func<Tensor, Tensor, Tensor> run, Action<double>? onProgress)
    {
        var order = Enumerable.Range(0, inputs.Count).OrderBy(i => inputs[i].Length).ToArray();
        var pieces = new List<Tensor>();
        try
        {
            for (int start = 0; start < order.Length; start += batchSize)
            {
                var batch = order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
                using var scope = NewDisposeScope();
                var (ids, mask) = Pad(batch.Select(i => inputs[i]).ToList());
                pieces.Add(run(ids, mask).MoveToOuterDisposeScope());
                onProgress?.Invoke((double)(start + batch.Length) / order.Length);
            }
            using var sorted = cat(pieces, 0);
            var inverse = new long[order.Length];
            for (int k = 0; k < order.Length; k++) inverse[order[k]] = k;
            using var at = tensor(inverse, device: sorted.device);
            return sorted.index_select(0, at);
        }
        finally
        {
            foreach (var p in pieces) p.Dispose();
        }
    }

    (Tensor Ids, Tensor Mask) Pad(IReadOnlyList<int[]> rows)
    {
        int width = rows.Max(r => r.Length);
        var ids = new long[rows.Count * width];
        var mask = new long[rows.Count * width];
        Array.Fill(ids, XlmRobertaTokenizer.PadId);
        for (int r = 0; r < rows.Count; r++)
            for (int t = 0; t < rows[r].Length; t++)
            {
                ids[r * width + t] = rows[r][t];
                mask[r * width + t] = 1;
            }
        return (tensor(ids, [rows.Count, width]).to(_device), tensor(mask, [rows.Count, width]).to(_device));
    }
}

/// <summary>Sentence embeddings of distinct texts ([U, D]) and, per input text, the row holding its embedding.</summary>
public sealed class UniqueEmbeddings(Tensor rows, int[] rowOf) : IDisposable
{
    public Tensor Rows { get; } = rows;
    public IReadOnlyList<int> RowOf { get; } = rowOf;
    public void Dispose() => Rows.Dispose();
}
