// fastText's input/output matrices: dense float rows, or product-quantized rows (QuantMatrix + ProductQuantizer) as in .ftz files.
namespace Pharos.Curation.LanguageId;

internal abstract class FastTextMatrix
{
    public long Rows { get; protected init; }
    public long Cols { get; protected init; }

    /// <summary>x += row i (the quantized form scales by the row's norm), accumulating in float as fastText does.</summary>
    public abstract void AddRowTo(Span<float> x, int i);

    /// <summary>row i · x in float.</summary>
    public abstract float DotRow(ReadOnlySpan<float> x, int i);

    public static FastTextMatrix Read(BinaryReader r, bool quantized) => quantized ? new QuantMatrix(r) : new DenseMatrix(r);
}

internal sealed class DenseMatrix : FastTextMatrix
{
    readonly float[] _data;

    public DenseMatrix(BinaryReader r)
    {
        Rows = r.ReadInt64();
        Cols = r.ReadInt64();
        _data = new float[checked(Rows * Cols)];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(_data.AsSpan());
        if (r.BaseStream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) != bytes.Length)
            throw new EndOfStreamException("matrix data truncated");
    }

    public override void AddRowTo(Span<float> x, int i)
    {
        var row = _data.AsSpan(checked((int)(i * Cols)), (int)Cols);
        for (var j = 0; j < row.Length; j++)
            x[j] += row[j];
    }

    public override float DotRow(ReadOnlySpan<float> x, int i)
    {
        var row = _data.AsSpan(checked((int)(i * Cols)), (int)Cols);
        float d = 0;
        for (var j = 0; j < row.Length; j++)
            d += row[j] * x[j];
        return d;
    }
}

internal sealed class QuantMatrix : FastTextMatrix
{
    readonly ProductQuantizer _pq;
    readonly ProductQuantizer? _normPq;
    readonly byte[] _codes;
    readonly byte[]? _normCodes;

    public QuantMatrix(BinaryReader r)
    {
        var qnorm = r.ReadBoolean();
        Rows = r.ReadInt64();
        Cols = r.ReadInt64();
        var codeSize = r.ReadInt32();
        _codes = r.ReadBytes(codeSize);
        _pq = new ProductQuantizer(r);
        if (qnorm)
        {
            _normCodes = r.ReadBytes((int)Rows);
            _normPq = new ProductQuantizer(r);
        }
    }

    float Norm(int i) => _normPq is null ? 1f : _normPq.Centroid(0, _normCodes![i])[0];

    public override void AddRowTo(Span<float> x, int i) => _pq.AddCode(x, _codes, i, Norm(i));

    public override float DotRow(ReadOnlySpan<float> x, int i) => _pq.MulCode(x, _codes, i, Norm(i));
}
