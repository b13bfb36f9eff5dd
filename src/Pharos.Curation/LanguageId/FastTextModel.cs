// A fastText supervised model (.bin or quantized .ftz): loads the file and predicts labels with fastText's exact arithmetic.
using System.Text;
using Pharos.Curation.Errors;

namespace Pharos.Curation.LanguageId;

public sealed class FastTextModel
{
    const int Magic = 793712314;
    readonly FastTextDictionary _dict;
    readonly FastTextMatrix _input, _output;
    readonly HierarchicalSoftmaxTree? _tree;
    [ThreadStatic] static byte[]? t_line;
    [ThreadStatic] static List<int>? t_rows;

    FastTextModel(FastTextArgs args, FastTextDictionary dict, FastTextMatrix input, FastTextMatrix output)
    {
        Args = args;
        _dict = dict;
        _input = input;
        _output = output;
        if (args.Loss == FastTextLoss.HierarchicalSoftmax)
            _tree = new HierarchicalSoftmaxTree(Enumerable.Range(0, dict.NLabels).Select(dict.LabelCount).ToArray());
    }

    public FastTextArgs Args { get; }
    public int LabelCount => _dict.NLabels;
    public bool IsQuantized { get; private init; }

    public static FastTextModel Load(string path)
    {
        try
        {
            using var file = new BufferedStream(File.OpenRead(path), 1 << 20);
            using var r = new BinaryReader(file);
            if (r.ReadInt32() != Magic)
                throw new InvalidModelFileException($"{path}: not a fastText model (bad magic number)");
            var version = r.ReadInt32();
            if (version > 12)
                throw new InvalidModelFileException($"{path}: fastText model version {version} is newer than 12");
            var args = FastTextArgs.Read(r);
            if (args.Model != 3)
                throw new InvalidModelFileException($"{path}: not a supervised model (model type {args.Model})");
            // FastText::loadModel: version-11 supervised models were trained without character n-grams.
            if (version == 11)
                args = args with { Maxn = 0 };
            var dict = FastTextDictionary.Read(r, args);
            var quantInput = r.ReadBoolean();
            var input = FastTextMatrix.Read(r, quantInput);
            if (!quantInput && dict.IsPruned)
                throw new InvalidModelFileException($"{path}: pruned dictionary with a dense input matrix");
            var qout = r.ReadBoolean();
            var output = FastTextMatrix.Read(r, quantInput && qout);
            return new FastTextModel(args, dict, input, output) { IsQuantized = quantInput };
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidModelFileException($"{path}: truncated fastText model", e);
        }
    }

    /// <summary>
    /// The top <paramref name="k"/> labels (k ≤ 0: all) with probability ≥ <paramref name="threshold"/>, best first, as
    /// fastText's predict-prob prints them: the probability is exp(log(p + 1e-5)), so it carries fastText's +1e-5.
    /// </summary>
    public IReadOnlyList<(string Label, float Probability)> Predict(string text, int k = 1, float threshold = 0f)
    {
        // One line, as python's predict(): the caller's newlines become spaces and a final "\n" adds the EOS token.
        var max = Encoding.UTF8.GetMaxByteCount(text.Length) + 1;
        var buffer = t_line is { } b && b.Length >= max ? b : t_line = new byte[Math.Max(max, 4096)];
        var length = Encoding.UTF8.GetBytes(text, buffer);
        buffer.AsSpan(0, length).Replace((byte)'\n', (byte)' ');
        buffer[length++] = (byte)'\n';
        var rows = t_rows ??= [];
        _dict.GetLine(buffer.AsSpan(0, length), rows);
        if (rows.Count == 0)
            return [];
        var hidden = new float[Args.Dim];
        foreach (var row in rows)
            _input.AddRowTo(hidden, row);
        var scale = (float)(1.0 / rows.Count);
        for (var i = 0; i < hidden.Length; i++)
            hidden[i] *= scale;

        if (k <= 0)
            k = _dict.NLabels;
        var heap = new List<(float Score, int Label)>();
        if (_tree is not null)
            _tree.Predict(k, threshold, heap, hidden, _output);
        else
            FindKBest(k, threshold, heap, ComputeOutput(hidden));
        heap.Sort((a, b) => b.Score.CompareTo(a.Score));
        return heap.ConvertAll(p => (_dict.Label(p.Label), MathF.Exp(p.Score)));
    }

    float[] ComputeOutput(float[] hidden)
    {
        var output = new float[_dict.NLabels];
        for (var i = 0; i < output.Length; i++)
            output[i] = _output.DotRow(hidden, i);
        if (Args.Loss == FastTextLoss.Softmax)
        {
            // SoftmaxLoss::computeOutput: subtract the max, exponentiate, normalise, all in float.
            var max = output[0];
            foreach (var v in output) max = MathF.Max(v, max);
            float z = 0;
            for (var i = 0; i < output.Length; i++) { output[i] = MathF.Exp(output[i] - max); z += output[i]; }
            for (var i = 0; i < output.Length; i++) output[i] /= z;
        }
        else
        {
            for (var i = 0; i < output.Length; i++)
                output[i] = Sigmoid.Table(output[i]);
        }
        return output;
    }

    // Loss::findKBest keeps a min-heap of log(p + 1e-5); a full sort of the survivors gives the same list.
    static void FindKBest(int k, float threshold, List<(float Score, int Label)> heap, float[] output)
    {
        for (var i = 0; i < output.Length; i++)
        {
            if (output[i] < threshold)
                continue;
            heap.Add((StdLog(output[i]), i));
        }
        heap.Sort((a, b) => b.Score.CompareTo(a.Score));
        if (heap.Count > k)
            heap.RemoveRange(k, heap.Count - k);
    }

    internal static float StdLog(float x) => (float)Math.Log(x + 1e-5);
}
