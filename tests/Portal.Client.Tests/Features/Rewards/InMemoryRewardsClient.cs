using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Rewards;

namespace Heurist.Portal.Client.Tests.Features.Rewards;

/// <summary>An <see cref="IRewardsClient"/> answering from memory: the server's integration tests cover the real one.</summary>
internal sealed class InMemoryRewardsClient : IRewardsClient
{
    private readonly Dictionary<string, Queue<RewardAccount>> _accounts = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Requests { get; } = [];

    /// <summary>When set, every account read fails with it, as when the portal cannot be reached.</summary>
    public Exception? Failure { get; set; }

    /// <summary>What the account's reads answer, in turn; the last answer repeats.</summary>
    public void Answers(string address, params RewardAccount[] answers) => _accounts[address] = new Queue<RewardAccount>(answers);

    public Task<IReadOnlyList<RewardEpochSummary>> GetEpochsAsync(int limit = RewardsRules.DefaultEpochs, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<RewardEpochSummary>>([]);

    public Task<RewardEpochTree?> GetEpochAsync(long epoch, CancellationToken cancellationToken = default)
        => Task.FromResult<RewardEpochTree?>(null);

    public Task<RewardAccount> GetAccountAsync(string address, CancellationToken cancellationToken = default)
    {
        Requests.Add(address);
        if (Failure is { } failure)
        {
            return Task.FromException<RewardAccount>(failure);
        }
        if (RewardsRules.ValidateAddress(address) is { } problem)
        {
            return Task.FromException<RewardAccount>(ApiException.Invalid("The address is invalid.", new FieldErrors().Add("address", problem)));
        }
        if (!_accounts.TryGetValue(address, out var answers))
        {
            return Task.FromResult(new RewardAccount(address.ToLowerInvariant(), [], "0", "0", "0", "0"));
        }
        return Task.FromResult(answers.Count > 1 ? answers.Dequeue() : answers.Peek());
    }
}
