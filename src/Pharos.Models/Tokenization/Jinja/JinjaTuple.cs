// A Python tuple value: a list that prints with parentheses.
namespace Pharos.Models.Tokenization.Jinja;

/// <summary>A Python tuple: a list that prints as (a, b); made by tuple literals, items() and unpacking sets.</summary>
internal sealed class JinjaTuple : List<object?>
{
    public JinjaTuple(IEnumerable<object?> items) : base(items) { }
}
