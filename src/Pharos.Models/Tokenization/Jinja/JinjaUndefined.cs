// Jinja's Undefined: what a missing variable or attribute evaluates to.
namespace Pharos.Models.Tokenization.Jinja;

/// <summary>A missing variable or attribute: renders as "", is falsy, and "is defined" is false (Jinja's default Undefined).</summary>
internal sealed class JinjaUndefined
{
    public static readonly JinjaUndefined Instance = new();
    public override string ToString() => "";
}
