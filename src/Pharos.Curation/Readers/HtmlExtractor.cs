// Main-text extraction from HTML with AngleSharp, favouring precision: boilerplate, navigation, forms and tables go; link-heavy blocks go.
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Pharos.Curation.Readers;

public sealed class HtmlExtractor
{
    static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "table", "iframe",
        "svg", "button", "select", "textarea", "input", "menu", "head", "object", "embed", "canvas", "video", "audio", "dialog",
    };
    static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre", "section", "article", "main",
        "dd", "dt", "dl", "br", "hr", "address", "figcaption", "details", "summary", "body", "center",
    };
    static readonly string[] BoilerplateMarks =
    [
        "nav", "menu", "footer", "sidebar", "cookie", "banner", "breadcrumb", "comment", "share", "social", "advert",
        "sponsor", "promo", "related", "popup", "modal", "subscribe", "newsletter", "login", "signup", "toolbar", "skip-link",
    ];

    readonly HtmlParser _parser = new(new HtmlParserOptions { IsScripting = false, IsKeepingSourceReferences = false });
    static readonly Lazy<bool> Warm = new(() =>
    {
        new HtmlExtractor().Extract("<html><body><main><h1>t</h1><p>warm up the parser <a href=x>once</a></p></main></body></html>", DateTime.MaxValue);
        return true;
    });

    /// <summary>Parses one tiny page per process so JIT compilation is not charged to the first real page's time limit.</summary>
    public static void WarmUp() => _ = Warm.Value;

    /// <summary>Maximum share of a block's characters inside links; navigation lists and tag clouds exceed it.</summary>
    public double MaxLinkDensity { get; init; } = 0.33;
    /// <summary>Blocks shorter than this are dropped unless they are headings.</summary>
    public int MinBlockChars { get; init; } = 10;

    /// <summary>Extracts text, or throws <see cref="TimeoutException"/> once <paramref name="deadline"/> passes (checked while walking the DOM).</summary>
    public string Extract(string html, DateTime deadline, CancellationToken cancel = default)
    {
        var document = _parser.ParseDocumentAsync(html, cancel).GetAwaiter().GetResult();
        CheckDeadline(deadline);
        var root = (IElement?)document.QuerySelector("main") ?? document.QuerySelector("article") ?? document.Body;
        if (root is null)
            return "";
        var output = new StringBuilder();
        var block = new StringBuilder();
        int linkChars = 0, visited = 0;
        bool heading = false;
        // An explicit stack, not recursion: pathological nesting (100k <div>s) must not overflow the stack.
        var stack = new Stack<(INode Node, bool Exit, bool InLink)>();
        stack.Push((root, false, false));
        while (stack.Count > 0)
        {
            var (node, exit, inLink) = stack.Pop();
            if ((++visited & 1023) == 0)
                CheckDeadline(deadline);
            if (node is IText text)
            {
                AppendCollapsed(block, text.Data, inLink, ref linkChars);
                continue;
            }
            if (node is not IElement element)
                continue;
            var isBlock = Blocks.Contains(element.LocalName);
            if (exit)
            {
                if (isBlock)
                    Flush(output, block, ref linkChars, ref heading);
                continue;
            }
            if (Dropped.Contains(element.LocalName) || IsBoilerplate(element))
                continue;
            if (isBlock)
                Flush(output, block, ref linkChars, ref heading);
            if (element.LocalName is "h1" or "h2" or "h3" or "h4" or "h5" or "h6")
                heading = true;
            stack.Push((element, true, inLink));
            var childInLink = inLink || element.LocalName == "a";
            for (var child = element.LastChild; child is not null; child = child.PreviousSibling)
                stack.Push((child, false, childInLink));
        }
        Flush(output, block, ref linkChars, ref heading);
        return output.ToString().TrimEnd('\n');
    }

    void Flush(StringBuilder output, StringBuilder block, ref int linkChars, ref bool heading)
    {
        var length = block.Length;
        while (length > 0 && block[length - 1] == ' ')
            length--;
        if (length > 0 && (heading || length >= MinBlockChars) && linkChars <= MaxLinkDensity * length)
            output.Append(block, 0, length).Append('\n');
        block.Clear();
        linkChars = 0;
        heading = false;
    }

    static void AppendCollapsed(StringBuilder block, string data, bool inLink, ref int linkChars)
    {
        foreach (var c in data)
        {
            var space = char.IsWhiteSpace(c);
            if (space && (block.Length == 0 || block[^1] == ' '))
                continue;
            block.Append(space ? ' ' : c);
            if (inLink && !space)
                linkChars++;
        }
    }

    static bool IsBoilerplate(IElement element)
    {
        if (element.GetAttribute("aria-hidden") == "true" || element.HasAttribute("hidden"))
            return true;
        var role = element.GetAttribute("role");
        if (role is "navigation" or "banner" or "contentinfo" or "complementary" or "search")
            return true;
        var marks = (element.GetAttribute("class") + " " + element.Id).ToLowerInvariant();
        if (marks.Length <= 1)
            return false;
        foreach (var mark in BoilerplateMarks)
            if (marks.Contains(mark, StringComparison.Ordinal))
                return true;
        return false;
    }

    static void CheckDeadline(DateTime deadline)
    {
        if (DateTime.UtcNow > deadline)
            throw new TimeoutException("HTML extraction exceeded its time limit");
    }
}
