using System.Globalization;
using System.Net;
using System.Numerics;
using Heurist.Contracts.LocalChain;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Auth;

namespace Heurist.Bench.Auth;

/// <summary>Messages and signatures an attacker or a broken wallet would send; the portal must refuse every one.</summary>
internal static class HostileMessages
{
    private static readonly BigInteger CurveOrder = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static async Task<(int Refused, int Total, List<string> Accepted)> RunAsync(SiteUnderTest site, string contractWithoutErc1271, CancellationToken ct)
    {
        var key = AnvilAccounts.Key(6);
        var address = key.GetPublicAddress();
        var cases = new List<(string Name, Func<Task<SignInRequest>> Build)>
        {
            ("another domain", async () => Signed(site.Message(address, await site.NonceAsync(ct)) with { Domain = "heurist-portal.example" })),
            ("another port", async () => Signed(site.Message(address, await site.NonceAsync(ct)) with { Domain = site.Origin.Host + ":1" })),
            ("a URI of another origin", async () => Signed(site.Message(address, await site.NonceAsync(ct)) with { Uri = "https://heurist-portal.example/" })),
            ("a URI with another scheme", async () => Signed(site.Message(address, await site.NonceAsync(ct)) with { Uri = "https://" + site.Origin.Authority + "/" })),
            ("another chain", async () => Signed(site.Message(address, await site.NonceAsync(ct)) with { ChainId = 1 })),
            ("a nonce never handed out", () => Task.FromResult(Signed(site.Message(address, SiweNonces.Create())))),
            ("a replayed message", async () =>
            {
                var used = Signed(site.Message(address, await site.NonceAsync(ct)));
                if (await site.PostAsync(used, ct) != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException("the honest sign-in before the replay failed");
                }
                return used;
            }),
            ("an expired message", async () => Signed(site.Message(address, await site.NonceAsync(ct)) with { ExpirationTime = DateTimeOffset.UtcNow.AddMinutes(-5) })),
            ("a message not valid before tomorrow", async () => Signed(site.Message(address, await site.NonceAsync(ct)) with { NotBefore = DateTimeOffset.UtcNow.AddDays(1) })),
            ("a message issued in an hour", async () => Signed(site.Message(address, await site.NonceAsync(ct)) with { IssuedAt = DateTimeOffset.UtcNow.AddHours(1) })),
            ("a lowercase (unchecksummed) address", async () => Signed(site.Message(address, await site.NonceAsync(ct)) with { Address = address.ToLowerInvariant() })),
            ("version 2", async () => Signed(site.Message(address, await site.NonceAsync(ct)) with { Version = "2" })),
            ("a statement that smuggles a line", async () => Signed(site.Message(address, await site.NonceAsync(ct)) with { Statement = "hi\nURI: https://heurist-portal.example/" })),
            ("CRLF line endings", async () =>
            {
                var text = site.Message(address, await site.NonceAsync(ct)).ToMessage().Replace("\n", "\r\n", StringComparison.Ordinal);
                return new SignInRequest(text, SiteUnderTest.Sign(text, key));
            }),
            ("not an EIP-4361 message", () => Task.FromResult(new SignInRequest("let me in", SiteUnderTest.Sign("let me in", key)))),
            ("an oversized message", async () =>
            {
                var text = (site.Message(address, await site.NonceAsync(ct)) with { Statement = new string('a', 20_000) }).ToMessage();
                return new SignInRequest(text, SiteUnderTest.Sign(text, key));
            }),
            ("signed by another key", async () => Signed(site.Message(address, await site.NonceAsync(ct)), AnvilAccounts.Key(7))),
            ("a high-s signature (EIP-2)", async () =>
            {
                var honest = Signed(site.Message(address, await site.NonceAsync(ct)));
                return honest with { Signature = HighS(honest.Signature) };
            }),
            ("a signature cut to 64 bytes", async () =>
            {
                var honest = Signed(site.Message(address, await site.NonceAsync(ct)));
                return honest with { Signature = honest.Signature[..130] };
            }),
            ("a signature with v = 29", async () =>
            {
                var honest = Signed(site.Message(address, await site.NonceAsync(ct)));
                return honest with { Signature = honest.Signature[..130] + "1d" };
            }),
            ("a signature that is not hex", async () => Signed(site.Message(address, await site.NonceAsync(ct))) with { Signature = "0xnothex" }),
            ("an empty signature", async () => Signed(site.Message(address, await site.NonceAsync(ct))) with { Signature = "" }),
            ("a signature of another message", async () =>
            {
                var nonce = await site.NonceAsync(ct);
                var other = Signed(site.Message(address, nonce) with { Statement = "Something else." });
                return Signed(site.Message(address, nonce)) with { Signature = other.Signature };
            }),
            ("a contract address without ERC-1271", async () => Signed(site.Message(contractWithoutErc1271, await site.NonceAsync(ct)))),
        };

        var refused = 0;
        var accepted = new List<string>();
        foreach (var (name, build) in cases)
        {
            var status = await site.PostAsync(await build(), ct);
            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
            {
                refused++;
            }
            else
            {
                accepted.Add($"{name}: {(int)status}");
            }
        }
        return (refused, cases.Count, accepted);

        SignInRequest Signed(SiweMessage message, Nethereum.Signer.EthECKey? by = null)
        {
            var text = message.ToMessage();
            return new SignInRequest(text, SiteUnderTest.Sign(text, by ?? key));
        }
    }

    /// <summary>The same signature with s replaced by n − s and v flipped: valid under pre-EIP-2 rules, refused now.</summary>
    private static string HighS(string signature)
    {
        var bytes = Convert.FromHexString(signature[2..]);
        var s = new BigInteger(bytes.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var flipped = (CurveOrder - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = bytes.ToArray();
        Array.Clear(result, 32, 32);
        flipped.CopyTo(result, 64 - flipped.Length);
        result[64] = (byte)(result[64] == 27 ? 28 : 27);
        return "0x" + Convert.ToHexStringLower(result);
    }
}
