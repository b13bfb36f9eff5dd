// Write-to-temp, fsync, rename: the only way Pharos puts a finished file in place.
namespace Pharos.Curation.Writers;

public static class AtomicFile
{
    public const string TempSuffix = ".pharos-tmp";

    /// <summary>
    /// A new temporary file beside <paramref name="path"/>. Its name is unique, so two processes finishing the same file
    /// at once (two Slurm tasks merging a stage's stats) never collide; the last rename wins with a complete file.
    /// </summary>
    public static FileStream CreateTemp(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = $"{path}.{Guid.NewGuid():N}"[..(path.Length + 9)] + TempSuffix;
        return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    /// <summary>Flushes <paramref name="temp"/> to disk and renames it over <paramref name="path"/>.</summary>
    public static void Commit(FileStream temp, string path)
    {
        temp.Flush(flushToDisk: true);
        var name = temp.Name;
        temp.Dispose();
        File.Move(name, path, overwrite: true);
    }

    /// <summary>Commit for a temporary file whose stream was already closed (by a wrapping stream): fsync, then rename.</summary>
    public static void CommitClosed(string tempName, string path)
    {
        using (var f = new FileStream(tempName, FileMode.Open, FileAccess.ReadWrite))
            f.Flush(flushToDisk: true);
        File.Move(tempName, path, overwrite: true);
    }

    public static void Discard(string tempName)
    {
        try { File.Delete(tempName); } catch (IOException) { }
    }

    public static void WriteAllText(string path, string text)
    {
        var temp = CreateTemp(path);
        using (var w = new StreamWriter(temp, leaveOpen: true))
            w.Write(text);
        Commit(temp, path);
    }
}
