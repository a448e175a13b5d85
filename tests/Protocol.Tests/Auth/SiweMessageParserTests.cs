using Heurist.Protocol.Auth;

namespace Heurist.Protocol.Tests.Auth;

public sealed class SiweMessageParserTests
{
    private const string Address = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";
    private const string Preamble = " wants you to sign in with your Ethereum account:";

    private static string Lines(params string[] lines) => string.Join('\n', lines);

    /// <summary>The example of EIP-4361's specification: a statement, two resources.</summary>
    private static readonly string EipExample = Lines(
        "service.invalid" + Preamble,
        Address,
        "",
        "I accept the ServiceOrg Terms of Service: https://service.invalid/tos",
        "",
        "URI: https://service.invalid/login",
        "Version: 1",
        "Chain ID: 1",
        "Nonce: 32891756",
        "Issued At: 2021-09-30T16:25:24Z",
        "Resources:",
        "- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/",
        "- https://example.com/my-web2-claim.json");

    /// <summary>A message without a statement: two blank lines between the address and the URI.</summary>
    private static string Bare(params string[] extra) => Lines([
        "127.0.0.1:5080" + Preamble,
        Address,
        "",
        "",
        "URI: http://127.0.0.1:5080/",
        "Version: 1",
        "Chain ID: 31337",
        "Nonce: abcdefgh12345678",
        "Issued At: 2026-12-03T17:40:00.000Z",
        .. extra]);

    /// <summary><see cref="Bare"/> with one line (0-based) replaced, or removed when <paramref name="replacement"/> is null.</summary>
    private static string BareWith(int index, string? replacement)
    {
        var lines = Bare().Split('\n').ToList();
        if (replacement is null)
        {
            lines.RemoveAt(index);
        }
        else
        {
            lines[index] = replacement;
        }
        return string.Join('\n', lines);
    }

    private static readonly DateTimeOffset Issued = new(2026, 12, 3, 17, 40, 0, TimeSpan.Zero);

    [Fact]
    public void The_example_of_the_EIP_parses_to_its_fields()
    {
        var message = SiweMessageParser.Parse(EipExample);

        Assert.Null(message.Scheme);
        Assert.Equal("service.invalid", message.Domain);
        Assert.Equal(Address, message.Address);
        Assert.Equal("I accept the ServiceOrg Terms of Service: https://service.invalid/tos", message.Statement);
        Assert.Equal("https://service.invalid/login", message.Uri);
        Assert.Equal("1", message.Version);
        Assert.Equal(1UL, message.ChainId);
        Assert.Equal("32891756", message.Nonce);
        Assert.Equal(new DateTimeOffset(2021, 9, 30, 16, 25, 24, TimeSpan.Zero), message.IssuedAt);
        Assert.Null(message.ExpirationTime);
        Assert.Null(message.NotBefore);
        Assert.Null(message.RequestId);
        Assert.Equal(["ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/", "https://example.com/my-web2-claim.json"], message.Resources);
    }

    [Fact]
    public void A_scheme_before_the_domain_is_read_apart_from_it()
    {
        var message = SiweMessageParser.Parse(EipExample.Replace("service.invalid wants", "https://service.invalid wants", StringComparison.Ordinal));

        Assert.Equal("https", message.Scheme);
        Assert.Equal("service.invalid", message.Domain);
    }

