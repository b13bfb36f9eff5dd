// Proves the build patched libLibTorchSharp.so so that TorchSharp's native glue loads on this system.
using System.Diagnostics;
using TorchSharp;

namespace Pharos.Models.Tests.Runtime;

public class NativeLibraryTests
{
    [Fact]
    public void TorchSharp_native_library_loads_and_computes()
    {
        using var a = torch.arange(6, dtype: torch.float32).reshape(2, 3);
        using var product = a.matmul(a.t());
        Assert.Equal(new float[] { 5, 14, 14, 50 }, product.data<float>().ToArray());
    }

    [Fact]
    public void Output_copy_of_libLibTorchSharp_has_the_cxx_runtime_requirement_marked_weak()
    {
        var lib = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).Single();
        var psi = new ProcessStartInfo("readelf", ["-V", "--wide", lib]) { RedirectStandardOutput = true };
        using var readelf = Process.Start(psi)!;
        var text = readelf.StandardOutput.ReadToEnd();
        readelf.WaitForExit();
        var line = text.Split('\n').Single(l => l.Contains("Name: GLIBCXX_3.4.32"));
        Assert.Contains("WEAK", line);
    }
}
