using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Heurist.Portal.Client.Features.Wallet;

/// <summary>
/// EIP-55 mixed-case checksum addresses. Wallets often hand out lowercase addresses, while EIP-4361 asks for the
/// checksummed form in the signed message. The server checks addresses with Nethereum; the browser cannot carry it
/// (see docs/architecture.md), so this holds the one hash it needs, Keccak-256, written from the Keccak reference.
/// </summary>
public static class Eip55
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>The EIP-55 form of a 0x-prefixed, 40-hex-digit address; anything else comes back unchanged.</summary>
    public static string Checksum(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!IsAddress(address))
        {
            return address;
        }
        var lower = address[2..].ToLowerInvariant();
        var hash = Keccak256.Hash(Encoding.ASCII.GetBytes(lower));
        var result = new StringBuilder("0x", 42);
        for (var i = 0; i < lower.Length; i++)
        {
            var nibble = i % 2 == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f;
            result.Append(nibble >= 8 ? char.ToUpperInvariant(lower[i]) : lower[i]);
        }
        return result.ToString();
    }

    /// <summary>Whether the text is "0x" and 40 hex digits, in any case.</summary>
    public static bool IsAddress(string? text)
        => text is { Length: 42 } && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !text.AsSpan(2).ContainsAnyExcept(HexDigits);
}

/// <summary>Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not SHA3-256's (0x06).</summary>
public static class Keccak256
{
    private const int RateBytes = 136;
    private const int Rounds = 24;

    private static readonly ulong[] RoundConstants = BuildRoundConstants();
    private static readonly (int Lane, int Rotation)[] RhoPi = BuildRhoPi();

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        Span<ulong> state = stackalloc ulong[25];
        while (data.Length >= RateBytes)
        {
            Absorb(state, data[..RateBytes]);
            Permute(state);
            data = data[RateBytes..];
        }
        Span<byte> last = stackalloc byte[RateBytes];
        last.Clear();
        data.CopyTo(last);
        last[data.Length] ^= 0x01;
        last[RateBytes - 1] ^= 0x80;
        Absorb(state, last);
        Permute(state);
        var digest = new byte[32];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(digest.AsSpan(i * 8), state[i]);
        }
        return digest;
    }

    private static void Absorb(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        for (var i = 0; i < RateBytes / 8; i++)
        {
            state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block[(i * 8)..]);
        }
    }

    // Keccak-f[1600] on lanes indexed x + 5y.
    private static void Permute(Span<ulong> a)
    {
        Span<ulong> c = stackalloc ulong[5];
        Span<ulong> b = stackalloc ulong[25];
        for (var round = 0; round < Rounds; round++)
        {
            // θ
            for (var x = 0; x < 5; x++)
            {
                c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
            }
            for (var x = 0; x < 5; x++)
            {
                var d = c[(x + 4) % 5] ^ BitOperations.RotateLeft(c[(x + 1) % 5], 1);
                for (var y = 0; y < 25; y += 5)
                {
                    a[x + y] ^= d;
                }
            }
            // ρ and π: B[y, 2x + 3y] = rot(A[x, y], r[x, y])
            b[0] = a[0];
            var lane = 1;
            foreach (var (target, rotation) in RhoPi)
            {
                b[target] = BitOperations.RotateLeft(a[lane], rotation);
                lane = target;
            }
            // χ
            for (var y = 0; y < 25; y += 5)
            {
                for (var x = 0; x < 5; x++)
                {
                    a[x + y] = b[x + y] ^ (~b[((x + 1) % 5) + y] & b[((x + 2) % 5) + y]);
                }
            }
            // ι
            a[0] ^= RoundConstants[round];
        }
    }

    // The 24 lanes other than (0, 0) in the order π visits them from (1, 0), with ρ's offsets (t + 1)(t + 2) / 2.
    // Each entry says where the lane before it goes: the walk is (x, y) → (y, 2x + 3y).
    private static (int Lane, int Rotation)[] BuildRhoPi()
    {
        var walk = new (int, int)[24];
        var (x, y) = (1, 0);
        for (var t = 0; t < 24; t++)
        {
            var (nextX, nextY) = (y, ((2 * x) + (3 * y)) % 5);
            walk[t] = (nextX + (5 * nextY), ((t + 1) * (t + 2) / 2) % 64);
            (x, y) = (nextX, nextY);
        }
        return walk;
    }

    // ι's constants from the spec's LFSR, x^8 + x^6 + x^5 + x^4 + 1: bit 2^j - 1 of round i is rc(j + 7i).
    private static ulong[] BuildRoundConstants()
    {
        var constants = new ulong[Rounds];
        var register = 1;
        var bits = new bool[7 * Rounds];
        for (var t = 0; t < bits.Length; t++)
        {
            bits[t] = (register & 1) != 0;
            register <<= 1;
            if ((register & 0x100) != 0)
            {
                register ^= 0x171;
            }
        }
        for (var round = 0; round < Rounds; round++)
        {
            for (var j = 0; j < 7; j++)
            {
                if (bits[j + (7 * round)])
                {
                    constants[round] |= 1UL << ((1 << j) - 1);
                }
            }
        }
        return constants;
    }
}
