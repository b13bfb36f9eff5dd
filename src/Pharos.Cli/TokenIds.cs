// Parses token id lists typed on the command line ("1,2,3" or "1 2 3").
using Pharos.Models.Errors;

namespace Pharos.Cli;

internal static class TokenIds
{
    public static int[] Parse(string text, string option)
    {
        var parts = text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new PharosException($"{option}: no token ids given");
        return parts.Select(p => int.TryParse(p, out var id) && id >= 0 ? id
            : throw new PharosException($"{option}: '{p}' is not a token id (expected non-negative integers like 1,2,3)")).ToArray();
    }

    public static void CheckInVocab(int[] ids, int vocab, string option)
    {
        foreach (var id in ids)
            if (id >= vocab) throw new PharosException($"{option}: token id {id} is outside the vocabulary (size {vocab})");
    }
}
