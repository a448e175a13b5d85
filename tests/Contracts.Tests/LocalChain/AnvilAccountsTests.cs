using Heurist.Contracts.Rpc;
using Heurist.Contracts.LocalChain;
using Heurist.Testing;

namespace Heurist.Contracts.Tests.LocalChain;

public sealed class AnvilAccountsTests(AnvilFixture anvil)
{
    [Fact]
    public async Task The_keys_are_those_of_the_accounts_anvil_funds()
    {
        var accounts = await ChainRpc.Connect(anvil.RpcUrl).Eth.Accounts.SendRequestAsync();

        Assert.Equal(accounts.Take(AnvilAccounts.Count).Select(AddressUtil.Current.ConvertToChecksumAddress), Enumerable.Range(0, AnvilAccounts.Count).Select(AnvilAccounts.Address));
        Assert.Equal(AnvilAccounts.Key(5).Address, AnvilAccounts.Bundler.Address);
    }
}
