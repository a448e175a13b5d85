using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Heurist.Protocol.Auth;

/// <summary>
/// Reads an EIP-4361 message by its ABNF and refuses any text off it. The grammar, as read here:
/// <code>
/// [ scheme "://" ] domain " wants you to sign in with your Ethereum account:" LF
/// address LF
/// LF
/// [ statement LF ]
/// LF
/// "URI: " URI LF
/// "Version: 1" LF
/// "Chain ID: " 1*DIGIT LF
/// "Nonce: " 8*( ALPHA / DIGIT ) LF
/// "Issued At: " date-time
/// [ LF "Expiration Time: " date-time ]
/// [ LF "Not Before: " date-time ]
/// [ LF "Request ID: " *pchar ]
/// [ LF "Resources:" *( LF "- " URI ) ]
/// </code>
/// So a message without a statement has two blank lines between the address and "URI: ", one with a statement has
/// a blank line on each side of it, and an empty statement ("") is an empty line between two blank lines, as the
/// siwe package writes them. Lines end with "\n" alone; a "\r" anywhere is refused. The message ends with its last
/// field: a trailing line break is refused, as the grammar has no place for it.
/// <para>
/// Where the grammar leaves room, these choices hold: the domain is host and optional port without user
/// information (RFC 3986 deprecates "user:password@", and a domain names who asks for the sign-in); the address
/// is "0x" in lower case and 40 hex digits of either case (its EIP-55 checksum is the verifier's to check, since
/// Protocol has no Keccak); the chain id is 1 or more, within 64 bits; date-times are any RFC 3339 date-time,
/// read as instants in UTC ("t" and "z" in lower case, any offset, any number of fraction digits kept to 100 ns,
/// and a leap second only at 23:59:60 UTC, read as the next second); "Resources:" may stand with no resource
/// after it, and then reads as no resources.
/// </para>
/// </summary>
public static class SiweMessageParser
{
    private const string UriTag = "URI: ";
    private const string VersionTag = "Version: ";
    private const string ChainIdTag = "Chain ID: ";
    private const string NonceTag = "Nonce: ";
    private const string IssuedAtTag = "Issued At: ";
    private const string ResourcesLine = "Resources:";
    private const string ResourcePrefix = "- ";
    private const int MinNonceLength = 8;

    /// <summary>The optional fields after Issued At, in the only order EIP-4361 allows.</summary>
    private static readonly SiweField[] OptionalFields = [SiweField.ExpirationTime, SiweField.NotBefore, SiweField.RequestId, SiweField.Resources];

    /// <summary>statement = *( reserved / unreserved / " " ) of RFC 3986: printable ASCII less " % &lt; &gt; \ ^ ` { | }.</summary>
    private static readonly SearchValues<char> StatementChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;= ");

