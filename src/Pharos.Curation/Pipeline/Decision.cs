// A filter's verdict on one document: keep, or drop with a stable reason code (e.g. "gopher_short_doc").
namespace Pharos.Curation.Pipeline;

public readonly record struct Decision(bool Keep, string? Reason)
{
    public static Decision Kept => new(true, null);
    public static Decision Drop(string reason) => new(false, reason);
}
