// The shape of everything a template can call: built-ins, macros and bound methods.
namespace Pharos.Models.Tokenization.Jinja;

/// <summary>Built-in functions, macros and bound methods: positional and keyword arguments in, a value out.</summary>
internal delegate object? JinjaCallable(List<object?> args, Dictionary<string, object?> kwargs);
