// LineChart writes a real PNG of the requested size (the sparselora-quality bench plots eval-loss curves with it).
using System.Buffers.Binary;
using Pharos.Eval.Reports;
using Pharos.Tests;

namespace Pharos.Eval.Tests.Reports;

public class LineChartTests
{
    [Fact]
    public void Writes_a_png_of_the_requested_size()
    {
        using var dir = new TempDir();
        var path = dir.File("curves.png");
        LineChart.Save(path, "eval loss", "step", "loss",
        [
            new LineSeries("LoRA", [20, 40, 60], [5.08, 4.98, 4.91]),
            new LineSeries("SparseLoRA", [20, 40, 60], [5.09, 4.99, 4.92]),
        ], width: 640, height: 400);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        // The IHDR chunk follows the signature: width and height as big-endian 32-bit integers.
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(640, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(400, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.True(bytes.Length > 5000, $"{bytes.Length} bytes: too small to hold a drawn chart");
    }
}