    [Fact]
    public void A_message_without_a_statement_has_two_blank_lines_before_the_URI_and_reads_as_no_statement()
    {
        var message = SiweMessageParser.Parse(Bare());

        Assert.Null(message.Statement);
        Assert.Equal("127.0.0.1:5080", message.Domain);
        Assert.Equal("http://127.0.0.1:5080/", message.Uri);
        Assert.Equal(31337UL, message.ChainId);
        Assert.Equal(Issued, message.IssuedAt);
        Assert.Empty(message.Resources);
        Assert.Equal(Bare(), message.ToMessage());
        Assert.Contains($"{Address}\n\n\nURI: ", message.ToMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_statement_is_an_empty_line_between_two_blank_lines()
    {
        var text = Bare().Replace($"{Address}\n\n\n", $"{Address}\n\n\n\n", StringComparison.Ordinal);

        var message = SiweMessageParser.Parse(text);

        Assert.Equal("", message.Statement);
        Assert.Equal(text, message.ToMessage());
        Assert.NotEqual(SiweMessageParser.Parse(Bare()), message);
    }

    [Fact]
    public void Every_optional_field_is_read_in_its_place()
    {
        var text = Bare(
            "Expiration Time: 2026-12-03T17:50:00Z",
            "Not Before: 2026-12-03T17:39:00Z",
            "Request ID: req-1:a@b%20c",
            "Resources:",
            "- https://example.com/a?b=c#d",
            "- urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66");

        var message = SiweMessageParser.Parse(text);

        Assert.Equal(Issued.AddMinutes(10), message.ExpirationTime);
        Assert.Equal(Issued.AddMinutes(-1), message.NotBefore);
        Assert.Equal("req-1:a@b%20c", message.RequestId);
        Assert.Equal(["https://example.com/a?b=c#d", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"], message.Resources);
    }

    [Fact]
    public void An_empty_request_id_and_an_empty_resource_list_are_in_the_grammar()
    {
        var message = SiweMessageParser.Parse(Bare("Request ID: ", "Resources:"));

        Assert.Equal("", message.RequestId);
        Assert.Empty(message.Resources);
    }

    public static TheoryData<string, string> Times => new()
    {
        { "2026-12-03T17:40:00Z", "2026-12-03T17:40:00.0000000+00:00" },
        { "2026-12-03t17:40:00z", "2026-12-03T17:40:00.0000000+00:00" },
        { "2026-12-03T19:40:00.5+02:00", "2026-12-03T17:40:00.5000000+00:00" },
        { "2026-12-03T12:10:00-05:30", "2026-12-03T17:40:00.0000000+00:00" },
        { "2026-12-03T17:40:00.123456789Z", "2026-12-03T17:40:00.1234567+00:00" },
        { "2026-12-04T16:40:00+23:00", "2026-12-03T17:40:00.0000000+00:00" },
        { "2024-02-29T00:00:00Z", "2024-02-29T00:00:00.0000000+00:00" },
        { "2016-12-31T23:59:60Z", "2017-01-01T00:00:00.0000000+00:00" },
        { "2017-01-01T00:59:60.25+01:00", "2017-01-01T00:00:00.2500000+00:00" },
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void Issued_at_takes_any_RFC_3339_date_time_as_an_instant(string time, string instant)
    {
        var message = SiweMessageParser.Parse(BareWith(8, "Issued At: " + time));

        Assert.Equal(instant, message.IssuedAt.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
    }

    public static TheoryData<string> Domains => new()
    {
        "example.com",
        "EXAMPLE.com:443",
        "localhost:5080",
        "127.0.0.1",
        "[::1]:8080",
        "[2001:db8::7]",
        "[::ffff:192.0.2.128]",
        "[v7.fe80::1+eth0]",
        "xn--bcher-kva.example",
        "sub_domain.example",
        "a%2Db.example",
    };

    [Theory]
    [MemberData(nameof(Domains))]
    public void Domains_are_RFC_3986_hosts_with_an_optional_port(string domain)
        => Assert.Equal(domain, SiweMessageParser.Parse(BareWith(0, domain + Preamble)).Domain);

    public static TheoryData<string> Uris => new()
    {
        "https://example.com",
        "https://user:pw@example.com:8443/a/b;c?d=e&f#g/h?i",
        "http://[::1]:5080/",
        "did:pkh:eip155:1:0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2",
        "urn:isbn:0451450523",
        "file:///etc/hosts",
        "mailto:a@example.com",
        "ipfs://bafy/",
        "x:",
        "a+b.c-d://host/%41",
    };

    [Theory]
    [MemberData(nameof(Uris))]
    public void URIs_are_any_absolute_RFC_3986_URI(string uri)
        => Assert.Equal(uri, SiweMessageParser.Parse(BareWith(4, "URI: " + uri)).Uri);

    /// <summary>Records of every shape, each written by ToMessage and read back.</summary>
    public static TheoryData<string> RoundTrips => new() { "bare", "statement", "empty statement", "scheme", "all", "resources only", "large chain id" };

    private static SiweMessage Sample(string name)
    {
        var bare = new SiweMessage
        {
            Domain = "portal.example:8443",
            Address = Address,
            Uri = "https://portal.example:8443/sign-in",
            ChainId = 8453,
            Nonce = "Zx81kq0PLmn2Bv7Ty",
            IssuedAt = Issued.AddMilliseconds(123),
        };
        return name switch
        {
            "bare" => bare,
            "statement" => bare with { Statement = "Sign in to Heurist; nonce-bound (EIP-4361)." },
            "empty statement" => bare with { Statement = "" },
            "scheme" => bare with { Scheme = "https", Statement = "Hello" },
            "all" => bare with
            {
                Scheme = "https",
                Statement = "Terms: https://portal.example/tos",
                ExpirationTime = Issued.AddHours(1),
                NotBefore = Issued.AddSeconds(-30),
                RequestId = "42",
                Resources = ["https://portal.example/a", "ipfs://bafy/b"],
            },
            "resources only" => bare with { Resources = ["https://portal.example/only"] },
            "large chain id" => bare with { ChainId = ulong.MaxValue },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Parsing_what_ToMessage_writes_gives_the_same_message(string name)
    {
        var message = Sample(name);
        var text = message.ToMessage();

        var parsed = SiweMessageParser.Parse(text);

        Assert.Equal(message, parsed);
        Assert.Equal(text, parsed.ToMessage());
    }

    [Fact]
    public void Messages_that_differ_in_one_resource_are_not_equal()
    {
        var one = Sample("all");
        var other = one with { Resources = ["https://portal.example/a", "ipfs://bafy/c"] };

        Assert.NotEqual(one, other);
        Assert.Equal(one, one with { Resources = [.. one.Resources] });
        Assert.Equal(one.GetHashCode(), (one with { Resources = [.. one.Resources] }).GetHashCode());
    }

    /// <summary>One text per way off the grammar: the field the error names, and words it must contain.</summary>
    public static TheoryData<string, string, SiweField, string> Violations => new()
    {
        { "empty text", "", SiweField.Preamble, "must end with" },
        { "preamble reworded", BareWith(0, "127.0.0.1:5080 wants you to sign in with your ethereum account:"), SiweField.Preamble, "must end with" },
        { "no domain", BareWith(0, Preamble), SiweField.Domain, "none before the preamble" },
        { "domain with user information", BareWith(0, "user@example.com" + Preamble), SiweField.Domain, "user information" },
        { "domain with a path", BareWith(0, "example.com/login" + Preamble), SiweField.Domain, "'/'" },
        { "domain with a space", BareWith(0, "evil.example example.com" + Preamble), SiweField.Domain, "' '" },
        { "domain with a letter in its port", BareWith(0, "example.com:80a" + Preamble), SiweField.Domain, "port" },
        { "domain with two colons", BareWith(0, "example.com:80:80" + Preamble), SiweField.Domain, "port" },
        { "domain with a bad IPv6 literal", BareWith(0, "[::1::2]" + Preamble), SiweField.Domain, "IPv6" },
        { "domain with an unclosed IPv6 literal", BareWith(0, "[::1" + Preamble), SiweField.Domain, "not closed" },
        { "domain with a non-ASCII host", BareWith(0, "bücher.example" + Preamble), SiweField.Domain, "U+00FC" },
        { "scheme starting with a digit", BareWith(0, "1https://example.com" + Preamble), SiweField.Scheme, "start with a letter" },
        { "scheme and no domain", BareWith(0, "https://" + Preamble), SiweField.Domain, "none" },
        { "address missing", Lines("example.com" + Preamble), SiweField.Address, "missing" },
        { "address of 39 bytes", BareWith(1, Address[..^2]), SiweField.Address, "40 hex digits" },
        { "address of 41 bytes", BareWith(1, Address + "00"), SiweField.Address, "40 hex digits" },
        { "address without 0x", BareWith(1, "00" + Address[2..]), SiweField.Address, "40 hex digits" },
        { "address with 0X", BareWith(1, "0X" + Address[2..]), SiweField.Address, "40 hex digits" },
        { "address with a non-hex digit", BareWith(1, Address[..^1] + "g"), SiweField.Address, "40 hex digits" },
        { "address followed by spaces", BareWith(1, Address + " "), SiweField.Address, "40 hex digits" },
        { "no blank line after the address", BareWith(2, null), SiweField.Message, "one" },
        { "message ends after the address", Lines("example.com" + Preamble, Address), SiweField.Message, "ends after the address" },
        { "one blank line and no statement", BareWith(3, null), SiweField.Message, "two blank lines" },
        { "statement over two lines", BareWith(3, "first line\nsecond line\n"), SiweField.Message, "blank line after the statement" },
        { "statement with a double quote", BareWith(3, "say \"yes\"\n"), SiweField.Statement, "'\"'" },
        { "statement with a percent sign", BareWith(3, "100% sure\n"), SiweField.Statement, "'%'" },
        { "statement with a non-ASCII letter", BareWith(3, "déjà vu\n"), SiweField.Statement, "U+00E9" },
        { "statement with a tab", BareWith(3, "a\tb\n"), SiweField.Statement, "U+0009" },
        { "statement not followed by a blank line", BareWith(3, "Sign in"), SiweField.Message, "blank line after the statement" },
        { "URI missing", BareWith(4, null), SiweField.Uri, "expected 'URI: '" },
        { "URI tag in lower case", BareWith(4, "uri: http://127.0.0.1:5080/"), SiweField.Uri, "expected 'URI: '" },
        { "URI line indented", BareWith(4, " URI: http://127.0.0.1:5080/"), SiweField.Uri, "expected 'URI: '" },
        { "relative URI", BareWith(4, "URI: /login"), SiweField.Uri, "absolute" },
        { "URI with a space", BareWith(4, "URI: http://127.0.0.1:5080/a b"), SiweField.Uri, "' '" },
        { "URI with a backslash", BareWith(4, "URI: http://127.0.0.1:5080\\evil"), SiweField.Uri, "'\\'" },
        { "URI with a bad percent escape", BareWith(4, "URI: http://127.0.0.1:5080/%zz"), SiweField.Uri, "two hex digits" },
        { "URI with a bad port", BareWith(4, "URI: http://127.0.0.1:50x0/"), SiweField.Uri, "port" },
        { "URI empty", BareWith(4, "URI: "), SiweField.Uri, "empty" },
        { "version 2", BareWith(5, "Version: 2"), SiweField.Version, "version 1 only" },
        { "version missing", BareWith(5, null), SiweField.Version, "found 'Chain ID: 31337'" },
        { "fields out of order", Bare().Replace("Version: 1\nChain ID: 31337", "Chain ID: 31337\nVersion: 1", StringComparison.Ordinal), SiweField.Version, "expected 'Version: '" },
        { "hex chain id", BareWith(6, "Chain ID: 0x1"), SiweField.ChainId, "'0x1' is not a decimal number" },
        { "negative chain id", BareWith(6, "Chain ID: -1"), SiweField.ChainId, "not a decimal number" },
        { "empty chain id", BareWith(6, "Chain ID: "), SiweField.ChainId, "not a decimal number" },
        { "chain id with a space", BareWith(6, "Chain ID: 1 "), SiweField.ChainId, "not a decimal number" },
        { "chain id 0", BareWith(6, "Chain ID: 0"), SiweField.ChainId, "start at 1" },
        { "chain id over 64 bits", BareWith(6, "Chain ID: 18446744073709551616"), SiweField.ChainId, "larger than" },
        { "nonce of 7 characters", BareWith(7, "Nonce: abc1234"), SiweField.Nonce, "shorter than 8" },
        { "nonce with a dash", BareWith(7, "Nonce: abcd-efgh-1234"), SiweField.Nonce, "ASCII letters and digits" },
        { "nonce with a non-ASCII letter", BareWith(7, "Nonce: abcdéfgh1"), SiweField.Nonce, "ASCII letters and digits" },
        { "issued at missing", BareWith(8, null), SiweField.IssuedAt, "missing" },
        { "issued at with a space for T", BareWith(8, "Issued At: 2026-12-03 17:40:00Z"), SiweField.IssuedAt, "not a date-time" },
        { "issued at without an offset", BareWith(8, "Issued At: 2026-12-03T17:40:00"), SiweField.IssuedAt, "time offset" },
        { "issued at with a compact offset", BareWith(8, "Issued At: 2026-12-03T17:40:00+0100"), SiweField.IssuedAt, "time offset" },
        { "issued at as a date", BareWith(8, "Issued At: 2026-12-03"), SiweField.IssuedAt, "not a date-time" },
        { "issued at on 30 February", BareWith(8, "Issued At: 2026-02-30T00:00:00Z"), SiweField.IssuedAt, "day 30" },
        { "issued at in month 13", BareWith(8, "Issued At: 2026-13-01T00:00:00Z"), SiweField.IssuedAt, "month 13" },
        { "issued at at hour 24", BareWith(8, "Issued At: 2026-12-03T24:00:00Z"), SiweField.IssuedAt, "does not exist" },
        { "issued at with an offset of 24 hours", BareWith(8, "Issued At: 2026-12-03T17:40:00+24:00"), SiweField.IssuedAt, "out of range" },
        { "issued at with a dot and no fraction", BareWith(8, "Issued At: 2026-12-03T17:40:00.Z"), SiweField.IssuedAt, "no digits" },
        { "issued at with a leap second at noon", BareWith(8, "Issued At: 2016-12-31T12:00:60Z"), SiweField.IssuedAt, "leap second" },
        { "issued at followed by junk", BareWith(8, "Issued At: 2026-12-03T17:40:00Z junk"), SiweField.IssuedAt, "time offset" },
        { "issued at in year 0", BareWith(8, "Issued At: 0000-01-01T00:00:00Z"), SiweField.IssuedAt, "0000" },
        { "issued at before year 1 in UTC", BareWith(8, "Issued At: 0001-01-01T00:00:00+01:00"), SiweField.IssuedAt, "outside the years" },
        { "expiration time not a date", Bare("Expiration Time: tomorrow"), SiweField.ExpirationTime, "not a date-time" },
        { "expiration time without its space", Bare("Expiration Time:2026-12-03T17:50:00Z"), SiweField.ExpirationTime, "expected 'Expiration Time: '" },
        { "not before not a date", Bare("Not Before: 2026-12-03T17:40Z"), SiweField.NotBefore, "not a date-time" },
        { "optional fields out of order", Bare("Not Before: 2026-12-03T17:39:00Z", "Expiration Time: 2026-12-03T17:50:00Z"), SiweField.ExpirationTime, "comes after Not Before" },
        { "resources before the request id", Bare("Resources:", "Request ID: 1"), SiweField.Resources, "expected '- '" },
        { "expiration time twice", Bare("Expiration Time: 2026-12-03T17:50:00Z", "Expiration Time: 2026-12-03T17:55:00Z"), SiweField.ExpirationTime, "twice" },
        { "an unknown field", Bare("Foo: bar"), SiweField.Message, "unexpected line 'Foo: bar'" },
        { "an empty line between fields", Bare("", "Request ID: 1"), SiweField.Message, "empty line" },
        { "request id with a space", Bare("Request ID: a b"), SiweField.RequestId, "' '" },
        { "request id with a slash", Bare("Request ID: a/b"), SiweField.RequestId, "'/'" },
        { "resources on the same line", Bare("Resources: https://example.com"), SiweField.Resources, "stands alone" },
        { "a resource that is not a URI", Bare("Resources:", "- not a uri"), SiweField.Resources, "not an RFC 3986 URI" },
        { "a resource without its dash", Bare("Resources:", "https://example.com"), SiweField.Resources, "expected '- '" },
        { "a resource with two spaces", Bare("Resources:", "-  https://example.com"), SiweField.Resources, "not an RFC 3986 URI" },
        { "a trailing line break", Bare() + "\n", SiweField.Message, "ends with a line break" },
        { "a trailing line break after resources", Bare("Resources:", "- https://example.com") + "\n", SiweField.Message, "ends with a line break" },
        { "CRLF line endings", Bare().Replace("\n", "\r\n", StringComparison.Ordinal), SiweField.Message, "carriage return" },
        { "a carriage return in the statement", BareWith(3, "a\rb\n"), SiweField.Message, "carriage return" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void A_text_off_the_grammar_is_refused_naming_the_field(string name, string text, SiweField field, string words)
    {
        var error = Assert.Throws<SiweFormatException>(() => SiweMessageParser.Parse(text));

        Assert.True(error.Field == field, $"{name}: expected {field}, got {error.Field}: {error.Message}");
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(SiweMessageParser.Label(field) + ": ", error.Message, StringComparison.Ordinal);
        Assert.False(SiweMessageParser.TryParse(text, out var message, out var tryError));
        Assert.Null(message);
        Assert.Equal(error.Message, tryError);
    }

    [Fact]
    public void The_error_names_the_field_the_value_and_the_line()
    {
        var error = Assert.Throws<SiweFormatException>(() => SiweMessageParser.Parse(BareWith(6, "Chain ID: 0x1")));

        Assert.Equal("Chain ID: '0x1' is not a decimal number (line 7).", error.Message);
        Assert.Equal(SiweField.ChainId, error.Field);
        Assert.Equal(7, error.Line);
    }

    [Fact]
    public void Line_numbers_count_the_statement_and_the_carriage_return_line()
    {
        var withStatement = EipExample.Replace("Version: 1", "Version: 2", StringComparison.Ordinal);
        var crlf = Bare().Replace("Nonce:", "\rNonce:", StringComparison.Ordinal);

        Assert.Equal(7, Assert.Throws<SiweFormatException>(() => SiweMessageParser.Parse(withStatement)).Line);
        Assert.Equal(8, Assert.Throws<SiweFormatException>(() => SiweMessageParser.Parse(crlf)).Line);
    }

    [Fact]
    public void A_long_hostile_value_is_cut_and_its_control_characters_escaped_in_the_error()
    {
        var error = Assert.Throws<SiweFormatException>(() => SiweMessageParser.Parse(BareWith(7, "Nonce: \u0007" + new string('a', 500))));

        Assert.Contains("'\\u0007aaa", error.Message, StringComparison.Ordinal);
        Assert.Contains("…'", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 200, error.Message);
    }

    [Fact]
    public void TryParse_returns_the_message_when_the_text_follows_the_grammar()
    {
        Assert.True(SiweMessageParser.TryParse(EipExample, out var message, out var error));
        Assert.Null(error);
        Assert.Equal("32891756", message.Nonce);
        Assert.False(SiweMessageParser.TryParse(null, out _, out var nullError));
        Assert.Contains("no text", nullError, StringComparison.Ordinal);
    }
}
