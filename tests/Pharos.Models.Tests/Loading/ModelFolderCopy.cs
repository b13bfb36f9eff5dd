// Copies a fixture model folder into a temp dir so a test can corrupt it.
using Pharos.Tests;

namespace Pharos.Models.Tests.Loading;

internal static class ModelFolderCopy
{
    public static string Of(string fixture, TempDir temp)
    {
        var source = RepoPaths.Fixtures("Pharos.Models.Tests", fixture);
        var target = Path.Combine(temp.Path, fixture);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }
}
