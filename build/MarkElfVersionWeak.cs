// MSBuild task: marks one symbol-version requirement (e.g. GLIBCXX_3.4.32) of ELF64 shared objects as weak,
// so the dynamic loader accepts the library on systems whose libstdc++ lacks that version.
using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class MarkElfVersionWeak : Task
{
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    [Required] public string VersionName { get; set; } = "";

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlagWeak = 0x2;

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            try
            {
                var result = Patch(path, VersionName);
                Log.LogMessage(MessageImportance.Low, $"{path}: {result}");
            }
            catch (Exception e)
            {
                Log.LogError($"{path}: cannot mark {VersionName} weak: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    // Returns what was done. The file is replaced (temp + rename), never written in place, because the
    // output copy may be a hard link into the NuGet cache.
    static string Patch(string path, string versionName)
    {
        byte[] d = File.ReadAllBytes(path);
        if (d.Length < 64 || d[0] != 0x7f || d[1] != (byte)'E' || d[2] != (byte)'L' || d[3] != (byte)'F' || d[4] != 2)
            throw new InvalidDataException("not an ELF64 file");
        ulong shoff = BitConverter.ToUInt64(d, 0x28);
        int shentsize = BitConverter.ToUInt16(d, 0x3A), shnum = BitConverter.ToUInt16(d, 0x3C);
        bool changed = false, found = false;
        for (int i = 0; i < shnum; i++)
        {
            long sh = checked((long)shoff + (long)i * shentsize);
            if (BitConverter.ToUInt32(d, (int)sh + 4) != ShtGnuVerneed) continue;
            long secOffset = (long)BitConverter.ToUInt64(d, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(d, (int)sh + 40);
            long strOffset = (long)BitConverter.ToUInt64(d, (int)(checked((long)shoff + (long)link * shentsize)) + 24);
            long off = secOffset;
            while (true)
            {
                int count = BitConverter.ToUInt16(d, (int)off + 2);
                uint auxOffset = BitConverter.ToUInt32(d, (int)off + 8), next = BitConverter.ToUInt32(d, (int)off + 12);
                long a = off + auxOffset;
                for (int k = 0; k < count; k++)
                {
                    ushort flags = BitConverter.ToUInt16(d, (int)a + 4);
                    uint name = BitConverter.ToUInt32(d, (int)a + 8), auxNext = BitConverter.ToUInt32(d, (int)a + 12);
                    if (ReadCString(d, strOffset + name) == versionName)
                    {
                        found = true;
                        if ((flags & VerFlagWeak) == 0)
                        {
                            BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(d, (int)a + 4);
                            changed = true;
                        }
                    }
                    if (auxNext == 0) break;
                    a += auxNext;
                }
                if (next == 0) break;
                off += next;
            }
        }
        if (!found) return $"{versionName} not required; nothing to do";
        if (!changed) return $"{versionName} already weak";
        var tmp = path + ".pharos-tmp";
        File.WriteAllBytes(tmp, d);
        if (File.Exists(path)) File.Delete(path);
        File.Move(tmp, path);
        return $"marked {versionName} weak";
    }

    static string ReadCString(byte[] d, long start)
    {
        long end = start;
        while (end < d.Length && d[end] != 0) end++;
        return System.Text.Encoding.ASCII.GetString(d, (int)start, (int)(end - start));
    }
}
