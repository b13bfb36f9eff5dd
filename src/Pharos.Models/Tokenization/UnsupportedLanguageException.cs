// A language code that Tower+ prompts do not know; the message lists the known codes.
using Pharos.Models.Errors;

namespace Pharos.Models.Tokenization;

/// <summary>A language code Tower+ prompts do not know; the message lists the codes that are known.</summary>
public sealed class UnsupportedLanguageException(string code)
    : PharosException($"unknown language '{code}'; Tower+ languages: {string.Join(", ", TowerLanguage.All.Select(l => l.Code))}")
{
    public string Code { get; } = code;
}
