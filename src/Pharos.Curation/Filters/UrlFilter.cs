// URL filter (datatrove's URLFilter codes): blocklisted domains, subdomains and URLs, banned and soft-banned URL words, banned subwords.
using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Text;

namespace Pharos.Curation.Filters;

public sealed partial class UrlFilter : DocumentFilter
{
    readonly FrozenSet<string> _domains, _subdomains, _urls, _bannedWords, _softWords;
    readonly AhoCorasick _subwords;
    readonly int _softThreshold;

    public UrlFilter(
        IEnumerable<string>? blockedDomains = null,
        IEnumerable<string>? blockedSubdomains = null,
        IEnumerable<string>? blockedUrls = null,
        IEnumerable<string>? bannedWords = null,
        IEnumerable<string>? softBannedWords = null,
        IEnumerable<string>? bannedSubwords = null,
        int softWordThreshold = 2)
    {
        static FrozenSet<string> Set(IEnumerable<string>? s) => (s ?? []).Select(x => x.Trim().ToLowerInvariant()).Where(x => x.Length > 0).ToFrozenSet(StringComparer.Ordinal);
        _domains = Set(blockedDomains);
        _subdomains = Set(blockedSubdomains);
        _urls = Set(blockedUrls);
        _bannedWords = Set(bannedWords);
        _softWords = Set(softBannedWords);
        _subwords = new AhoCorasick(Set(bannedSubwords));
        _softThreshold = softWordThreshold;
    }

    public override string Name => "url_filter";

    [GeneratedRegex(@"\W+")] private static partial Regex NonWord();

    protected internal override Decision Decide(Document doc)
    {
        if (doc.Metadata.GetValueOrDefault(MetadataKeys.Url) is not string url || url.Length == 0)
            return Decision.Kept; // nothing to judge: documents without a URL pass.
        var lower = url.ToLowerInvariant();
        var host = Uri.TryCreate(lower, UriKind.Absolute, out var uri) ? uri.Host : "";
        host = host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;

        // A blocked domain blocks every subdomain of it: walk "a.b.example.com" → "b.example.com" → "example.com".
        for (var h = host; h.Length > 0; h = h.IndexOf('.') is var dot and >= 0 ? h[(dot + 1)..] : "")
            if (_domains.Contains(h))
                return Decision.Drop("domain");
        if (_subdomains.Contains(host))
            return Decision.Drop("subdomain");
        if (_urls.Contains(lower) || _urls.Contains(StripScheme(lower)))
            return Decision.Drop("url");

        var words = NonWord().Split(lower).Where(w => w.Length > 0).ToHashSet(StringComparer.Ordinal);
        if (words.Overlaps(_bannedWords))
            return Decision.Drop("hard_blacklisted");
        if (_softWords.Count > 0 && words.Count(_softWords.Contains) >= _softThreshold)
            return Decision.Drop("soft_blacklisted");
        if (_subwords.PatternCount > 0 && _subwords.FindFirst(NonWord().Replace(lower, "")) is not null)
            return Decision.Drop("blacklisted_subword");
        return Decision.Kept;
    }

    static string StripScheme(string url)
    {
        var i = url.IndexOf("://", StringComparison.Ordinal);
        return i >= 0 ? url[(i + 3)..] : url;
    }
}
