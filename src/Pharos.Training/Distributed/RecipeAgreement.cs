// Refuses to start a multi-process stage whose ranks were given different recipes (another file, other --set overrides,
// --resume on some ranks only): each rank hashes what it is about to run and every rank compares with rank 0's hash.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pharos.Models.Errors;
using Pharos.Training.Recipes;

namespace Pharos.Training.Distributed;

public static class RecipeAgreement
{
    public static string Hash(Recipe recipe, string? resume)
    {
        var json = JsonSerializer.Serialize(recipe, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{json}\nresume={resume}")));
    }

    public static void Check(IProcessGroup group, Recipe recipe, string? resume)
    {
        if (group.Size == 1) return;
        var hashes = ProcessGroupText.AllGather(group, Hash(recipe, resume));
        int other = hashes.FindIndex(h => h != hashes[0]);
        if (other > 0)
            throw new PharosException($"rank {other} of {group.Size} was given a different recipe than rank 0 (hash {hashes[other][..12]} vs {hashes[0][..12]}): "
                + "every rank must run the same recipe file with the same --set overrides and --resume");
    }
}
