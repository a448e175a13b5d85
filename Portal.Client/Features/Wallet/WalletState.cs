using System.Numerics;
using Heurist.Protocol.Chain;

namespace Heurist.Portal.Client.Features.Wallet;

/// <summary>Where the page stands with the browser's wallets.</summary>
public enum WalletState
{
    /// <summary>Not looked yet: the page is not interactive, or the wallets have not answered.</summary>
    Discovering,

    /// <summary>This browser has no wallet at all.</summary>
    NoWallet,

    /// <summary>Wallets are there; none is connected.</summary>
    Disconnected,

    /// <summary>A wallet is asking the user to connect.</summary>
    Connecting,

    Connected,
}

/// <summary>One balance of the connected account: loading (no amount, not failed), read, or failed.</summary>
public sealed record TokenBalance(string Symbol, BigInteger? Amount, bool Failed)
{
    public bool Loading => Amount is null && !Failed;

    /// <summary>The amount in whole tokens (18 decimals), or "—" when it is not known.</summary>
    public string Display => Amount is { } amount ? TokenAmounts.Format(amount) : "—";

    public static TokenBalance Pending(string symbol) => new(symbol, null, false);
}
