using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Serialization;

namespace Heurist.Protocol.Chain;

/// <summary>The two tokens MinerStaking takes, by the <c>uint8 kind</c> it uses. The API writes them "heu" and "esHeu".</summary>
[JsonConverter(typeof(TokenKindJsonConverter))]
public enum TokenKind : byte
{
    [JsonStringEnumMemberName("heu")]
    Heu = 0,

    [JsonStringEnumMemberName("esHeu")]
    EsHeu = 1,
}

public sealed class TokenKindJsonConverter() : JsonStringEnumConverter<TokenKind>(namingPolicy: null, allowIntegerValues: false);

/// <summary>
/// ABI calldata of the calls the browser makes to our contracts, and decoders for what the reads answer. Pure code,
/// so the WebAssembly client encodes the same way as the server. The selectors are written here rather than hashed
/// (the client carries no Keccak); a test holds each against keccak256 of its signature, against the compiled ABIs,
/// and the encodings against Nethereum's.
/// </summary>
public static class ContractCalls
{
    /// <summary>Every call this class encodes, as "name(type,…)", with its 4-byte selector.</summary>
    public static IReadOnlyDictionary<string, string> Selectors { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ContractSignatures.Approve] = "0x095ea7b3",
        [ContractSignatures.Allowance] = "0xdd62ed3e",
        [ContractSignatures.BalanceOf] = "0x70a08231",
        [ContractSignatures.Stake] = "0x9e44686f",
        [ContractSignatures.Unstake] = "0x6da9811d",
        [ContractSignatures.Withdraw] = "0x2e1a7d4d",
        [ContractSignatures.TransferStake] = "0x248745db",
        [ContractSignatures.SetBribe] = "0x8c1eb6f2",
        [ContractSignatures.RegisterMiner] = "0x57278e76",
        [ContractSignatures.StakeOf] = "0xc559c191",
        [ContractSignatures.MinerOwner] = "0xa4c0b214",
        [ContractSignatures.MinerStake] = "0x51607a3e",
        [ContractSignatures.CurrentEpoch] = "0x76671808",
        [ContractSignatures.EpochLength] = "0x57d775f8",
        [ContractSignatures.Genesis] = "0xa7f0b3de",
        [ContractSignatures.Vest] = "0x6a760b80",
        [ContractSignatures.ClaimVested] = "0x204fd3b4",
        [ContractSignatures.VestingCount] = "0x3d4ef007",
        [ContractSignatures.VestingPosition] = "0xc9ce79a9",
        [ContractSignatures.Claimable] = "0x60efe334",
        [ContractSignatures.Claim] = "0x3e4fcb21",
        [ContractSignatures.IsClaimed] = "0xd2ef0795",
    };

    // ERC-20 (HeuristToken, EscrowedHeurist)

    public static string Approve(string spender, BigInteger amount) => Encode(ContractSignatures.Approve, Address(spender), Uint(amount));

    public static string Allowance(string owner, string spender) => Encode(ContractSignatures.Allowance, Address(owner), Address(spender));

    public static string BalanceOf(string owner) => Encode(ContractSignatures.BalanceOf, Address(owner));

    // MinerStaking

    public static string Stake(string minerChainId, TokenKind kind, BigInteger amount)
        => Encode(ContractSignatures.Stake, Bytes32(minerChainId), Uint((byte)kind), Uint(amount));

    public static string Unstake(string minerChainId, TokenKind kind, BigInteger amount)
        => Encode(ContractSignatures.Unstake, Bytes32(minerChainId), Uint((byte)kind), Uint(amount));

    public static string Withdraw(BigInteger requestId) => Encode(ContractSignatures.Withdraw, Uint(requestId));

    public static string TransferStake(string fromMinerChainId, string toMinerChainId, TokenKind kind, BigInteger amount)
        => Encode(ContractSignatures.TransferStake, Bytes32(fromMinerChainId), Bytes32(toMinerChainId), Uint((byte)kind), Uint(amount));

    public static string SetBribe(string minerChainId, int basisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(basisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(basisPoints, ushort.MaxValue);
        return Encode(ContractSignatures.SetBribe, Bytes32(minerChainId), Uint(basisPoints));
    }

    public static string RegisterMiner(string minerChainId) => Encode(ContractSignatures.RegisterMiner, Bytes32(minerChainId));

    public static string StakeOf(string staker, string minerChainId, TokenKind kind)
        => Encode(ContractSignatures.StakeOf, Address(staker), Bytes32(minerChainId), Uint((byte)kind));

    public static string MinerOwner(string minerChainId) => Encode(ContractSignatures.MinerOwner, Bytes32(minerChainId));

    public static string MinerStake(string minerChainId) => Encode(ContractSignatures.MinerStake, Bytes32(minerChainId));

    public static string CurrentEpoch() => Encode(ContractSignatures.CurrentEpoch);

    public static string EpochLength() => Encode(ContractSignatures.EpochLength);

    public static string Genesis() => Encode(ContractSignatures.Genesis);

    // EscrowedHeurist

    public static string Vest(BigInteger amount) => Encode(ContractSignatures.Vest, Uint(amount));

    public static string ClaimVested(BigInteger positionId) => Encode(ContractSignatures.ClaimVested, Uint(positionId));

    public static string VestingCount(string holder) => Encode(ContractSignatures.VestingCount, Address(holder));

    public static string VestingPosition(string holder, BigInteger positionId) => Encode(ContractSignatures.VestingPosition, Address(holder), Uint(positionId));

    public static string Claimable(string holder, BigInteger positionId) => Encode(ContractSignatures.Claimable, Address(holder), Uint(positionId));

    // RewardsDistributor

    /// <summary>claim(epoch, account, heu, esHeu, proof): the proof is a dynamic bytes32[], so its head holds an offset to a length and the words.</summary>
    public static string Claim(BigInteger epoch, string account, BigInteger heuAmount, BigInteger esHeuAmount, IReadOnlyList<string> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        const int headWords = 5;
        var words = new List<string>(headWords + 1 + proof.Count)
        {
            Uint(epoch),
            Address(account),
            Uint(heuAmount),
            Uint(esHeuAmount),
            Uint(headWords * 32),
            Uint(proof.Count),
        };
        words.AddRange(proof.Select(Bytes32));
        return Encode(ContractSignatures.Claim, [.. words]);
    }

    public static string IsClaimed(BigInteger epoch, string account) => Encode(ContractSignatures.IsClaimed, Uint(epoch), Address(account));

    // Decoders of return data

    /// <summary>The <paramref name="index"/>-th 32-byte word of return data as an unsigned integer; null when the data is not that long.</summary>
    public static BigInteger? Word(string? returnData, int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var hex = Digits(returnData);
        if (hex is null || hex.Length < (index + 1) * 64)
        {
            return null;
        }
        return BigInteger.Parse("0" + hex.AsSpan(index * 64, 64).ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>Every 32-byte word of a tuple of static values; null when the data is not whole words.</summary>
    public static IReadOnlyList<BigInteger>? Words(string? returnData)
    {
        var hex = Digits(returnData);
        if (hex is null || hex.Length % 64 != 0)
        {
            return null;
        }
        var words = new BigInteger[hex.Length / 64];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = BigInteger.Parse("0" + hex.AsSpan(i * 64, 64).ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }
        return words;
    }

    /// <summary>An address return value (the low 20 bytes of the first word) in lowercase 0x-hex; null when there is no word.</summary>
    public static string? AddressWord(string? returnData)
    {
        var hex = Digits(returnData);
        return hex is null || hex.Length < 64 ? null : "0x" + hex.Substring(24, 40).ToLowerInvariant();
    }

    /// <summary>A bool return value; null when there is no word.</summary>
    public static bool? BoolWord(string? returnData) => Word(returnData) is { } word ? !word.IsZero : null;

    /// <summary>The zero address, which minerOwner answers for a miner that is not registered.</summary>
    public const string ZeroAddress = "0x0000000000000000000000000000000000000000";

    private static string? Digits(string? data)
    {
        if (data is null || !data.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var hex = data[2..];
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return null;
            }
        }
        return hex;
    }

    private static string Encode(string signature, params string[] words)
    {
        var builder = new StringBuilder(10 + 64 * words.Length);
        builder.Append(Selectors[signature]);
        foreach (var word in words)
        {
            builder.Append(word);
        }
        return builder.ToString();
    }

    private static string Uint(BigInteger value)
    {
        if (value.Sign < 0 || value.GetBitLength() > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "must be a uint256");
        }
        return value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(64, '0');
    }

    private static string Address(string address)
    {
        if (address is not { Length: 42 } || !address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !address.AsSpan(2).ContainsOnlyHex())
        {
            throw new ArgumentException($"'{address}' is not a 0x-prefixed, 20-byte address.", nameof(address));
        }
        return new string('0', 24) + address[2..].ToLowerInvariant();
    }

    private static string Bytes32(string value)
    {
        if (value is not { Length: 66 } || !value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !value.AsSpan(2).ContainsOnlyHex())
        {
            throw new ArgumentException($"'{value}' is not 0x-prefixed, 32-byte hex.", nameof(value));
        }
        return value[2..].ToLowerInvariant();
    }

    private static bool ContainsOnlyHex(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>The Solidity signatures of the calls <see cref="ContractCalls"/> encodes.</summary>
public static class ContractSignatures
{
    public const string Approve = "approve(address,uint256)";
    public const string Allowance = "allowance(address,address)";
    public const string BalanceOf = "balanceOf(address)";
    public const string Stake = "stake(bytes32,uint8,uint256)";
    public const string Unstake = "unstake(bytes32,uint8,uint256)";
    public const string Withdraw = "withdraw(uint256)";
    public const string TransferStake = "transferStake(bytes32,bytes32,uint8,uint256)";
    public const string SetBribe = "setBribe(bytes32,uint16)";
    public const string RegisterMiner = "registerMiner(bytes32)";
    public const string StakeOf = "stakeOf(address,bytes32,uint8)";
    public const string MinerOwner = "minerOwner(bytes32)";
    public const string MinerStake = "minerStake(bytes32)";
    public const string CurrentEpoch = "currentEpoch()";
    public const string EpochLength = "epochLength()";
    public const string Genesis = "genesis()";
    public const string Vest = "vest(uint256)";
    public const string ClaimVested = "claimVested(uint256)";
    public const string VestingCount = "vestingCount(address)";
    public const string VestingPosition = "vestingPosition(address,uint256)";
    public const string Claimable = "claimable(address,uint256)";
    public const string Claim = "claim(uint256,address,uint256,uint256,bytes32[])";
    public const string IsClaimed = "isClaimed(uint256,address)";
}
