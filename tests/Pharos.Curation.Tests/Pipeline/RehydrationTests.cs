// Rehydration: FineWeb2's cluster-size table and the removal-rate rule (global rate, r_min, smoothing, max copies).
using Pharos.Curation.Rehydration;

namespace Pharos.Curation.Tests.Pipeline;

public sealed class RehydrationTests
{
    [Theory]
    [InlineData(1, 1)] [InlineData(2, 2)] [InlineData(3, 3)] [InlineData(4, 3)] [InlineData(5, 5)] [InlineData(99, 5)]
    [InlineData(100, 8)] [InlineData(999, 8)] [InlineData(1000, 1)] [InlineData(50_000, 1)]
    public void SimpleTable(long n, int copies) => Assert.Equal(copies, Rehydrator.FromTable(n));

    [Fact]
    public void RemovalRateRule()
    {
        // Sizes 1..3 filtered heavily, 10 and 20 lightly: the lightly filtered sizes are upsampled, the best one to max.
        var before = new Dictionary<long, long> { [1] = 1000, [2] = 1000, [3] = 1000, [10] = 1000, [20] = 1000 };
        var after = new Dictionary<long, long> { [1] = 400, [2] = 400, [3] = 400, [10] = 800, [20] = 900 };
        var noSmoothing = Rehydrator.FromRemovalRates(before, after, maxCopies: 5, window: 1);
        // g = 1 − 2900/5000 = 0.42; r_min = 0.1; r(10) = 0.2 → 1 + 4·(0.2−0.42)/(0.1−0.42) = 3.75 → 4.
        Assert.Equal(new long[] { 1, 2, 3, 10, 20 }, noSmoothing.Keys);
        Assert.Equal(new[] { 1, 1, 1, 4, 5 }, noSmoothing.Values);
        var smoothed = Rehydrator.FromRemovalRates(before, after, maxCopies: 5);
        Assert.All(smoothed.Values, c => Assert.InRange(c, 1, 5));
        Assert.Equal(5, smoothed[20]);
        Assert.Equal(4, Rehydrator.Lookup(noSmoothing, 15));
        Assert.Equal(1, Rehydrator.Lookup(noSmoothing, 0));
    }
}
