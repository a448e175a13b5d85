using Heurist.Contracts.Crypto;
using Heurist.Contracts.LocalChain;
using Heurist.Testing;

namespace Heurist.Contracts.Tests.LocalChain;

public sealed class AnvilAccountsTests(AnvilFixture anvil)
{
    [Fact]
    public async Task The_keys_are_those_of_the_accounts_anvil_funds()
    {
        using var http = new HttpClient();
        var rpc = new Heurist.Contracts.Rpc.EthereumRpcClient(http, anvil.RpcUrl);
        var accounts = (await rpc.CallAsync("eth_accounts", [], TestContext.Current.CancellationToken))!.AsArray()
            .Select(a => EthereumAddress.Parse(a!.GetValue<string>())).ToList();

        Assert.Equal(accounts.Take(AnvilAccounts.Count), Enumerable.Range(0, AnvilAccounts.Count).Select(i => AnvilAccounts.Key(i).Address));
    }
}
