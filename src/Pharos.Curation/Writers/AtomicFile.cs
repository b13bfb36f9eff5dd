// Write-to-temp, fsync, rename: the only way Pharos puts a finished file in place.
namespace Pharos.Curation.Writers;

public static class AtomicFile
{
    public const string TempSuffix = ".pharos-tmp";

    public static FileStream CreateTemp(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        return new FileStream(path + TempSuffix, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
    }

    /// <summary>Flushes <paramref name="temp"/> to disk and renames it over <paramref name="path"/>.</summary>
    public static void Commit(FileStream temp, string path)
    {
        temp.Flush(flushToDisk: true);
        temp.Dispose();
        File.Move(path + TempSuffix, path, overwrite: true);
    }

    /// <summary>Commit for a temporary file whose stream was already closed (by a wrapping stream): fsync, then rename.</summary>
    public static void CommitClosed(string path)
    {
        using (var f = new FileStream(path + TempSuffix, FileMode.Open, FileAccess.ReadWrite))
            f.Flush(flushToDisk: true);
        File.Move(path + TempSuffix, path, overwrite: true);
    }

    public static void Discard(string path)
    {
        try { File.Delete(path + TempSuffix); } catch (IOException) { }
    }

    public static void WriteAllText(string path, string text)
    {
        var temp = CreateTemp(path);
        using (var w = new StreamWriter(temp, leaveOpen: true))
            w.Write(text);
        Commit(temp, path);
    }
}
