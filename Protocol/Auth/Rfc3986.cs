namespace Heurist.Protocol.Auth;

/// <summary>
/// The parts of RFC 3986 that EIP-4361 uses: scheme, authority, absolute URI and pchar. Each check returns null when
/// the text follows the grammar, else a phrase saying what breaks it. .NET's <c>Uri</c> is not used because it
/// accepts and silently repairs text the grammar refuses (spaces, backslashes, Unicode hosts).
/// </summary>
internal static class Rfc3986
{
    public static bool IsAlpha(char c) => char.IsAsciiLetter(c);

    public static bool IsDigit(char c) => char.IsAsciiDigit(c);

    public static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    public static bool IsSubDelim(char c) => c is '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=';

    public static bool IsGenDelim(char c) => c is ':' or '/' or '?' or '#' or '[' or ']' or '@';

    public static bool IsPchar(char c) => IsUnreserved(c) || IsSubDelim(c) || c is ':' or '@';

    /// <summary>scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )</summary>
    public static string? CheckScheme(ReadOnlySpan<char> scheme)
    {
        if (scheme.IsEmpty)
        {
            return "the scheme is empty";
        }
        if (!IsAlpha(scheme[0]))
        {
            return $"the scheme must start with a letter, not {Describe(scheme[0])}";
        }
        foreach (var c in scheme[1..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return $"the character {Describe(c)} is not allowed in a scheme";
            }
        }
        return null;
    }

