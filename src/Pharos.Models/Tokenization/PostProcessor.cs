// tokenizer.json's "post_processor" for a single sequence: the special ids placed around the encoded text.
namespace Pharos.Models.Tokenization;

/// <summary>Reduced to what encoding one text needs: ids before and after it (TemplateProcessing, Roberta/Bert, ByteLevel = none).</summary>
internal sealed class PostProcessor
{
    public static readonly PostProcessor None = new([], []);

    public PostProcessor(int[] prefix, int[] suffix)
    {
        Prefix = prefix;
        Suffix = suffix;
    }

    public int[] Prefix { get; }
    public int[] Suffix { get; }

    public static PostProcessor From(JsonField? field) => field is null ? None : Build(field.Value);

    static PostProcessor Build(JsonField f)
    {
        var type = f.Required("type").String();
        switch (type)
        {
            case "ByteLevel":
                return None; // only trims offsets, which Pharos does not report
            case "Sequence":
            {
                var prefix = new List<int>();
                var suffix = new List<int>();
                foreach (var step in f.Required("processors").Items().Select(Build))
                {
                    prefix.AddRange(step.Prefix);
                    suffix.InsertRange(0, step.Suffix);
                }
                return new PostProcessor(prefix.ToArray(), suffix.ToArray());
            }
            case "TemplateProcessing":
            {
                var specials = new Dictionary<string, int[]>(StringComparer.Ordinal);
                if (f.Optional("special_tokens") is { } map)
                    foreach (var (name, value) in map.Properties())
                        specials[name] = value.Required("ids").Items().Select(i => i.Int()).ToArray();
                var prefix = new List<int>();
                var suffix = new List<int>();
                var seenSequence = false;
                foreach (var item in f.Required("single").Items())
                {
                    if (item.Optional("Sequence") is not null)
                    {
                        seenSequence = true;
                        continue;
                    }
                    var special = item.Required("SpecialToken");
                    var name = special.Required("id").String();
                    if (!specials.TryGetValue(name, out var ids))
                        throw special.Required("id").Error($"special token '{name}' is not listed in post_processor.special_tokens");
                    (seenSequence ? suffix : prefix).AddRange(ids);
                }
                return new PostProcessor(prefix.ToArray(), suffix.ToArray());
            }
            case "RobertaProcessing":
            case "BertProcessing":
                return new PostProcessor([f.Required("cls").At(1).Int()], [f.Required("sep").At(1).Int()]);
            default:
                throw f.Required("type").Error($"post-processor type '{type}' is not supported (supported: TemplateProcessing, ByteLevel, Sequence, RobertaProcessing, BertProcessing)");
        }
    }
}
