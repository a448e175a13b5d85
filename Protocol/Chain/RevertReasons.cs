using System.Globalization;
using System.Numerics;
using System.Text;

namespace Heurist.Protocol.Chain;

/// <summary>Why a call reverted, in words: the custom error's name (null when unknown) and a sentence for the user.</summary>
public sealed record RevertReason(string? ErrorName, string Message);

/// <summary>
/// Turns revert data (what <c>eth_call</c>, <c>eth_estimateGas</c> or a wallet hands back) into a sentence: our
/// contracts' custom errors, OpenZeppelin's ERC-20, ERC-721, Ownable and SafeERC20 errors, Solidity's
/// <c>Error(string)</c> and <c>Panic(uint256)</c>. Pure code, so the browser decodes the same way as the server. The
/// selectors are written here rather than hashed (the WebAssembly client carries no Keccak for this); a test holds
/// each against keccak256 of its signature and every error in the compiled ABIs against this table.
/// </summary>
public static class RevertReasons
{
    private const string ErrorSelector = "0x08c379a0";
    private const string PanicSelector = "0x4e487b71";

    private static readonly Dictionary<string, Entry> BySelector = Build().ToDictionary(e => e.Selector, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every custom error signature this table decodes, as "Name(type,…)", with its 4-byte selector.</summary>
    public static IReadOnlyDictionary<string, string> Selectors { get; } =
        BySelector.Values.ToDictionary(e => e.Signature, e => e.Selector, StringComparer.Ordinal);

    /// <summary>The reason for <paramref name="revertData"/> (0x-hex); never throws.</summary>
    public static RevertReason Describe(string? revertData)
    {
        if (string.IsNullOrWhiteSpace(revertData) || revertData is "0x")
        {
            return new RevertReason(null, "The contract refused without giving a reason.");
        }
        if (!TryReadHex(revertData, out var data) || data.Length < 4)
        {
            return new RevertReason(null, "The contract refused, with a reason that could not be read.");
        }
        var selector = "0x" + Convert.ToHexStringLower(data.AsSpan(0, 4));
        var words = data.AsSpan(4);
        if (selector == ErrorSelector)
        {
            return TryReadString(words, out var text)
                ? new RevertReason("Error", $"The contract refused: {text}")
                : new RevertReason("Error", "The contract refused, with a reason that could not be read.");
        }
        if (selector == PanicSelector)
        {
            return new RevertReason("Panic", words.Length >= 32 ? Panic(Word(words, 0)) : "The contract failed an internal check.");
        }
        if (BySelector.TryGetValue(selector, out var entry) && words.Length >= 32 * entry.Types.Length)
        {
            var args = new Arg[entry.Types.Length];
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = new Arg(entry.Types[i], words.Slice(32 * i, 32).ToArray());
            }
            return new RevertReason(entry.Name, entry.Message(args));
        }
        return new RevertReason(null, $"The contract refused (error {selector}).");
    }

    private static string Panic(BigInteger code) => (int)(code & 0xff) switch
    {
        0x01 => "The contract failed an internal check (assert).",
        0x11 => "A number in the contract overflowed.",
        0x12 => "The contract divided by zero.",
        0x32 => "The contract read past the end of a list.",
        _ => $"The contract failed an internal check (panic 0x{code:x2}).",
    };

