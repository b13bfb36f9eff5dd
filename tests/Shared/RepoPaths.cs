// Locates the repository root (the folder holding Pharos.slnx) so tests read committed fixtures in place.
namespace Pharos.Tests;

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures(string project, params string[] parts) =>
        Path.Combine([Root, "tests", project, "Fixtures", .. parts]);

    public static string Samples(params string[] parts) => Path.Combine([Root, "samples", .. parts]);

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pharos.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("Pharos.slnx not found above " + AppContext.BaseDirectory);
    }
}
