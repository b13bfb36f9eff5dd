// The one way Pharos puts a finished file in place: write a uniquely named temporary file beside it, fsync it, rename it
// over the target, fsync the folder. Readers never see half a file, and two writers of one file never share a temp name.
namespace Pharos.IO;

public static class AtomicFile
{
    /// <summary>Ends every temporary name, so folder listings can skip unfinished files.</summary>
    public const string TempSuffix = ".pharos-tmp";

    public static bool IsTemp(string path) => path.EndsWith(TempSuffix, StringComparison.Ordinal);

    public static void WriteAllText(string path, string text) =>
        Write(path, stream => { using var w = new StreamWriter(stream, leaveOpen: true); w.Write(text); });

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var temp = CreateTemp(path);
        try
        {
            temp.Write(bytes);
        }
        catch
        {
            temp.Dispose();
            Discard(temp.Name);
            throw;
        }
        Commit(temp, path);
    }

    /// <summary>Runs <paramref name="write"/> on a new temporary file and commits it; on failure the temporary file is removed.</summary>
    public static void Write(string path, Action<FileStream> write)
    {
        var temp = CreateTemp(path);
        try
        {
            write(temp);
        }
        catch
        {
            temp.Dispose();
            Discard(temp.Name);
            throw;
        }
        Commit(temp, path);
    }

    /// <summary>
    /// A new temporary file beside <paramref name="path"/> (its folder is created). The name carries a random part, so two
    /// processes finishing the same file at once (two Slurm tasks, two runs) never write into each other's temp file; the
    /// last rename wins with a complete file.
    /// </summary>
    public static FileStream CreateTemp(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.{Guid.NewGuid():N}"[..(full.Length + 9)] + TempSuffix;
        return new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
    }

    /// <summary>Flushes <paramref name="temp"/> to disk, closes it and renames it over <paramref name="path"/>.</summary>
    public static void Commit(FileStream temp, string path)
    {
        var name = temp.Name;
        try
        {
            temp.Flush(flushToDisk: true);
        }
        finally
        {
            temp.Dispose();
        }
        Rename(name, path);
    }

    /// <summary>Commit for a temporary file whose stream was already closed (by a wrapping stream): fsync, rename.</summary>
    public static void CommitClosed(string tempName, string path)
    {
        using (var f = new FileStream(tempName, FileMode.Open, FileAccess.ReadWrite))
            f.Flush(flushToDisk: true);
        Rename(tempName, path);
    }

    public static void Discard(string tempName)
    {
        try { File.Delete(tempName); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static void Rename(string temp, string path)
    {
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            Discard(temp);
            throw;
        }
        // The rename itself lives in the folder's metadata: without this a crash can lose a file that was "written".
        FileSync.Directory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
