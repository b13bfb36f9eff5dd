// fastText's table-based sigmoid (512 steps over [-8, 8]) used by one-vs-all and negative-sampling models at prediction time.
namespace Pharos.Curation.LanguageId;

internal static class Sigmoid
{
    const int TableSize = 512;
    const float MaxSigmoid = 8;
    static readonly float[] Values = Enumerable.Range(0, TableSize + 1)
        .Select(i => (float)(1.0 / (1.0 + Math.Exp(-((i * 2.0 * MaxSigmoid) / TableSize - MaxSigmoid))))).ToArray();

    public static float Table(float x)
    {
        if (x < -MaxSigmoid) return 0f;
        if (x > MaxSigmoid) return 1f;
        return Values[(long)((x + MaxSigmoid) * TableSize / MaxSigmoid / 2)];
    }
}
