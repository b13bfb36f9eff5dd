// Finds added tokens in text the way Hugging Face does: leftmost-longest match, honouring lstrip/rstrip/single_word.
namespace Pharos.Models.Tokenization;

/// <summary>A character trie over the token contents; at each position the longest token starting there wins, the first position wins over later ones.</summary>
internal sealed class AddedTokenMatcher
{
    sealed class Node
    {
        public Dictionary<char, Node>? Next;
        public AddedToken? Token;
    }

    readonly Node _root = new();

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        foreach (var token in tokens)
        {
            if (token.Content.Length == 0)
                continue;
            var node = _root;
            foreach (var c in token.Content)
            {
                node.Next ??= new Dictionary<char, Node>();
                if (!node.Next.TryGetValue(c, out var child))
                    node.Next[c] = child = new Node();
                node = child;
            }
            node.Token ??= token;
            Count++;
        }
    }

    public int Count { get; }

    /// <summary>Splits <paramref name="text"/> into plain segments (Token null) and added-token segments, in order.</summary>
    public void Split(string text, List<(string Text, AddedToken? Token)> output)
    {
        if (Count == 0)
        {
            output.Add((text, null));
            return;
        }
        var plainStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var (token, end) = LongestAt(text, i);
            if (token is null || (token.SingleWord && !IsWordBoundary(text, i, end)))
            {
                i++;
                continue;
            }
            var start = i;
            if (token.LStrip)
                while (start > plainStart && char.IsWhiteSpace(text[start - 1]))
                    start--;
            if (token.RStrip)
                while (end < text.Length && char.IsWhiteSpace(text[end]))
                    end++;
            if (start > plainStart)
                output.Add((text[plainStart..start], null));
            output.Add((text[start..end], token));
            plainStart = i = end;
        }
        if (plainStart < text.Length)
            output.Add((text[plainStart..], null));
    }

    (AddedToken? Token, int End) LongestAt(string text, int start)
    {
        AddedToken? best = null;
        var bestEnd = start;
        var node = _root;
        for (var i = start; i < text.Length; i++)
        {
            if (node.Next is null || !node.Next.TryGetValue(text[i], out node))
                break;
            if (node.Token is not null)
            {
                best = node.Token;
                bestEnd = i + 1;
            }
        }
        return (best, bestEnd);
    }

    static bool IsWordBoundary(string text, int start, int end)
    {
        static bool IsWord(char c) => char.IsLetterOrDigit(c) || c == '_';
        return (start == 0 || !IsWord(text[start - 1])) && (end == text.Length || !IsWord(text[end]));
    }
}