    /// <summary>Reads <paramref name="text"/> as an EIP-4361 message.</summary>
    /// <exception cref="SiweFormatException">The text is off the grammar; the message names the field and line.</exception>
    public static SiweMessage Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryRead(text, out var message, out var failure)
            ? message
            : throw new SiweFormatException(failure.Field, failure.Line, failure.Message);
    }

    /// <summary>Reads <paramref name="text"/> as an EIP-4361 message; on failure <paramref name="error"/> says what and where, as <see cref="Parse"/> would.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SiweMessage? message, [NotNullWhen(false)] out string? error)
    {
        if (text is null)
        {
            message = null;
            error = "Message: there is no text.";
            return false;
        }
        if (TryRead(text, out message, out var failure))
        {
            error = null;
            return true;
        }
        error = failure.Message;
        return false;
    }

    private sealed record Failure(SiweField Field, int Line, string Message);

    private static bool TryRead(string text, [NotNullWhen(true)] out SiweMessage? message, [NotNullWhen(false)] out Failure? failure)
    {
        var reader = new Reader(text);
        message = reader.Read();
        failure = reader.Failure;
        if (message is not null)
        {
            return true;
        }
        failure = reader.Failure ?? throw new UnreachableException("The reader stopped without saying why.");
        return false;
    }

    /// <summary>Reads the lines in order; the first problem ends the reading and is kept in <see cref="Failure"/>.</summary>
    private sealed class Reader(string text)
    {
        private string[] _lines = [];
        private int _index;

        public Failure? Failure { get; private set; }

        public SiweMessage? Read()
        {
            var carriageReturn = text.IndexOf('\r', StringComparison.Ordinal);
            if (carriageReturn >= 0)
            {
                return Fail(SiweField.Message, text.AsSpan(0, carriageReturn).Count('\n') + 1,
                    "a carriage return (\\r) is not allowed; lines end with \\n alone");
            }
            _lines = text.Split('\n');

            if (!ReadHeader(out var scheme, out var domain) || !ReadAddress(out var address) || !ReadStatement(out var statement)
                || !Next(UriTag, SiweField.Uri, out var uri) || !CheckUri(SiweField.Uri, uri)
                || !Next(VersionTag, SiweField.Version, out var version) || !CheckVersion(version)
                || !Next(ChainIdTag, SiweField.ChainId, out var chainIdText) || !ReadChainId(chainIdText, out var chainId)
                || !Next(NonceTag, SiweField.Nonce, out var nonce) || !CheckNonce(nonce)
                || !Next(IssuedAtTag, SiweField.IssuedAt, out var issuedAtText) || !ReadTime(SiweField.IssuedAt, issuedAtText, out var issuedAt))
            {
                return null;
            }

            DateTimeOffset? expirationTime = null;
            DateTimeOffset? notBefore = null;
            string? requestId = null;
            List<string>? resources = null;
            var lastOptional = -1;
            for (; _index < _lines.Length; _index++)
            {
                var line = _lines[_index];
                if (line.Length == 0)
                {
                    return Fail(SiweField.Message, LineNumber, _index == _lines.Length - 1
                        ? "the message ends with a line break; an EIP-4361 message ends with its last field"
                        : "an empty line is not allowed after 'Issued At'");
                }
                if (resources is not null)
                {
                    if (!line.StartsWith(ResourcePrefix, StringComparison.Ordinal))
                    {
                        return Fail(SiweField.Resources, LineNumber, $"expected '- ' and a URI, found {Quote(line)}; only resources follow 'Resources:'");
                    }
                    var resource = line[ResourcePrefix.Length..];
                    if (!CheckUri(SiweField.Resources, resource))
                    {
                        return null;
                    }
                    resources.Add(resource);
                    continue;
                }

                var which = Array.FindIndex(OptionalFields, f => line.StartsWith(Label(f) + ":", StringComparison.Ordinal));
                if (which < 0)
                {
                    return Fail(SiweField.Message, LineNumber,
                        $"unexpected line {Quote(line)}; after 'Issued At' come only Expiration Time, Not Before, Request ID and Resources, in that order");
                }
                var field = OptionalFields[which];
                if (which == lastOptional)
                {
                    return Fail(field, LineNumber, "it appears twice");
                }
                if (which < lastOptional)
                {
                    return Fail(field, LineNumber,
                        $"it comes after {Label(OptionalFields[lastOptional])}; the order is Expiration Time, Not Before, Request ID, Resources");
                }
                lastOptional = which;

                if (field == SiweField.Resources)
                {
                    if (line != ResourcesLine)
                    {
                        return Fail(field, LineNumber, "'Resources:' stands alone on its line; each resource follows on a line of its own as '- ' and a URI");
                    }
                    resources = [];
                    continue;
                }
                var tag = Label(field) + ": ";
                if (!line.StartsWith(tag, StringComparison.Ordinal))
                {
                    return Fail(field, LineNumber, $"expected '{tag}' and a value, found {Quote(line)}");
                }
                var value = line[tag.Length..];
                if (field == SiweField.RequestId)
                {
                    if (Rfc3986.CheckPchars(value) is { } problem)
                    {
                        return Fail(field, LineNumber, $"{Quote(value)} is not RFC 3986 pchar text: {problem}");
                    }
                    requestId = value;
                    continue;
                }
                if (!ReadTime(field, value, out var time))
                {
                    return null;
                }
                if (field == SiweField.ExpirationTime)
                {
                    expirationTime = time;
                }
                else
                {
                    notBefore = time;
                }
            }

            return new SiweMessage
            {
                Scheme = scheme,
                Domain = domain,
                Address = address,
                Statement = statement,
                Uri = uri,
                Version = version,
                ChainId = chainId,
                Nonce = nonce,
                IssuedAt = issuedAt,
                ExpirationTime = expirationTime,
                NotBefore = notBefore,
                RequestId = requestId,
                Resources = resources ?? [],
            };
        }

        private int LineNumber => _index + 1;

        /// <summary>Line 1: [ scheme "://" ] domain and the preamble.</summary>
        private bool ReadHeader(out string? scheme, out string domain)
        {
            scheme = null;
            domain = "";
            var header = _lines[0];
            if (!header.EndsWith(SiweMessage.Preamble, StringComparison.Ordinal))
            {
                return FailBool(SiweField.Preamble, 1, $"the first line must end with '{SiweMessage.Preamble}', found {Quote(header)}");
            }
            var prefix = header[..^SiweMessage.Preamble.Length];
            var separator = prefix.IndexOf("://", StringComparison.Ordinal);
            if (separator >= 0)
            {
                scheme = prefix[..separator];
                if (Rfc3986.CheckScheme(scheme) is { } schemeProblem)
                {
                    return FailBool(SiweField.Scheme, 1, $"{Quote(scheme)} is not an RFC 3986 scheme: {schemeProblem}");
                }
                prefix = prefix[(separator + 3)..];
            }
            if (prefix.Length == 0)
            {
                return FailBool(SiweField.Domain, 1, "there is none before the preamble");
            }
            if (Rfc3986.CheckAuthority(prefix, allowUserInfo: false, requireHost: true) is { } domainProblem)
            {
                return FailBool(SiweField.Domain, 1, $"{Quote(prefix)} is not a host and optional port: {domainProblem}");
            }
            domain = prefix;
            _index = 1;
            return true;
        }

        /// <summary>Line 2: the address, then line 3: a blank line.</summary>
        private bool ReadAddress(out string address)
        {
            address = "";
            if (_index >= _lines.Length)
            {
                return FailBool(SiweField.Address, LineNumber, "missing; the message ends after the first line");
            }
            var line = _lines[_index];
            if (line.Length != 42 || !line.StartsWith("0x", StringComparison.Ordinal) || line.AsSpan(2).ContainsAnyExcept(HexDigits))
            {
                return FailBool(SiweField.Address, LineNumber, $"{Quote(line)} is not 0x followed by 40 hex digits");
            }
            address = line;
            _index++;
            if (_index >= _lines.Length)
            {
                return FailBool(SiweField.Message, LineNumber, "the message ends after the address");
            }
            if (_lines[_index].Length != 0)
            {
                return FailBool(SiweField.Message, LineNumber, $"expected a blank line after the address, found {Quote(_lines[_index])}");
            }
            _index++;
            return true;
        }

        /// <summary>[ statement LF ] LF: a blank line alone (no statement), or the statement and a blank line.</summary>
        private bool ReadStatement(out string? statement)
        {
            statement = null;
            if (_index >= _lines.Length)
            {
                return FailBool(SiweField.Uri, LineNumber, $"missing; the message ends after line {_lines.Length}");
            }
            var line = _lines[_index];
            if (line.Length == 0)
            {
                // Two blank lines then "URI: " is no statement; three is the empty statement.
                var emptyStatement = _index + 1 < _lines.Length && _lines[_index + 1].Length == 0;
                statement = emptyStatement ? "" : null;
                _index += emptyStatement ? 2 : 1;
                return true;
            }
            if (line.StartsWith(UriTag, StringComparison.Ordinal) && _index + 1 < _lines.Length
                && _lines[_index + 1].StartsWith(VersionTag, StringComparison.Ordinal))
            {
                return FailBool(SiweField.Message, LineNumber,
                    "a message without a statement has two blank lines between the address and 'URI: ', and this one has one");
            }
            var bad = line.AsSpan().IndexOfAnyExcept(StatementChars);
            if (bad >= 0)
            {
                return FailBool(SiweField.Statement, LineNumber,
                    $"the character {Rfc3986.Describe(line[bad])} is not allowed; a statement holds RFC 3986 reserved and unreserved characters and spaces");
            }
            statement = line;
            _index++;
            if (_index >= _lines.Length || _lines[_index].Length != 0)
            {
                return FailBool(SiweField.Message, LineNumber,
                    _index >= _lines.Length ? "the message ends after the statement" : $"expected a blank line after the statement, found {Quote(_lines[_index])}");
            }
            _index++;
            return true;
        }

        /// <summary>The next line, which must start with <paramref name="tag"/>; its value is the rest of it.</summary>
        private bool Next(string tag, SiweField field, out string value)
        {
            value = "";
            if (_index >= _lines.Length)
            {
                return FailBool(field, LineNumber, $"missing; the message ends after line {_lines.Length}");
            }
            var line = _lines[_index];
            if (!line.StartsWith(tag, StringComparison.Ordinal))
            {
                return FailBool(field, LineNumber, $"expected '{tag}' and a value, found {Quote(line)}");
            }
            value = line[tag.Length..];
            _index++;
            return true;
        }

        /// <summary>Checks the value of the line just read (<c>_index - 1</c>), or of the resource line being read.</summary>
        private bool CheckUri(SiweField field, string uri)
            => Rfc3986.CheckUri(uri) is not { } problem
            || FailBool(field, field == SiweField.Resources ? LineNumber : _index, $"{Quote(uri)} is not an RFC 3986 URI: {problem}");

        private bool CheckVersion(string version)
            => version == "1" || FailBool(SiweField.Version, _index, $"{Quote(version)} is not supported; EIP-4361 defines version 1 only");

        private bool ReadChainId(string text, out ulong chainId)
        {
            chainId = 0;
            if (text.Length == 0 || text.AsSpan().ContainsAnyExceptInRange('0', '9'))
            {
                return FailBool(SiweField.ChainId, _index, $"{Quote(text)} is not a decimal number");
            }
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out chainId))
            {
                return FailBool(SiweField.ChainId, _index, $"{Quote(text)} is larger than {ulong.MaxValue}");
            }
            return chainId != 0 || FailBool(SiweField.ChainId, _index, "0 is not a chain id; EIP-155 chain ids start at 1");
        }

        private bool CheckNonce(string nonce)
        {
            if (nonce.AsSpan().ContainsAnyExcept(AsciiLettersAndDigits))
            {
                return FailBool(SiweField.Nonce, _index, $"{Quote(nonce)} holds a character other than ASCII letters and digits");
            }
            return nonce.Length >= MinNonceLength
                || FailBool(SiweField.Nonce, _index, $"{Quote(nonce)} is shorter than {MinNonceLength} characters");
        }

        /// <summary>An RFC 3339 date-time; <paramref name="field"/> is on the line just read, or the current optional line.</summary>
        private bool ReadTime(SiweField field, string text, out DateTimeOffset time)
        {
            time = default;
            var line = field == SiweField.IssuedAt ? _index : LineNumber;
            if (Rfc3339.Parse(text, out var problem) is not { } parsed)
            {
                return FailBool(field, line, $"{Quote(text)} is not a date-time: {problem}");
            }
            time = parsed;
            return true;
        }

        private SiweMessage? Fail(SiweField field, int line, string problem)
        {
            FailBool(field, line, problem);
            return null;
        }

        private bool FailBool(SiweField field, int line, string problem)
        {
            Failure = new Failure(field, line, $"{Label(field)}: {problem} (line {line}).");
            return false;
        }
    }

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private static readonly SearchValues<char> AsciiLettersAndDigits =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    /// <summary>A field's name as the message text writes it.</summary>
    public static string Label(SiweField field) => field switch
    {
        SiweField.Message => "Message",
        SiweField.Scheme => "Scheme",
        SiweField.Domain => "Domain",
        SiweField.Preamble => "Preamble",
        SiweField.Address => "Address",
        SiweField.Statement => "Statement",
        SiweField.Uri => "URI",
        SiweField.Version => "Version",
        SiweField.ChainId => "Chain ID",
        SiweField.Nonce => "Nonce",
        SiweField.IssuedAt => "Issued At",
        SiweField.ExpirationTime => "Expiration Time",
        SiweField.NotBefore => "Not Before",
        SiweField.RequestId => "Request ID",
        SiweField.Resources => "Resources",
        _ => field.ToString(),
    };

    /// <summary>A value as an error message shows it: quoted, cut after 80 characters, control characters escaped.</summary>
    private static string Quote(string value)
    {
        const int Shown = 80;
        var quoted = new StringBuilder(Math.Min(value.Length, Shown) + 3).Append('\'');
        foreach (var c in value.Length > Shown ? value.AsSpan(0, Shown) : value.AsSpan())
        {
            if (char.IsControl(c))
            {
                quoted.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                quoted.Append(c);
            }
        }
        if (value.Length > Shown)
        {
            quoted.Append('…');
        }
        return quoted.Append('\'').ToString();
    }
}
