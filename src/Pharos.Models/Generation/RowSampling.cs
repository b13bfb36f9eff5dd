// Chooses the next token of each decoding row from its logits with the row's own options: plain greedy rows take their
// argmax in place, top-k/top-p rows on the CPU without a repetition penalty are drawn in place (InPlaceSampling); the others
// go the tensor route (LogitsProcessor), unseeded rows with equal options together, a seeded row from its own generator.
using static TorchSharp.torch;

namespace Pharos.Models.Generation;

internal static class RowSampling
{
    /// <param name="logits">[N, vocab]; row <paramref name="at"/>[i] holds the logits of <paramref name="rows"/>[i].</param>
    public static int[] Choose(Tensor logits, IReadOnlyList<DecodeRow> rows, IReadOnlyList<int> at)
    {
        using var scope = NewDisposeScope();
        var chosen = new int[rows.Count];
        if (rows.Any(r => r.PlainGreedy))
        {
            bool here = Kernels.TensorMemory.Readable(logits) && logits.dim() == 2;
            var best = here ? null : ToHost(logits.argmax(-1));
            for (int i = 0; i < rows.Count; i++)
                if (rows[i].PlainGreedy) chosen[i] = here ? (int)Kernels.RowArgmax.Of(logits, at[i]) : (int)best![at[i]];
        }
        // Sampled rows on the CPU, each in place from its own logits; a seeded row's uniform comes from its own generator.
        var direct = new HashSet<int>();
        var inPlace = Enumerable.Range(0, rows.Count).Where(i => !rows[i].PlainGreedy && InPlaceSampling.Applies(logits, rows[i].Options)).ToArray();
        if (inPlace.Length > 0)
        {
            int unseeded = inPlace.Count(i => rows[i].Rng is null), drawn = 0;
            var shared = unseeded > 0 ? rand([unseeded], float64).data<double>().ToArray() : [];
            foreach (int i in inPlace)
            {
                double uniform = rows[i].Rng is { } rng ? rand([1], float64, generator: rng).item<double>() : shared[drawn++];
                if (InPlaceSampling.Choose(logits, at[i], rows[i].Options, uniform) is int token)
                {
                    chosen[i] = token;
                    direct.Add(i);
                }
            }
        }
        var groups = Enumerable.Range(0, rows.Count).Where(i => !rows[i].PlainGreedy && !direct.Contains(i))
            .GroupBy(i => rows[i].Rng is null ? (object)rows[i].Options : rows[i]);
        foreach (var group in groups)
        {
            var members = group.ToArray();
            var first = rows[members[0]];
            var index = tensor(members.Select(i => (long)at[i]).ToArray(), int64, logits.device);
            var scores = logits.index_select(0, index).to(float32);
            var seen = first.Options.RepetitionPenalty != 1.0 ? Seen(members.Select(i => rows[i]).ToArray(), logits.device) : null;
            var picks = ToHost(LogitsProcessor.NextTokens(scores, seen, first.Options, first.Rng));
            for (int j = 0; j < members.Length; j++) chosen[members[j]] = (int)picks[j];
        }
        return chosen;
    }

    static long[] ToHost(Tensor ids) => ids.to(int64).cpu().data<long>().ToArray();

    /// <summary>[k, S] ids each row has seen (prompt and generated), shorter rows padded with their own first token
    /// (a repeat changes nothing: the penalty is applied once per distinct token).</summary>
    static Tensor Seen(DecodeRow[] rows, Device device)
    {
        var histories = rows.Select(r => r.Prompt.Concat(r.Generated).ToArray()).ToArray();
        int width = histories.Max(h => h.Length);
        var flat = new long[rows.Length * width];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < width; j++)
                flat[i * width + j] = histories[i][j < histories[i].Length ? j : 0];
        return tensor(flat, int64, device).reshape(rows.Length, width);
    }
}
