// Builds raw safetensors bytes (valid or deliberately broken) and sample tensors for the safetensors tests.
using System.Buffers.Binary;
using System.Text;
using TorchSharp;

namespace Pharos.Models.Tests.Safetensors;

internal static class SafetensorsTestFiles
{
    /// <summary>8-byte length + header text (padded with spaces to 8 unless told not to) + data.</summary>
    public static byte[] Raw(string header, byte[]? data = null, ulong? declaredLength = null, bool pad = true)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var length = pad ? (json.Length + 7) / 8 * 8 : json.Length;
        data ??= [];
        var bytes = new byte[8 + length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)length);
        json.CopyTo(bytes, 8);
        bytes.AsSpan(8 + json.Length, length - json.Length).Fill((byte)' ');
        data.CopyTo(bytes, 8 + length);
        return bytes;
    }

    /// <summary>One tensor per dtype, in awkward shapes (0-d, zero-size, 3-d), with a fixed seed.</summary>
    public static List<KeyValuePair<string, torch.Tensor>> EveryDType(int seed = 7)
    {
        var gen = new torch.Generator((ulong)seed);
        torch.Tensor Ints(long lo, long hi, long[] shape, torch.ScalarType type) =>
            torch.randint(lo, hi, shape, dtype: torch.int64, generator: gen).to_type(type);
        torch.Tensor Floats(long[] shape, torch.ScalarType type) =>
            (torch.randn(shape, dtype: torch.float64, generator: gen) * 1000).to_type(type);
        return
        [
            new("model.f64", Floats([2, 3, 4], torch.ScalarType.Float64)),
            new("model.f32", Floats([5, 7], torch.ScalarType.Float32)),
            new("model.f32_scalar", Floats([], torch.ScalarType.Float32)),
            new("model.f16", Floats([3, 3], torch.ScalarType.Float16)),
            new("model.bf16", Floats([17], torch.ScalarType.BFloat16)),
            new("model.i64", Ints(long.MinValue / 2, long.MaxValue / 2, [4], torch.ScalarType.Int64)),
            new("model.i32", Ints(int.MinValue, int.MaxValue, [2, 2], torch.ScalarType.Int32)),
            new("model.i16", Ints(short.MinValue, short.MaxValue, [0, 3], torch.ScalarType.Int16)),
            new("model.i8", Ints(sbyte.MinValue, sbyte.MaxValue, [9], torch.ScalarType.Int8)),
            new("model.u8", Ints(0, 256, [1, 1, 5], torch.ScalarType.Byte)),
            new("model.bool", Ints(0, 2, [6], torch.ScalarType.Bool)),
        ];
    }

    public static void AssertSameTensors(IEnumerable<KeyValuePair<string, torch.Tensor>> expected, Func<string, torch.Tensor> load)
    {
        foreach (var (name, tensor) in expected)
        {
            using var actual = load(name);
            Assert.Equal(tensor.dtype, actual.dtype);
            Assert.Equal(tensor.shape, actual.shape);
            using var same = tensor.eq(actual).all();
            Assert.True(same.item<bool>(), $"tensor {name} differs");
        }
    }

    public static void DisposeAll(IEnumerable<KeyValuePair<string, torch.Tensor>> tensors)
    {
        foreach (var (_, t) in tensors) t.Dispose();
    }
}