    /// <summary>
    /// authority = [ userinfo "@" ] host [ ":" port ]. A domain passes <paramref name="allowUserInfo"/> false (it names
    /// who asks for the sign-in, never credentials) and <paramref name="requireHost"/> true.
    /// </summary>
    public static string? CheckAuthority(ReadOnlySpan<char> authority, bool allowUserInfo, bool requireHost)
    {
        var at = authority.IndexOf('@');
        if (at >= 0)
        {
            if (!allowUserInfo)
            {
                return "it carries user information (the part before '@'), which a domain may not";
            }
            if (CheckChars(authority[..at], static c => IsUnreserved(c) || IsSubDelim(c) || c == ':', "user information") is { } userInfoProblem)
            {
                return userInfoProblem;
            }
            authority = authority[(at + 1)..];
        }

        ReadOnlySpan<char> host;
        ReadOnlySpan<char> rest;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0)
            {
                return "the IP literal opened with '[' is not closed with ']'";
            }
            if (CheckIpLiteral(authority[1..close]) is { } literalProblem)
            {
                return literalProblem;
            }
            host = authority[..(close + 1)];
            rest = authority[(close + 1)..];
            if (!rest.IsEmpty && rest[0] != ':')
            {
                return $"the character {Describe(rest[0])} follows the IP literal where only ':' and a port may";
            }
        }
        else
        {
            var colon = authority.IndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            rest = colon < 0 ? [] : authority[colon..];
            // reg-name also covers IPv4 addresses (and 1.1.1.256, which is a valid reg-name).
            if (CheckChars(host, static c => IsUnreserved(c) || IsSubDelim(c), "a host name") is { } hostProblem)
            {
                return hostProblem;
            }
        }
        if (requireHost && host.IsEmpty)
        {
            return "there is no host";
        }
        if (!rest.IsEmpty)
        {
            foreach (var c in rest[1..])
            {
                if (!IsDigit(c))
                {
                    return $"the character {Describe(c)} is not allowed in a port, which is digits only";
                }
            }
        }
        return null;
    }

    /// <summary>URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ]: an absolute URI, fragment allowed.</summary>
    public static string? CheckUri(ReadOnlySpan<char> uri)
    {
        if (uri.IsEmpty)
        {
            return "it is empty";
        }
        var colon = uri.IndexOf(':');
        var beforeColon = colon < 0 ? uri : uri[..colon];
        if (colon < 0 || beforeColon.IndexOfAny('/', '?', '#') >= 0)
        {
            return "it is not an absolute URI (there is no scheme before a ':')";
        }
        if (CheckScheme(beforeColon) is { } schemeProblem)
        {
            return schemeProblem;
        }
        var rest = uri[(colon + 1)..];

        var hash = rest.IndexOf('#');
        if (hash >= 0)
        {
            if (CheckChars(rest[(hash + 1)..], static c => IsPchar(c) || c is '/' or '?', "a fragment") is { } fragmentProblem)
            {
                return fragmentProblem;
            }
            rest = rest[..hash];
        }
        var question = rest.IndexOf('?');
        if (question >= 0)
        {
            if (CheckChars(rest[(question + 1)..], static c => IsPchar(c) || c is '/' or '?', "a query") is { } queryProblem)
            {
                return queryProblem;
            }
            rest = rest[..question];
        }

        // hier-part: "//" authority path-abempty, or a path that is absolute, rootless or empty. Every one of those
        // paths is pchar and "/" once the authority is taken off.
        if (rest.StartsWith("//"))
        {
            var authority = rest[2..];
            var slash = authority.IndexOf('/');
            var path = slash < 0 ? [] : authority[slash..];
            authority = slash < 0 ? authority : authority[..slash];
            if (CheckAuthority(authority, allowUserInfo: true, requireHost: false) is { } authorityProblem)
            {
                return $"its authority is not valid: {authorityProblem}";
            }
            rest = path;
        }
        return CheckChars(rest, static c => IsPchar(c) || c == '/', "a path");
    }

    /// <summary>*pchar, as in a Request ID.</summary>
    public static string? CheckPchars(ReadOnlySpan<char> text) => CheckChars(text, IsPchar, "this field");

    /// <summary>
    /// Every character passes <paramref name="allowed"/> or starts a pct-encoded triplet ("%" HEXDIG HEXDIG).
    /// </summary>
    private static string? CheckChars(ReadOnlySpan<char> text, Func<char, bool> allowed, string where)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    return $"a '%' in {where} is not followed by two hex digits";
                }
                i += 2;
            }
            else if (!allowed(c))
            {
                return $"the character {Describe(c)} is not allowed in {where}";
            }
        }
        return null;
    }

    /// <summary>IP-literal without its brackets: IPv6address / IPvFuture.</summary>
    private static string? CheckIpLiteral(ReadOnlySpan<char> literal)
    {
        if (literal.StartsWith('v') || literal.StartsWith('V'))
        {
            // IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
            var dot = literal.IndexOf('.');
            var version = dot < 0 ? [] : literal[1..dot];
            var address = dot < 0 ? [] : literal[(dot + 1)..];
            var valid = !version.IsEmpty && !version.ContainsAnyExcept(HexDigits)
                && !address.IsEmpty && !address.ContainsAnyExcept(IpvFutureChars);
            return valid ? null : $"[{literal}] is not an IPvFuture literal";
        }
        return IsIpv6(literal) ? null : $"[{literal}] is not an IPv6 address";
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static readonly System.Buffers.SearchValues<char> IpvFutureChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:");

    /// <summary>
    /// IPv6address of RFC 3986: eight 16-bit groups of 1 to 4 hex digits, the last two of which may be written as an
    /// IPv4 address; one "::" may stand for one or more groups of zeros.
    /// </summary>
    private static bool IsIpv6(ReadOnlySpan<char> text)
    {
        var doubleColon = text.IndexOf("::");
        if (doubleColon >= 0 && text[(doubleColon + 1)..].IndexOf("::") >= 0)
        {
            return false;
        }
        if (doubleColon < 0)
        {
            return CountGroups(text, allowIpv4Tail: true) == 8;
        }
        var left = text[..doubleColon];
        var right = text[(doubleColon + 2)..];
        var leftGroups = left.IsEmpty ? 0 : CountGroups(left, allowIpv4Tail: false);
        var rightGroups = right.IsEmpty ? 0 : CountGroups(right, allowIpv4Tail: true);
        return leftGroups >= 0 && rightGroups >= 0 && leftGroups + rightGroups <= 7;
    }

    /// <summary>How many 16-bit groups a ':'-separated run holds (an IPv4 tail counts two), or -1 when it is malformed.</summary>
    private static int CountGroups(ReadOnlySpan<char> text, bool allowIpv4Tail)
    {
        var groups = 0;
        while (true)
        {
            var colon = text.IndexOf(':');
            var group = colon < 0 ? text : text[..colon];
            if (colon < 0 && allowIpv4Tail && group.IndexOf('.') >= 0)
            {
                return IsIpv4(group) ? groups + 2 : -1;
            }
            if (group.IsEmpty || group.Length > 4 || group.ContainsAnyExcept(HexDigits))
            {
                return -1;
            }
            groups++;
            if (colon < 0)
            {
                return groups;
            }
            text = text[(colon + 1)..];
        }
    }

    /// <summary>IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet, each 0 to 255 without leading zeros.</summary>
    private static bool IsIpv4(ReadOnlySpan<char> text)
    {
        for (var octet = 0; octet < 4; octet++)
        {
            var dot = text.IndexOf('.');
            if ((dot < 0) != (octet == 3))
            {
                return false;
            }
            var part = dot < 0 ? text : text[..dot];
            if (part.IsEmpty || part.Length > 3 || !part.ContainsOnlyAsciiDigits() || (part.Length > 1 && part[0] == '0')
                || int.Parse(part, System.Globalization.CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
            text = dot < 0 ? [] : text[(dot + 1)..];
        }
        return true;
    }

    private static bool ContainsOnlyAsciiDigits(this ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    /// <summary>A character as an error message shows it: quoted when printable ASCII, else its code point.</summary>
    public static string Describe(char c) => c is >= ' ' and <= '~' ? $"'{c}'" : $"U+{(int)c:X4}";
}
