// One memory-mapped .safetensors file, validated in full when opened; tensors are read as spans or copied into torch.
using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using TorchSharp;

namespace Pharos.Models.Safetensors;

public sealed unsafe class SafetensorsFile : IDisposable
{
    readonly MemoryMappedFile _map;
    readonly MemoryMappedViewAccessor _view;
    readonly byte* _base;
    readonly long _dataStart;
    readonly Dictionary<string, SafetensorsTensorInfo> _byName;
    bool _disposed;

    SafetensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* basePointer,
        long dataStart, SafetensorsHeader header)
    {
        Path = path;
        _map = map;
        _view = view;
        _base = basePointer;
        _dataStart = dataStart;
        Tensors = header.Tensors.AsReadOnly();
        Metadata = new System.Collections.ObjectModel.ReadOnlyDictionary<string, string>(header.Metadata);
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public string Path { get; }

    /// <summary>`__metadata__`, in the order the header lists it (empty when the header has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Every tensor, in header order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>Size of the header JSON in bytes (the file's first 8 bytes), padding included.</summary>
    public long HeaderLength => _dataStart - 8;

    public static SafetensorsFile Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        var acquired = false;
        try
        {
            var length = stream.Length;
            // Checked before mapping: an empty file cannot be mapped at all.
            if (length < 8)
                throw new SafetensorsFormatException(path, null, $"file is {length} bytes, too short for the 8-byte header length");
            map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* basePointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePointer);
            acquired = true;
            basePointer += view.PointerOffset;

            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(basePointer, 8));
            if (headerLength > SafetensorsHeader.MaxHeaderLength)
                throw new SafetensorsFormatException(path, null, $"header length {headerLength} is above the {SafetensorsHeader.MaxHeaderLength}-byte limit");
            if ((long)headerLength > length - 8)
                throw new SafetensorsFormatException(path, null, $"header length {headerLength} reaches beyond the end of the {length}-byte file");
            if (headerLength < 2)
                throw new SafetensorsFormatException(path, null, $"header length {headerLength} is too small for a JSON object");

            var dataStart = 8 + (long)headerLength;
            var header = SafetensorsHeader.Parse(path, new ReadOnlySpan<byte>(basePointer + 8, (int)headerLength), length - dataStart);
            return new SafetensorsFile(path, map, view, basePointer, dataStart, header);
        }
        catch
        {
            if (acquired) view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            map?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public SafetensorsTensorInfo Info(string name) =>
        _byName.TryGetValue(name, out var info)
            ? info
            : throw new KeyNotFoundException($"{Path}: no tensor named \"{name}\"");

    /// <summary>The tensor's bytes as a view over the mapping; valid until this file is disposed.</summary>
    public ReadOnlySpan<byte> GetBytes(string name)
    {
        var info = Info(name);
        if (info.ByteLength > int.MaxValue)
            throw new NotSupportedException($"{Path}: tensor \"{name}\" has {info.ByteLength} bytes, more than a span can hold; use Load");
        return new ReadOnlySpan<byte>(Pointer(info), (int)info.ByteLength);
    }

    /// <summary>Copies a tensor out of the mapping into a new tensor, converting dtype and device afterwards if asked.</summary>
    public torch.Tensor Load(string name, torch.ScalarType? dtype = null, torch.Device? device = null)
    {
        var info = Info(name);
        var source = Pointer(info);
        var tensor = torch.empty(info.Shape, SafetensorsDTypes.ToTorch(info.DType));
        try
        {
            TensorMemory.CopyInto(tensor, source, info.ByteLength);
            if (dtype is { } wanted && wanted != tensor.dtype)
                Replace(ref tensor, tensor.to_type(wanted));
            if (device is not null && device.type != DeviceType.CPU)
                Replace(ref tensor, tensor.to(device));
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    static void Replace(ref torch.Tensor tensor, torch.Tensor next)
    {
        tensor.Dispose();
        tensor = next;
    }

    byte* Pointer(SafetensorsTensorInfo info)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _base + _dataStart + info.DataBegin;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
