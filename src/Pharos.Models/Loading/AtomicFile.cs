// Writes a file under a temporary name, flushes it to disk, then renames it, so readers never see half a file.
namespace Pharos.Models.Loading;

public static class AtomicFile
{
    public static void WriteAllText(string path, string text) =>
        Write(path, stream => { using var w = new StreamWriter(stream, leaveOpen: true); w.Write(text); });

    public static void Write(string path, Action<FileStream> write)
    {
        var tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }
}
