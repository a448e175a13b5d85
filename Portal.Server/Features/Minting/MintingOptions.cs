using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Nethereum.Signer;

namespace Heurist.Portal.Server.Features.Minting;

/// <summary>
/// Gasless minting (section "Minting"). Without both keys and a bundler (Chain:BundlerUrl) the portal mints nothing
/// and its Mint answers 503 saying which setting is missing.
/// </summary>
public sealed class MintingOptions
{
    public const string Section = "Minting";

    public const string StudioKeySetting = "Minting:StudioKey";

    public const string SponsorKeySetting = "Minting:SponsorKey";

    /// <summary>The private key ImaginariesNft accepts mint authorizations from (its studio signer). Never logged.</summary>
    public string? StudioKey { get; set; }

    /// <summary>The private key HeuristPaymaster accepts sponsorships from (its sponsor signer). Never logged.</summary>
    public string? SponsorKey { get; set; }

    /// <summary>How long a mint authorization stays valid after it is made, in minutes of chain time.</summary>
    [Range(1, 1440, ErrorMessage = "Minting:AuthorizationMinutes must be between 1 and 1440.")]
    public int AuthorizationMinutes { get; set; } = 15;

    /// <summary>How long the paymaster's sponsorship of a prepared operation lasts, in minutes of chain time.</summary>
    [Range(1, 1440, ErrorMessage = "Minting:SponsorshipMinutes must be between 1 and 1440.")]
    public int SponsorshipMinutes { get; set; } = 15;

    /// <summary>Sponsored mints one wallet may send in any 24 hours.</summary>
    [Range(0, 1_000_000, ErrorMessage = "Minting:MintsPerWalletPerDay must be between 0 and 1000000.")]
    public int MintsPerWalletPerDay { get; set; } = 20;

    /// <summary>Sponsored mints sent from one IP address in any 24 hours, whatever the wallets.</summary>
    [Range(0, 1_000_000, ErrorMessage = "Minting:MintsPerIpPerDay must be between 0 and 1000000.")]
    public int MintsPerIpPerDay { get; set; } = 60;

    /// <summary>Below this EntryPoint deposit (in ETH) the paymaster is reported low, and /health/ready degraded.</summary>
    [Range(0, 1_000_000, ErrorMessage = "Minting:LowDepositEth must be between 0 and 1000000.")]
    public double LowDepositEth { get; set; } = 0.05;

    /// <summary>
    /// The portal's public address, the base of the token URI and the metadata's image URL (for example
    /// https://portal.example). Unset: the address the request came to.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    public bool HasKeys => !string.IsNullOrWhiteSpace(StudioKey) && !string.IsNullOrWhiteSpace(SponsorKey);

    public EthECKey Studio() => new(StudioKey!.Trim());

    public EthECKey Sponsor() => new(SponsorKey!.Trim());
}

/// <summary>Keys must be private keys; the message names the setting and never repeats the value.</summary>
public sealed class MintingOptionsValidator : IValidateOptions<MintingOptions>
{
    public ValidateOptionsResult Validate(string? name, MintingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(options.StudioKey, MintingOptions.StudioKeySetting, failures);
        Check(options.SponsorKey, MintingOptions.SponsorKeySetting, failures);
        if (options.PublicBaseUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            failures.Add("Minting:PublicBaseUrl must be an absolute http:// or https:// URL.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string? key, string setting, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return;
        }
        var trimmed = key.Trim();
        var hex = trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? trimmed[2..] : trimmed;
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit) || hex.All(c => c == '0'))
        {
            failures.Add($"{setting} must be a private key: 0x and 64 hex digits (or empty to turn minting off).");
        }
    }
}
