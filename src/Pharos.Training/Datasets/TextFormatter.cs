// CPT records: the `text` field, tokenized, with BOS (when the tokenizer has one) and EOS around it; every token is a target.
using System.Text.Json.Nodes;

namespace Pharos.Training.Datasets;

public sealed class TextFormatter
{
    readonly ITextTokenizer tokenizer;
    readonly string field;

    public TextFormatter(ITextTokenizer tokenizer, string field = "text")
    {
        this.tokenizer = tokenizer;
        this.field = field;
    }

    public TokenizedExample? Format(SourceRecord record, BadRecords bad)
    {
        if (record.Json[field] is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            bad.Add(record.File, record.Line, BadRecords.MissingField, $"no string field '{field}'");
            return null;
        }
        if (text.Length == 0)
        {
            bad.Add(record.File, record.Line, BadRecords.Empty, $"'{field}' is empty");
            return null;
        }
        var body = tokenizer.Encode(text);
        var ids = new List<int>(body.Length + 2);
        if (tokenizer.BosId is int bos) ids.Add(bos);
        ids.AddRange(body);
        ids.Add(tokenizer.EosId);
        return new TokenizedExample([.. ids], Enumerable.Repeat(true, ids.Count).ToArray(), record.File, record.Line);
    }
}
