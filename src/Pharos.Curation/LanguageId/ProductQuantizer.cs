// fastText's product quantizer (8-bit codes, 256 centroids per sub-vector; the last sub-vector may be shorter).
namespace Pharos.Curation.LanguageId;

internal sealed class ProductQuantizer
{
    const int Ksub = 256;
    readonly int _dim, _nsubq, _dsub, _lastdsub;
    readonly float[] _centroids;

    public ProductQuantizer(BinaryReader r)
    {
        _dim = r.ReadInt32();
        _nsubq = r.ReadInt32();
        _dsub = r.ReadInt32();
        _lastdsub = r.ReadInt32();
        _centroids = new float[_dim * Ksub];
        for (var i = 0; i < _centroids.Length; i++)
            _centroids[i] = r.ReadSingle();
    }

    public ReadOnlySpan<float> Centroid(int m, byte code) => m == _nsubq - 1
        ? _centroids.AsSpan(m * Ksub * _dsub + code * _lastdsub, _lastdsub)
        : _centroids.AsSpan((m * Ksub + code) * _dsub, _dsub);

    public void AddCode(Span<float> x, byte[] codes, int t, float alpha)
    {
        var code = codes.AsSpan(_nsubq * t, _nsubq);
        for (var m = 0; m < _nsubq; m++)
        {
            var c = Centroid(m, code[m]);
            for (var n = 0; n < c.Length; n++)
                x[m * _dsub + n] += alpha * c[n];
        }
    }

    public float MulCode(ReadOnlySpan<float> x, byte[] codes, int t, float alpha)
    {
        float res = 0;
        var code = codes.AsSpan(_nsubq * t, _nsubq);
        for (var m = 0; m < _nsubq; m++)
        {
            var c = Centroid(m, code[m]);
            for (var n = 0; n < c.Length; n++)
                res += x[m * _dsub + n] * c[n];
        }
        return res * alpha;
    }
}
