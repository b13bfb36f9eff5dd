// A read-only memory map of a whole file with a raw pointer, and a way to give its resident pages back: read through
// the map, a file's pages count as this process's RSS until released, and a training corpus is larger than memory.
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace Pharos.IO;

public sealed unsafe partial class MappedFile : IDisposable
{
    readonly MemoryMappedFile map;
    readonly MemoryMappedViewAccessor view;
    byte* pointer;

    MappedFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, long length)
    {
        Path = path;
        this.map = map;
        this.view = view;
        Length = length;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        pointer += view.PointerOffset;
    }

    public string Path { get; }
    public long Length { get; }

    public static MappedFile Open(string path)
    {
        long length = new FileInfo(path).Length;
        if (length == 0) throw new IOException($"{path}: empty file cannot be mapped");
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            return new MappedFile(path, map, map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read), length);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary>The bytes at <paramref name="offset"/>; valid while this map is open.</summary>
    public byte* At(long offset)
    {
        ObjectDisposedException.ThrowIf(pointer == null, this);
        if (offset < 0 || offset > Length) throw new ArgumentOutOfRangeException(nameof(offset), $"{Path}: offset {offset} outside {Length} bytes");
        return pointer + offset;
    }

    /// <summary>
    /// Drops this process's mapping of the pages read so far (madvise MADV_DONTNEED): they stay in the page cache, the next
    /// read maps them again, and RSS no longer grows with the bytes read. Linux only; elsewhere a no-op.
    /// </summary>
    public void ReleaseResident()
    {
        if (!OperatingSystem.IsLinux() || pointer == null) return;
        long page = Environment.SystemPageSize;
        var start = (byte*)((long)(pointer - view.PointerOffset) & ~(page - 1));
        long length = pointer + Length - start;
        _ = Madvise(start, (nuint)length, 4 /* MADV_DONTNEED */);
    }

    public void Dispose()
    {
        if (pointer == null) return;
        pointer = null;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        map.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
