// Checks the reader and writer against a file written by Python safetensors 0.8.0 (Fixtures/safetensors).
using System.Text;
using System.Text.Json;
using Pharos.Models.Safetensors;
using Pharos.Tests;
using TorchSharp;

namespace Pharos.Models.Tests.Safetensors;

public class SafetensorsFixtureTests
{
    static readonly string FilePath = RepoPaths.Fixtures("Pharos.Models.Tests", "safetensors", "every_dtype.safetensors");
    static readonly JsonElement Values =
        JsonDocument.Parse(File.ReadAllBytes(RepoPaths.Fixtures("Pharos.Models.Tests", "safetensors", "every_dtype.values.json"))).RootElement;

    [Fact]
    public void Reads_the_python_header_exactly()
    {
        using var file = SafetensorsFile.Open(FilePath);
        Assert.Equal(Values.GetProperty("header_length").GetInt64(), file.HeaderLength);

        var expected = Values.GetProperty("header_tensors").EnumerateArray().Select(e => new SafetensorsTensorInfo(
            e[0].GetString()!,
            SafetensorsDTypes.Parse(e[1].GetString()!, FilePath),
            [.. e[2].EnumerateArray().Select(d => d.GetInt64())],
            e[3][0].GetInt64(),
            e[3][1].GetInt64())).ToList();
        Assert.Equal(expected.Count, file.Tensors.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Name, file.Tensors[i].Name);
            Assert.Equal(expected[i].DType, file.Tensors[i].DType);
            Assert.Equal(expected[i].Shape, file.Tensors[i].Shape);
            Assert.Equal((expected[i].DataBegin, expected[i].DataEnd), (file.Tensors[i].DataBegin, file.Tensors[i].DataEnd));
        }
        Assert.Equal(ExpectedMetadata(), file.Metadata.ToList());
    }

    [Fact]
    public void Reads_every_value_python_wrote()
    {
        using var file = SafetensorsFile.Open(FilePath);
        foreach (var tensor in Values.GetProperty("tensors").EnumerateObject())
        {
            var name = tensor.Name;
            using var loaded = file.Load(name);
            Assert.Equal(TorchType(tensor.Value.GetProperty("dtype").GetString()!), loaded.dtype);
            Assert.Equal(tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()), loaded.shape);
            var values = tensor.Value.GetProperty("values");
            using var flat = loaded.flatten();
            if (loaded.dtype == torch.@bool)
                Assert.Equal(values.EnumerateArray().Select(v => v.GetBoolean()), flat.data<bool>().ToArray());
            else if (loaded.is_floating_point())
            {
                using var wide = flat.to_type(torch.float64);
                Assert.Equal(values.EnumerateArray().Select(v => BitConverter.DoubleToInt64Bits(v.GetDouble())),
                    wide.data<double>().ToArray().Select(BitConverter.DoubleToInt64Bits));
            }
            else
            {
                using var wide = flat.to_type(torch.int64);
                Assert.Equal(values.EnumerateArray().Select(v => v.GetInt64()), wide.data<long>().ToArray());
            }
        }
    }

    [Fact]
    public void Writes_the_same_tensors_byte_identical_to_python()
    {
        // Tensors rebuilt from the JSON values, not from the file, so the writer is checked on its own.
        var tensors = Values.GetProperty("tensors").EnumerateObject().Select(t =>
            new KeyValuePair<string, torch.Tensor>(t.Name, FromValues(t.Value))).ToList();
        using var dir = new TempDir();
        try
        {
            SafetensorsWriter.Write(dir.File("out.safetensors"), tensors, new OrderedDictionary<string, string>(ExpectedMetadata()));
            Assert.Equal(File.ReadAllBytes(FilePath), File.ReadAllBytes(dir.File("out.safetensors")));
        }
        finally
        {
            SafetensorsTestFiles.DisposeAll(tensors);
        }
    }

    [Fact]
    public void Header_writer_produces_pythons_header_text_padding_included()
    {
        using var file = SafetensorsFile.Open(FilePath);
        var tensors = file.Tensors.Select(t => new KeyValuePair<string, torch.Tensor>(t.Name, file.Load(t.Name))).ToList();
        try
        {
            var header = SafetensorsHeaderWriter.Build(SafetensorsHeaderWriter.Layout(tensors), file.Metadata);
            Assert.Equal(Values.GetProperty("header_text").GetString(), Encoding.UTF8.GetString(header));
        }
        finally
        {
            SafetensorsTestFiles.DisposeAll(tensors);
        }
    }

    [Fact]
    public void Resaving_an_unchanged_file_is_byte_identical()
    {
        using var dir = new TempDir();
        using (var file = SafetensorsFile.Open(FilePath))
        {
            // Given in reverse order: the writer's own sort must restore Python's layout.
            var tensors = file.Tensors.Reverse().Select(t => new KeyValuePair<string, torch.Tensor>(t.Name, file.Load(t.Name))).ToList();
            SafetensorsWriter.Write(dir.File("again.safetensors"), tensors, file.Metadata);
            SafetensorsTestFiles.DisposeAll(tensors);
        }
        Assert.Equal(File.ReadAllBytes(FilePath), File.ReadAllBytes(dir.File("again.safetensors")));
    }

    [Fact]
    public void GetBytes_is_the_raw_little_endian_data()
    {
        using var file = SafetensorsFile.Open(FilePath);
        Assert.Equal(BitConverter.GetBytes(-123456), file.GetBytes("i32").ToArray());
        Assert.Equal(new byte[] { 1, 0, 1, 1, 0 }, file.GetBytes("bool").ToArray());
        Assert.Equal(0, file.GetBytes("i16").Length);
    }

    static List<KeyValuePair<string, string>> ExpectedMetadata() =>
        [.. Values.GetProperty("metadata").EnumerateArray().Select(kv => new KeyValuePair<string, string>(kv[0].GetString()!, kv[1].GetString()!))];

    static torch.Tensor FromValues(JsonElement t)
    {
        var type = TorchType(t.GetProperty("dtype").GetString()!);
        long[] shape = [.. t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
        var values = t.GetProperty("values").EnumerateArray();
        using var flat = type == torch.@bool
            ? torch.tensor(values.Select(v => v.GetBoolean()).ToArray())
            : type is torch.ScalarType.Float64 or torch.ScalarType.Float32 or torch.ScalarType.Float16 or torch.ScalarType.BFloat16
                ? torch.tensor(values.Select(v => v.GetDouble()).ToArray(), dtype: torch.float64)
                : torch.tensor(values.Select(v => v.GetInt64()).ToArray(), dtype: torch.int64);
        using var typed = flat.to_type(type);
        return typed.reshape(shape).clone();
    }

    static torch.ScalarType TorchType(string pythonName) => pythonName switch
    {
        "float64" => torch.ScalarType.Float64,
        "float32" => torch.ScalarType.Float32,
        "float16" => torch.ScalarType.Float16,
        "bfloat16" => torch.ScalarType.BFloat16,
        "int64" => torch.ScalarType.Int64,
        "int32" => torch.ScalarType.Int32,
        "int16" => torch.ScalarType.Int16,
        "int8" => torch.ScalarType.Int8,
        "uint8" => torch.ScalarType.Byte,
        "bool" => torch.ScalarType.Bool,
        _ => throw new ArgumentException(pythonName),
    };
}
