using Heurist.Protocol.Api.Staking;

namespace Heurist.Portal.Client.Tests.Features.Staking;

/// <summary>An <see cref="IStakingClient"/> answering from memory: the server's integration tests cover the real one.</summary>
internal sealed class InMemoryStakingClient : IStakingClient
{
    public Dictionary<string, StakingAccount> Accounts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Requests { get; } = [];

    public Task<StakingAccount> GetAccountAsync(string address, CancellationToken cancellationToken = default)
    {
        Requests.Add(address);
        return Task.FromResult(Accounts.TryGetValue(address, out var account)
            ? account
            : new StakingAccount(address.ToLowerInvariant(), 10, [], [], new StakeHistory(3600, TestServices.Now.AddDays(-10), [])));
    }
}
