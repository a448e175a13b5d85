using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Heurist.Contracts.Crypto;

/// <summary>
/// libsecp256k1, the C library Bitcoin Core and the Ethereum clients use, when the machine has it (Debian's
/// libsecp256k1-1, which test.sh and run.sh install). It recovers a key about five times and signs about seven times
/// faster than NBitcoin.Secp256k1, its C# port (bench/auth.sh: every sign-in recovers once). Without it
/// <see cref="Signatures"/> uses the C# port, which gives the same bytes.
/// </summary>
public static class NativeSecp256k1
{
    private const string Library = "libsecp256k1.so.1";

    // SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY: accepted by every release, and the same as NONE from 0.2.0 on.
    private const uint ContextFlags = 0x0301;

    private const uint UncompressedFlag = 0x0002;

    private static readonly Lazy<(nint Context, string? Reason)> Loaded = new(Load);

    /// <summary>Whether the library could be loaded; when not, <see cref="UnavailableReason"/> says why.</summary>
    public static bool IsAvailable => Loaded.Value.Context != 0;

    public static string? UnavailableReason => Loaded.Value.Reason;

    /// <summary>The 65-byte uncompressed public key that made <paramref name="compact64"/> (r ‖ s) over <paramref name="hash32"/>.</summary>
    public static bool TryRecover(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> compact64, int recoveryId, Span<byte> publicKey65)
    {
        Check(hash32, 32, nameof(hash32));
        Check(compact64, 64, nameof(compact64));
        Check(publicKey65, 65, nameof(publicKey65));
        var context = RequireContext();
        Span<byte> signature = stackalloc byte[65];
        Span<byte> key = stackalloc byte[64];
        if (recoveryId is < 0 or > 3
            || secp256k1_ecdsa_recoverable_signature_parse_compact(context, ref MemoryMarshal.GetReference(signature), ref MemoryMarshal.GetReference(compact64), recoveryId) != 1
            || secp256k1_ecdsa_recover(context, ref MemoryMarshal.GetReference(key), ref MemoryMarshal.GetReference(signature), ref MemoryMarshal.GetReference(hash32)) != 1)
        {
            return false;
        }
        nuint length = 65;
        return secp256k1_ec_pubkey_serialize(context, ref MemoryMarshal.GetReference(publicKey65), ref length, ref MemoryMarshal.GetReference(key), UncompressedFlag) == 1
            && length == 65;
    }

    /// <summary>RFC 6979 deterministic, low-s signature of <paramref name="hash32"/>: r ‖ s into <paramref name="compact64"/>, and the recovery id.</summary>
    public static bool TrySign(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> privateKey32, Span<byte> compact64, out int recoveryId)
    {
        Check(hash32, 32, nameof(hash32));
        Check(privateKey32, 32, nameof(privateKey32));
        Check(compact64, 64, nameof(compact64));
        var context = RequireContext();
        Span<byte> signature = stackalloc byte[65];
        recoveryId = -1;
        return secp256k1_ecdsa_sign_recoverable(context, ref MemoryMarshal.GetReference(signature), ref MemoryMarshal.GetReference(hash32),
                ref MemoryMarshal.GetReference(privateKey32), 0, 0) == 1
            && secp256k1_ecdsa_recoverable_signature_serialize_compact(context, ref MemoryMarshal.GetReference(compact64), out recoveryId,
                ref MemoryMarshal.GetReference(signature)) == 1;
    }

    private static nint RequireContext()
        => Loaded.Value.Context is not 0 and var context
            ? context
            : throw new InvalidOperationException($"libsecp256k1 is not available: {Loaded.Value.Reason}");

    private static void Check(ReadOnlySpan<byte> bytes, int length, string name)
    {
        if (bytes.Length != length)
        {
            throw new ArgumentException($"{name} must be {length} bytes, got {bytes.Length}.", name);
        }
    }

    private static (nint, string?) Load()
    {
        try
        {
            var context = secp256k1_context_create(ContextFlags);
            if (context == 0)
            {
                return (0, "secp256k1_context_create returned no context.");
            }
            // Blinds the signing context against timing side channels, as the library's documentation asks.
            Span<byte> seed = stackalloc byte[32];
            RandomNumberGenerator.Fill(seed);
            return secp256k1_context_randomize(context, ref MemoryMarshal.GetReference(seed)) == 1
                ? (context, null)
                : (0, "secp256k1_context_randomize failed.");
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return (0, $"{Library} could not be loaded ({ex.GetType().Name}); install Debian's libsecp256k1-1.");
        }
    }

    [DllImport(Library)]
    private static extern nint secp256k1_context_create(uint flags);

    [DllImport(Library)]
    private static extern int secp256k1_context_randomize(nint context, ref byte seed32);

    [DllImport(Library)]
    private static extern int secp256k1_ecdsa_recoverable_signature_parse_compact(nint context, ref byte signature, ref byte input64, int recoveryId);

    [DllImport(Library)]
    private static extern int secp256k1_ecdsa_recoverable_signature_serialize_compact(nint context, ref byte output64, out int recoveryId, ref byte signature);

    [DllImport(Library)]
    private static extern int secp256k1_ecdsa_recover(nint context, ref byte publicKey, ref byte signature, ref byte hash32);

    [DllImport(Library)]
    private static extern int secp256k1_ec_pubkey_serialize(nint context, ref byte output, ref nuint outputLength, ref byte publicKey, uint flags);

    [DllImport(Library)]
    private static extern int secp256k1_ecdsa_sign_recoverable(nint context, ref byte signature, ref byte hash32, ref byte privateKey32, nint nonceFunction, nint nonceData);
}
