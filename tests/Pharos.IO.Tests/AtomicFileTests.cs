// The one atomic writer: unique temp names (concurrent writers of one file never collide), nothing half-written, no leftovers.
using Pharos.IO;
using Pharos.Tests;

namespace Pharos.IO.Tests;

public class AtomicFileTests
{
    [Fact]
    public void ConcurrentWritersOfOneFileNeverCollide()
    {
        using var dir = new TempDir();
        var path = dir.File("state.json");
        // Each writer's content is distinct and large enough that writes overlap in time.
        var contents = Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 1 << 20)).ToArray();
        var errors = new List<Exception>();
        var threads = contents.Select(text => new Thread(() =>
        {
            try
            {
                for (int k = 0; k < 5; k++) AtomicFile.WriteAllText(path, text);
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
        // The file is exactly one writer's whole content, and no temporary file is left behind.
        Assert.Contains(File.ReadAllText(path), contents);
        Assert.Equal(["state.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void FailedWriteLeavesTheOldFileAndNoTemp()
    {
        using var dir = new TempDir();
        var path = dir.File("a.txt");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("half"u8);
            throw new InvalidOperationException("crash while writing");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void CreatesTheFolderAndUsesATempNameBesideTheTarget()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "new", "folder", "x.bin");
        using (var temp = AtomicFile.CreateTemp(path))
        {
            Assert.Equal(Path.GetDirectoryName(path), Path.GetDirectoryName(temp.Name));
            Assert.True(AtomicFile.IsTemp(temp.Name));
            Assert.False(File.Exists(path));
            temp.Write([1, 2, 3]);
            AtomicFile.Commit(temp, path);
        }
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void FolderSyncWorksOnARealFolderAndFailsOnAMissingOne()
    {
        using var dir = new TempDir();
        FileSync.Directory(dir.Path);
        Assert.Throws<IOException>(() => FileSync.Directory(Path.Combine(dir.Path, "missing")));
    }
}
