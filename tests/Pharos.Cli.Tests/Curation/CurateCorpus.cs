// A small multilingual JSONL corpus and recipe for the `pharos curate` command tests (LID with the committed lid.176.ftz).
using System.Text.Json;
using Pharos.Tests;

namespace Pharos.Cli.Tests.Curation;

internal static class CurateCorpus
{
    static readonly string[][] Sentences =
    [
        ["The weather in the mountains was cold and the river was frozen for most of the winter.", "Children in the village walked to school together every morning before sunrise."],
        ["Das Wetter in den Bergen war kalt und der Fluss war den größten Teil des Winters gefroren.", "Die Kinder aus dem Dorf gingen jeden Morgen vor Sonnenaufgang gemeinsam zur Schule."],
        ["Le temps dans les montagnes était froid et la rivière est restée gelée pendant presque tout l'hiver.", "Les enfants du village allaient à l'école ensemble chaque matin avant le lever du soleil."],
    ];

    /// <summary>Writes <paramref name="files"/> JSONL files and curate.yaml; returns the recipe path.</summary>
    public static string Write(string root, int files, int maxArraySize = 1001)
    {
        var input = Directory.CreateDirectory(Path.Combine(root, "input")).FullName;
        for (var f = 0; f < files; f++)
        {
            var lines = new List<string>();
            for (var i = 0; i < 9; i++)
            {
                var source = Sentences[i % 3];
                var n = i == 0 ? 0 : f * 100 + i; // document 0 is the same in every file
                var rng = new Random(n);
                var vocabulary = string.Join(' ', source).TrimEnd('.').Split(' ');
                string Words(int count) => string.Join(' ', Enumerable.Range(0, count).Select(_ => vocabulary[rng.Next(vocabulary.Length)]));
                var text = string.Join("\n", source.Select(s => $"{s} {Words(25)}."));
                lines.Add(JsonSerializer.Serialize(new { text, id = $"f{f}-{i}" }));
            }
            File.WriteAllLines(Path.Combine(input, $"part{f}.jsonl"), lines);
        }
        var model = RepoPaths.Samples("models", "lid.176.ftz");
        var recipe = Path.Combine(root, "curate.yaml");
        File.WriteAllText(recipe, $$"""
            input: {paths: [input]}
            output: {dir: out, format: jsonl.zst}
            workers: 2
            stages:
              - name: extract
                steps:
                  - language_id: {model: {{model}}}
                  - language_score: {threshold: 0.3}
              - name: dedup
                minhash: {ngram: 5, bands: 14, rows: 8}
              - name: filter
                steps:
                  - gopher_repetition: {}
                  - pii: {}
            slurm: {max_array_size: {{maxArraySize}}, time: "00:10:00"}
            """);
        return recipe;
    }
}
