// Replaces e-mail addresses and public IPv4 addresses with fixed placeholders, cycling through them (datatrove's PIIFormatter).
using System.Net;
using System.Text.RegularExpressions;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Filters;

public sealed partial class PiiFormatter(
    bool removeEmails = true,
    bool removeIps = true,
    bool onlyPublicIps = true,
    IReadOnlyList<string>? emailReplacements = null,
    IReadOnlyList<string>? ipReplacements = null) : DocumentFormatter
{
    readonly IReadOnlyList<string> _emails = emailReplacements ?? ["email@example.com", "firstname.lastname@example.org"];
    // Documentation ranges (RFC 5737): never anyone's real address.
    readonly IReadOnlyList<string> _ips = ipReplacements ?? ["192.0.2.1", "198.51.100.7", "203.0.113.42"];
    int _emailTurn, _ipTurn;

    public override string Name => "pii";

    [GeneratedRegex(@"\b[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}\b")]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]\d)")]
    private static partial Regex Ipv4();

    protected internal override string Format(string text)
    {
        if (removeEmails && text.Contains('@'))
            text = Email().Replace(text, _ => _emails[_emailTurn++ % _emails.Count]);
        if (removeIps)
            text = Ipv4().Replace(text, m => !onlyPublicIps || IsPublic(m.Value) ? _ips[_ipTurn++ % _ips.Count] : m.Value);
        return text;
    }

    /// <summary>Python's ipaddress.is_global for IPv4: not private, loopback, link-local, shared, reserved, documentation or multicast.</summary>
    internal static bool IsPublic(string ip)
    {
        if (!IPAddress.TryParse(ip, out var address))
            return false;
        var b = address.GetAddressBytes();
        return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
            || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
            || (b[0] == 198 && b[1] is 18 or 19)
            || (b[0] == 198 && b[1] == 51 && b[2] == 100)
            || (b[0] == 203 && b[1] == 0 && b[2] == 113));
    }
}
