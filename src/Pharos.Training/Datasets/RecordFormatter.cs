// One record to one training document: a `text` record is a CPT document (TextFormatter), anything else a conversation
// (ChatFormatter, assistant-only targets). Bad records are counted and listed by the formatters.
namespace Pharos.Training.Datasets;

public sealed class RecordFormatter(ITextTokenizer tokenizer)
{
    readonly TextFormatter text = new(tokenizer);
    readonly ChatFormatter chat = new(tokenizer);

    /// <returns>the document and whether it is free text (a CPT stream may cut it across rows), or null for a bad record</returns>
    public (TokenizedExample Example, bool IsText)? Format(SourceRecord record, BadRecords bad)
    {
        bool isText = record.Json.ContainsKey("text");
        var example = isText ? text.Format(record, bad) : chat.Format(record, bad);
        return example is null ? null : (example, isText);
    }
}
