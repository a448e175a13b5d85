using Heurist.Protocol.Api.Minting;
using Heurist.ServiceDefaults;
using Microsoft.Extensions.Options;
using Nethereum.Signer;

namespace Heurist.Portal.Server.Features.Minting;

public static class MintingSetup
{
    public static IServiceCollection AddMinting(this IServiceCollection services)
    {
        services.AddOptions<MintingOptions>()
            .BindConfiguration(MintingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MintingOptions>, MintingOptionsValidator>();
        services.AddHttpClient(MintingChain.BundlerHttpClient, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpContextAccessor();
        services.AddSingleton<MintingChain>();
        services.AddScoped<IMintingClient, MintingService>();
        services.AddScoped<NftService>();
        services.AddScoped<INftClient>(provider => provider.GetRequiredService<NftService>());

        // A key that is not the contract's signer would only fail at the first mint: say so at start instead.
        services.AddStartupCheck(MintingOptions.StudioKeySetting, async (provider, cancellationToken) =>
        {
            var chain = provider.GetRequiredService<MintingChain>();
            if (!string.IsNullOrWhiteSpace(chain.Options.StudioKey))
            {
                Match(MintingOptions.StudioKeySetting, chain.Options.Studio(), await chain.Nft.StudioSignerAsync().WaitAsync(cancellationToken), "ImaginariesNft's studio signer");
            }
        });
        services.AddStartupCheck(MintingOptions.SponsorKeySetting, async (provider, cancellationToken) =>
        {
            var chain = provider.GetRequiredService<MintingChain>();
            if (!string.IsNullOrWhiteSpace(chain.Options.SponsorKey))
            {
                var paymaster = new Contracts.Bindings.HeuristPaymasterContract(chain.Web3, chain.Manifest.Contracts.HeuristPaymaster);
                Match(MintingOptions.SponsorKeySetting, chain.Options.Sponsor(), await paymaster.SponsorSignerAsync().WaitAsync(cancellationToken), "HeuristPaymaster's sponsor signer");
            }
        });
        return services;
    }

    private static void Match(string setting, EthECKey key, string signer, string role)
    {
        var address = key.GetPublicAddress();
        if (!string.Equals(address, signer, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{setting} is the key of {address}, but {role} is {signer}: set the key of {signer}.");
        }
    }
}