    private static IEnumerable<Entry> Build()
    {
        // MinerStaking
        yield return new("0x45be0a26", "InsufficientStake(uint256,uint256)",
            a => $"Only {a[0].Tokens} is staked there, less than the {a[1].Tokens} asked for.");
        yield return new("0x8d9979d2", "CooldownNotOver(uint256,uint64)",
            a => $"Unstake request #{a[0].Integer} is still cooling down; it can be withdrawn from {a[1].Time}.");
        yield return new("0x54225c2b", "AlreadyWithdrawn(uint256)", a => $"Unstake request #{a[0].Integer} was already withdrawn.");
        yield return new("0x1f79bbe7", "UnknownRequest(uint256)", a => $"There is no unstake request #{a[0].Integer}.");
        yield return new("0xb4a2c39b", "NotRequestOwner(uint256)", a => $"Unstake request #{a[0].Integer} belongs to another account.");
        yield return new("0xe684315d", "UnknownMiner(bytes32)", a => $"Miner {a[0].Bytes32} is not registered for staking.");
        yield return new("0x7046ce0b", "MinerAlreadyRegistered(bytes32)", a => $"Miner {a[0].Bytes32} is already registered.");
        yield return new("0x7b4b571a", "NotMinerOwner(bytes32,address)",
            a => $"Only the miner's owner can do this, and {a[1].Address} is not the owner of miner {a[0].Bytes32}.");
        yield return new("0x08af1173", "BribeTooHigh(uint16)", a => $"A bribe of {a[0].Integer} bps is above the most there is, 10,000 bps (100 %).");
        yield return new("0x86debc21", "InvalidTokenKind(uint8)", a => $"Token kind {a[0].Integer} is neither HEU (0) nor esHEU (1).");
        yield return new("0x76882794", "SameMiner()", _ => "The stake is already on that miner: pick another one.");
        yield return new("0x88ac0897", "InvalidEpochLength()", _ => "The epoch length must be more than zero.");
        yield return new("0x2520601d", "CheckpointUnorderedInsertion()", _ => "A stake checkpoint was written out of order.");
        // EscrowedHeurist and the tokens
        yield return new("0x1f2a2005", "ZeroAmount()", _ => "The amount must be more than zero.");
        yield return new("0x8cd22d19", "TransferNotAllowed()", _ => "esHEU cannot be transferred; it can be staked or vested.");
        yield return new("0x969bf728", "NothingToClaim()", _ => "Nothing has vested yet to claim.");
        yield return new("0xa2016c11", "UnknownPosition(uint256)", a => $"There is no vesting position #{a[0].Integer} for this account.");
        yield return new("0xb6448a94", "NotProtocolContract(address)", a => $"{a[0].Address} is not one of the protocol's contracts.");
        yield return new("0x361c31f2", "NotMinter(address)", a => $"{a[0].Address} may not mint HEU.");
        yield return new("0xf119708d", "MinterAlreadySet()", _ => "HEU's minter is already set.");
        yield return new("0xd92e233d", "ZeroAddress()", _ => "The address must not be zero.");
        // RewardsDistributor
        yield return new("0xa9214540", "AlreadyClaimed(uint256,address)", a => $"The rewards of epoch {a[0].Integer} were already claimed for {a[1].Address}.");
        yield return new("0x80cfe517", "UnknownEpoch(uint256)", a => $"Epoch {a[0].Integer} has no posted rewards yet.");
        yield return new("0x09bde339", "InvalidProof()", _ => "The claim does not match the epoch's posted rewards (the Merkle proof is wrong).");
        yield return new("0x2ca33d23", "EpochAlreadyPosted(uint256)", a => $"Epoch {a[0].Integer}'s rewards are already posted.");
        yield return new("0x10d052db", "EpochBudgetExceeded(uint256)", a => $"The claims of epoch {a[0].Integer} would pay out more than was posted.");
        yield return new("0x0638f107", "EmissionExceeded(uint256,uint256)",
            a => $"Posting {a[0].Tokens} HEU would exceed the emission schedule, which allows {a[1].Tokens} more now.");
        yield return new("0x572d5305", "NotSettlementKey(address)", a => $"{a[0].Address} is not the settlement key.");
        // ImaginariesNft and the paymaster
        yield return new("0xcd3b26a0", "ImageAlreadyMinted(bytes32)", a => $"This image ({a[0].Bytes32}) is already minted.");
        yield return new("0x3d91b05f", "AuthorizationExpired(uint256)", a => $"The mint authorization expired at {a[0].Time}.");
        yield return new("0xb548c0b0", "InvalidAuthorization(address)", a => $"The mint authorization was not signed by the studio (it recovers to {a[0].Address}).");
        yield return new("0x2e16fe15", "UriStorageFailed()", _ => "The token's metadata could not be stored.");
        yield return new("0x25d8dfa4", "InvalidPaymasterData()", _ => "The sponsorship data is malformed.");
        yield return new("0xceede2ea", "NotASponsoredMint()", _ => "Only a sponsored mint is paid for.");
        // OpenZeppelin: ERC-20
        yield return new("0xe450d38c", "ERC20InsufficientBalance(address,uint256,uint256)",
            a => $"The balance of {a[0].Address} is {a[1].Tokens}, less than the {a[2].Tokens} needed.");
        yield return new("0xfb8f41b2", "ERC20InsufficientAllowance(address,uint256,uint256)",
            a => $"The approval for {a[0].Address} is {a[1].Tokens}, less than the {a[2].Tokens} needed: approve first.");
        yield return new("0x96c6fd1e", "ERC20InvalidSender(address)", a => $"Tokens cannot be sent from {a[0].Address}.");
        yield return new("0xec442f05", "ERC20InvalidReceiver(address)", a => $"Tokens cannot be sent to {a[0].Address}.");
        yield return new("0xe602df05", "ERC20InvalidApprover(address)", a => $"{a[0].Address} cannot approve.");
        yield return new("0x94280d62", "ERC20InvalidSpender(address)", a => $"{a[0].Address} cannot be approved.");
        yield return new("0x9e79f854", "ERC20ExceededCap(uint256,uint256)", a => $"Minting would bring HEU's supply to {a[0].Tokens}, above its cap of {a[1].Tokens}.");
        yield return new("0x392e1e27", "ERC20InvalidCap(uint256)", a => $"{a[0].Tokens} is not a valid supply cap.");
        // OpenZeppelin: ERC-721
        yield return new("0x64283d7b", "ERC721IncorrectOwner(address,uint256,address)", a => $"Token #{a[1].Integer} belongs to {a[2].Address}, not {a[0].Address}.");
        yield return new("0x177e802f", "ERC721InsufficientApproval(address,uint256)", a => $"{a[0].Address} is not approved for token #{a[1].Integer}.");
        yield return new("0xa9fbf51f", "ERC721InvalidApprover(address)", a => $"{a[0].Address} cannot approve.");
        yield return new("0x5b08ba18", "ERC721InvalidOperator(address)", a => $"{a[0].Address} cannot be an operator.");
        yield return new("0x89c62b64", "ERC721InvalidOwner(address)", a => $"{a[0].Address} cannot own tokens.");
        yield return new("0x64a0ae92", "ERC721InvalidReceiver(address)", a => $"Tokens cannot be sent to {a[0].Address}.");
        yield return new("0x73c6ac6e", "ERC721InvalidSender(address)", a => $"Tokens cannot be sent from {a[0].Address}.");
        yield return new("0x7e273289", "ERC721NonexistentToken(uint256)", a => $"Token #{a[0].Integer} does not exist.");
        // OpenZeppelin: Ownable, SafeERC20, SafeCast, ShortStrings
        yield return new("0x118cdaa7", "OwnableUnauthorizedAccount(address)", a => $"Only the contract's owner can do this, and {a[0].Address} is not.");
        yield return new("0x1e4fbdf7", "OwnableInvalidOwner(address)", a => $"{a[0].Address} cannot be the owner.");
        yield return new("0x5274afe7", "SafeERC20FailedOperation(address)", a => $"A transfer of token {a[0].Address} failed.");
        yield return new("0x6dfcc650", "SafeCastOverflowedUintDowncast(uint8,uint256)", a => $"{a[1].Integer} does not fit in {a[0].Integer} bits.");
        yield return new("0xb3512b0c", "InvalidShortString()", _ => "A short string is malformed.");
        // Its one argument is a dynamic string, which the sentence does not need.
        yield return new("0x305a27a9", "StringTooLong(string)", _ => "A text is too long to store.");
    }

