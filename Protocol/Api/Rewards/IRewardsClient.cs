namespace Heurist.Protocol.Api.Rewards;

/// <summary>
/// Reads the settled epochs and an account's rewards. The server implements it directly; WebAssembly over
/// GET /api/rewards/....
/// </summary>
public interface IRewardsClient
{
    /// <summary>The settled epochs, newest first; at most <paramref name="limit"/> (1 to <see cref="RewardsRules.MaxEpochs"/>).</summary>
    Task<IReadOnlyList<RewardEpochSummary>> GetEpochsAsync(int limit = RewardsRules.DefaultEpochs, CancellationToken cancellationToken = default);

    /// <summary>One epoch with its whole tree, or null when it is not settled.</summary>
    Task<RewardEpochTree?> GetEpochAsync(long epoch, CancellationToken cancellationToken = default);

    /// <summary>
    /// The account's leaves with their proofs and claims. Throws <see cref="ApiException"/> (400, field "address") when
    /// <paramref name="address"/> is not 0x and 40 hex digits.
    /// </summary>
    Task<RewardAccount> GetAccountAsync(string address, CancellationToken cancellationToken = default);
}

/// <summary>The rules of the rewards API's inputs, shared by the server and the client.</summary>
public static class RewardsRules
{
    public const int DefaultEpochs = 100;

    public const int MaxEpochs = 1000;

    /// <summary>Null when <paramref name="address"/> is 0x and 40 hex digits (any case), otherwise what is wrong.</summary>
    public static string? ValidateAddress(string? address)
        => address is { Length: 42 } && address.StartsWith("0x", StringComparison.Ordinal) && address[2..].All(char.IsAsciiHexDigit)
            ? null
            : "address must be 0x and 40 hex digits.";
}
