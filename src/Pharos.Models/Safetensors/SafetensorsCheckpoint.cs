// A model folder's weights: one model.safetensors, or an index.json and its shards, behind one name → tensor lookup.
using TorchSharp;

namespace Pharos.Models.Safetensors;

public sealed class SafetensorsCheckpoint : IDisposable
{
    readonly List<SafetensorsFile> _files;
    readonly Dictionary<string, SafetensorsFile> _fileOf;

    SafetensorsCheckpoint(string source, List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> fileOf, List<string> names)
    {
        Source = source;
        _files = files;
        _fileOf = fileOf;
        Names = names.AsReadOnly();
    }

    /// <summary>The .safetensors file or index.json this checkpoint was opened from.</summary>
    public string Source { get; }

    /// <summary>Every tensor name, in index (or header) order.</summary>
    public IReadOnlyCollection<string> Names { get; }

    /// <summary>The opened weight files (one, or each shard once).</summary>
    public IReadOnlyList<SafetensorsFile> Files => _files;

    /// <summary>
    /// Opens a .safetensors file, an index.json, or a folder holding model.safetensors (preferred, as
    /// transformers does), model.safetensors.index.json, or else exactly one *.safetensors / *.safetensors.index.json.
    /// </summary>
    public static SafetensorsCheckpoint Open(string folderOrFile)
    {
        if (File.Exists(folderOrFile))
            return folderOrFile.EndsWith(SafetensorsIndex.Suffix, StringComparison.Ordinal)
                ? OpenIndex(folderOrFile)
                : OpenSingle(folderOrFile);
        if (!Directory.Exists(folderOrFile))
            throw new FileNotFoundException($"{folderOrFile}: no such file or folder", folderOrFile);

        var single = Path.Combine(folderOrFile, "model.safetensors");
        if (File.Exists(single))
            return OpenSingle(single);
        var index = Path.Combine(folderOrFile, "model" + SafetensorsIndex.Suffix);
        if (File.Exists(index))
            return OpenIndex(index);

        var indexes = Directory.GetFiles(folderOrFile, "*" + SafetensorsIndex.Suffix);
        if (indexes.Length == 1)
            return OpenIndex(indexes[0]);
        var files = Directory.GetFiles(folderOrFile, "*.safetensors");
        if (indexes.Length == 0 && files.Length == 1)
            return OpenSingle(files[0]);
        throw new FileNotFoundException(
            $"{folderOrFile}: no model.safetensors or model{SafetensorsIndex.Suffix}, and not exactly one other " +
            $"safetensors file or index to use instead (found {files.Length} .safetensors, {indexes.Length} index files)",
            single);
    }

    static SafetensorsCheckpoint OpenSingle(string path)
    {
        var file = SafetensorsFile.Open(path);
        var fileOf = file.Tensors.ToDictionary(t => t.Name, _ => file, StringComparer.Ordinal);
        return new SafetensorsCheckpoint(path, [file], fileOf, [.. file.Tensors.Select(t => t.Name)]);
    }

    static SafetensorsCheckpoint OpenIndex(string indexPath)
    {
        var weightMap = SafetensorsIndex.ReadWeightMap(indexPath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var shards = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        var fileOf = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, shardName) in weightMap)
            {
                if (!shards.TryGetValue(shardName, out var shard))
                {
                    var shardPath = Path.Combine(folder, shardName);
                    if (!File.Exists(shardPath))
                        throw new SafetensorsFormatException(indexPath, name, $"weight_map names shard \"{shardName}\", which does not exist");
                    shard = SafetensorsFile.Open(shardPath);
                    shards.Add(shardName, shard);
                }
                if (!shard.Contains(name))
                    throw new SafetensorsFormatException(indexPath, name, $"weight_map puts it in shard \"{shardName}\", which has no such tensor");
                fileOf.Add(name, shard);
            }
        }
        catch
        {
            foreach (var shard in shards.Values)
                shard.Dispose();
            throw;
        }
        return new SafetensorsCheckpoint(indexPath, [.. shards.Values], fileOf, [.. weightMap.Select(e => e.Key)]);
    }

    public bool Contains(string name) => _fileOf.ContainsKey(name);

    public SafetensorsTensorInfo Info(string name) => Holder(name).Info(name);

    public torch.Tensor Load(string name, torch.ScalarType? dtype = null, torch.Device? device = null) =>
        Holder(name).Load(name, dtype, device);

    /// <summary>Path of the file that holds the tensor.</summary>
    public string FileOf(string name) => Holder(name).Path;

    SafetensorsFile Holder(string name) =>
        _fileOf.TryGetValue(name, out var file)
            ? file
            : throw new KeyNotFoundException($"{Source}: no tensor named \"{name}\"");

    public void Dispose()
    {
        foreach (var file in _files)
            file.Dispose();
    }
}