    private static bool TryReadHex(string text, out byte[] bytes)
    {
        bytes = [];
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (hex.Length % 2 != 0)
        {
            return false;
        }
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static BigInteger Word(ReadOnlySpan<byte> words, int index)
        => new(words.Slice(32 * index, 32), isUnsigned: true, isBigEndian: true);

    /// <summary>ABI-encoded <c>(string)</c>: an offset word, a length word, the bytes.</summary>
    private static bool TryReadString(ReadOnlySpan<byte> words, out string text)
    {
        text = "";
        if (words.Length < 64)
        {
            return false;
        }
        var offset = Word(words, 0);
        if (offset > words.Length - 32)
        {
            return false;
        }
        var start = (int)offset;
        var length = new BigInteger(words.Slice(start, 32), isUnsigned: true, isBigEndian: true);
        if (length > words.Length - start - 32)
        {
            return false;
        }
        text = Encoding.UTF8.GetString(words.Slice(start + 32, (int)length));
        return true;
    }

    private sealed record Entry(string Selector, string Signature, Func<Arg[], string> Message)
    {
        public string Name { get; } = Signature[..Signature.IndexOf('(', StringComparison.Ordinal)];

        public string[] Types { get; } = Signature[(Signature.IndexOf('(', StringComparison.Ordinal) + 1)..^1]
            .Split(',', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>One static ABI word of a custom error, read as its type asks.</summary>
    private sealed record Arg(string Type, byte[] Word)
    {
        public BigInteger Integer => new(Word, isUnsigned: true, isBigEndian: true);

        public string Tokens => TokenAmounts.Format(Integer);

        public string Address => "0x" + Convert.ToHexStringLower(Word.AsSpan(12));

        public string Bytes32 => "0x" + Convert.ToHexStringLower(Word);

        /// <summary>A Unix time in seconds, in UTC.</summary>
        public string Time => Integer <= long.MaxValue / 1000 && Integer <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds((long)Integer).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
            : Integer.ToString(CultureInfo.InvariantCulture);
    }
}
