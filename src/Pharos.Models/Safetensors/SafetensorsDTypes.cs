// Sizes, header names, torch mappings and the writer's sort rank of safetensors element types.
using TorchSharp;

namespace Pharos.Models.Safetensors;

public static class SafetensorsDTypes
{
    public static int SizeOf(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 or SafetensorsDType.I64 => 8,
        SafetensorsDType.F32 or SafetensorsDType.I32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.I16 => 2,
        SafetensorsDType.I8 or SafetensorsDType.U8 or SafetensorsDType.BOOL => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static string ToName(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 => "F64",
        SafetensorsDType.F32 => "F32",
        SafetensorsDType.F16 => "F16",
        SafetensorsDType.BF16 => "BF16",
        SafetensorsDType.I64 => "I64",
        SafetensorsDType.I32 => "I32",
        SafetensorsDType.I16 => "I16",
        SafetensorsDType.I8 => "I8",
        SafetensorsDType.U8 => "U8",
        SafetensorsDType.BOOL => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>Parses a header dtype name; <paramref name="file"/> only feeds the error message.</summary>
    public static SafetensorsDType Parse(string name, string file) =>
        TryParse(name, out var dtype)
            ? dtype
            : throw new SafetensorsFormatException(file, null, $"unknown dtype \"{name}\" ({Supported} are supported)");

    /// <summary>
    /// The names Pharos reads, for error messages. The format also has U16/U32/U64, C64 and the F8/F6/F4 types;
    /// files using them are rejected rather than misread.
    /// </summary>
    internal const string Supported = "F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL";

    internal static bool TryParse(string name, out SafetensorsDType dtype)
    {
        // Exact, case-sensitive names: the reference (serde) rejects "f32".
        switch (name)
        {
            case "F64": dtype = SafetensorsDType.F64; return true;
            case "F32": dtype = SafetensorsDType.F32; return true;
            case "F16": dtype = SafetensorsDType.F16; return true;
            case "BF16": dtype = SafetensorsDType.BF16; return true;
            case "I64": dtype = SafetensorsDType.I64; return true;
            case "I32": dtype = SafetensorsDType.I32; return true;
            case "I16": dtype = SafetensorsDType.I16; return true;
            case "I8": dtype = SafetensorsDType.I8; return true;
            case "U8": dtype = SafetensorsDType.U8; return true;
            case "BOOL": dtype = SafetensorsDType.BOOL; return true;
            default: dtype = default; return false;
        }
    }

    public static torch.ScalarType ToTorch(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 => torch.ScalarType.Float64,
        SafetensorsDType.F32 => torch.ScalarType.Float32,
        SafetensorsDType.F16 => torch.ScalarType.Float16,
        SafetensorsDType.BF16 => torch.ScalarType.BFloat16,
        SafetensorsDType.I64 => torch.ScalarType.Int64,
        SafetensorsDType.I32 => torch.ScalarType.Int32,
        SafetensorsDType.I16 => torch.ScalarType.Int16,
        SafetensorsDType.I8 => torch.ScalarType.Int8,
        SafetensorsDType.U8 => torch.ScalarType.Byte,
        SafetensorsDType.BOOL => torch.ScalarType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static SafetensorsDType FromTorch(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float64 => SafetensorsDType.F64,
        torch.ScalarType.Float32 => SafetensorsDType.F32,
        torch.ScalarType.Float16 => SafetensorsDType.F16,
        torch.ScalarType.BFloat16 => SafetensorsDType.BF16,
        torch.ScalarType.Int64 => SafetensorsDType.I64,
        torch.ScalarType.Int32 => SafetensorsDType.I32,
        torch.ScalarType.Int16 => SafetensorsDType.I16,
        torch.ScalarType.Int8 => SafetensorsDType.I8,
        torch.ScalarType.Byte => SafetensorsDType.U8,
        torch.ScalarType.Bool => SafetensorsDType.BOOL,
        _ => throw new NotSupportedException($"torch dtype {type} has no safetensors equivalent that Pharos writes"),
    };

    /// <summary>
    /// The position of the dtype in the reference's Rust `Dtype` enum, which is declared in increasing
    /// alignment order; `serialize` sorts tensors by this rank descending, then by name.
    /// </summary>
    internal static int AlignmentRank(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.BOOL => 0,
        SafetensorsDType.U8 => 4,
        SafetensorsDType.I8 => 5,
        SafetensorsDType.I16 => 11,
        SafetensorsDType.F16 => 13,
        SafetensorsDType.BF16 => 14,
        SafetensorsDType.I32 => 15,
        SafetensorsDType.F32 => 17,
        SafetensorsDType.F64 => 19,
        SafetensorsDType.I64 => 20,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };
}
