// fsync of a folder, which .NET has no API for: after a rename, the folder entry must reach the disk too.
using System.Runtime.InteropServices;

namespace Pharos.IO;

public static partial class FileSync
{
    /// <summary>Flushes a folder's entries (new, renamed or removed files) to disk. A no-op where folders cannot be opened (Windows).</summary>
    public static void Directory(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD()) return;
        int fd = Open(folder, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"{folder}: cannot open the folder to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            // EINVAL: the file system cannot sync folders (some network mounts); the data itself was synced already.
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() is int errno && errno != 22)
                throw new IOException($"{folder}: fsync failed (errno {errno})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
