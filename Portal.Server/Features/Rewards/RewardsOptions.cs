using System.ComponentModel.DataAnnotations;
using Heurist.Protocol.Rewards;
using Microsoft.Extensions.Options;
using Nethereum.Signer;

namespace Heurist.Portal.Server.Features.Rewards;

/// <summary>Epoch settlement (section "Rewards"). Without a settlement key the portal settles nothing, and says so once at start.</summary>
public sealed class RewardsOptions
{
    public const string Section = "Rewards";

    public const string SettlementKeySetting = "Rewards:SettlementKey";

    /// <summary>
    /// The private key (0x and 64 hex digits) that RewardsDistributor accepts roots from. Empty: settlement is off.
    /// It is never logged; only its address is.
    /// </summary>
    public string? SettlementKey { get; set; }

    /// <summary>The share of each payout paid as esHEU, in basis points; the rest is HEU.</summary>
    [Range(0, EpochSettlement.MaxBps, ErrorMessage = "Rewards:EsHeuShareBps must be between 0 and 10000.")]
    public int EsHeuShareBps { get; set; } = EpochSettlement.DefaultEsHeuShareBps;

    /// <summary>
    /// The share of an epoch's budget for the Waifu (image) pool, in basis points; the Llama (LLM) pool gets the rest. A
    /// pool nobody earned points in is not minted: its budget stays with the emission schedule for later epochs.
    /// </summary>
    [Range(0, EpochSettlement.MaxBps, ErrorMessage = "Rewards:WaifuPoolBps must be between 0 and 10000.")]
    public int WaifuPoolBps { get; set; } = 8_000;

    /// <summary>
    /// How often the recurring job looks for ended epochs: at the minutes of each hour divisible by it (5: :00, :05, …).
    /// 0 schedules nothing; then only POST /api/rewards/settle settles.
    /// </summary>
    [Range(0, 60, ErrorMessage = "Rewards:CheckEveryMinutes must be between 0 and 60.")]
    public int CheckEveryMinutes { get; set; } = 5;

    /// <summary>The first epoch to settle; earlier ones never are (for a portal that joins a chain after it started).</summary>
    [Range(0, long.MaxValue, ErrorMessage = "Rewards:FirstEpoch must be at least 0.")]
    public long FirstEpoch { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(SettlementKey);

    /// <summary>The settlement key; only call when <see cref="Enabled"/>.</summary>
    public EthECKey Key() => new(SettlementKey!.Trim());
}

/// <summary>A settlement key must be a private key; the message names the setting and never repeats the value.</summary>
public sealed class RewardsOptionsValidator : IValidateOptions<RewardsOptions>
{
    public ValidateOptionsResult Validate(string? name, RewardsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        var key = options.SettlementKey!.Trim();
        var hex = key.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? key[2..] : key;
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) && hex.Any(c => c != '0')
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{RewardsOptions.SettlementKeySetting} must be a private key: 0x and 64 hex digits (or empty to turn settlement off).");
    }
}
