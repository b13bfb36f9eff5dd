// Seeded corruption of a valid file: each variant must open cleanly or throw SafetensorsFormatException, nothing else.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Pharos.Models.Safetensors;
using Pharos.Tests;

namespace Pharos.Models.Tests.Safetensors;

public class SafetensorsFuzzTests
{
    static readonly byte[] JsonBytes = Encoding.ASCII.GetBytes("{}[],:\"0123456789-.eE \\u_FIBOL");

    [Fact]
    public void Corrupted_files_open_or_fail_with_a_format_exception()
    {
        using var dir = new TempDir();
        var tensors = SafetensorsTestFiles.EveryDType();
        SafetensorsWriter.Write(dir.File("valid.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        SafetensorsTestFiles.DisposeAll(tensors);
        var valid = File.ReadAllBytes(dir.File("valid.safetensors"));
        var headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);

        var random = new Random(20261123);
        var clock = Stopwatch.StartNew();
        int opened = 0, rejected = 0;
        var export = Environment.GetEnvironmentVariable("PHAROS_SAFETENSORS_EXPORT");
        var verdicts = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            var bytes = Mutate(valid, headerEnd, random);
            // A fresh name each time (TempDir removes them all): on ext4, truncating or unlinking a just-written
            // file forces a flush, which made the loop I/O-bound.
            var path = dir.File($"fuzz{i}.safetensors");
            File.WriteAllBytes(path, bytes);
            if (!string.IsNullOrEmpty(export))
                File.Copy(path, Path.Combine(Directory.CreateDirectory(Path.Combine(export, "fuzz")).FullName, $"{i:D4}.safetensors"), true);
            var before = opened;
            try
            {
                using var file = SafetensorsFile.Open(path);
                // A file that opens must be safe to read in full.
                foreach (var info in file.Tensors)
                {
                    Assert.Equal(info.ByteLength, file.GetBytes(info.Name).Length);
                    file.Load(info.Name).Dispose();
                }
                opened++;
            }
            catch (SafetensorsFormatException e)
            {
                Assert.Contains(path, e.Message);
                rejected++;
            }
            verdicts.Append(i.ToString("D4")).Append(opened > before ? " ok\n" : " rejected\n");
        }
        // The one-off differential check against Python safetensors reads these verdicts (see the fixture README).
        if (!string.IsNullOrEmpty(export))
            File.WriteAllText(Path.Combine(export, "fuzz", "verdicts.txt"), verdicts.ToString());
        Assert.True(opened > 100 && rejected > 1000, $"opened {opened}, rejected {rejected}: the mutations are not exercising both paths");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"fuzz loop took {clock.Elapsed}");
    }

    static byte[] Mutate(byte[] valid, int headerEnd, Random random)
    {
        var bytes = (byte[])valid.Clone();
        switch (random.Next(7))
        {
            case 0: // a few random bytes anywhere in the header
                for (var n = random.Next(1, 4); n > 0; n--)
                    bytes[random.Next(8, headerEnd)] = (byte)random.Next(256);
                return bytes;
            case 1: // a JSON-significant character in the header
                bytes[random.Next(8, headerEnd)] = JsonBytes[random.Next(JsonBytes.Length)];
                return bytes;
            case 2: // a digit changed: shapes and offsets that no longer agree
                var digits = Enumerable.Range(8, headerEnd - 8).Where(j => bytes[j] is >= (byte)'0' and <= (byte)'9').ToArray();
                bytes[digits[random.Next(digits.Length)]] = (byte)('0' + random.Next(10));
                return bytes;
            case 3: // truncated anywhere
                return bytes[..random.Next(bytes.Length)];
            case 4: // a different header length
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, random.Next(3) switch
                {
                    0 => (ulong)random.Next(0, valid.Length + 16),
                    1 => (ulong)random.NextInt64(),
                    _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes) ^ (1UL << random.Next(64)),
                });
                return bytes;
            case 5: // a byte cut out of or added to the header, length prefix kept
                var at = random.Next(8, headerEnd);
                return random.Next(2) == 0
                    ? [.. bytes[..at], .. bytes[(at + 1)..]]
                    : [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]];
            default: // data bytes only: must still open
                for (var n = random.Next(1, 8); n > 0; n--)
                    bytes[random.Next(headerEnd, bytes.Length)] = (byte)random.Next(256);
                return bytes;
        }
    }
}
