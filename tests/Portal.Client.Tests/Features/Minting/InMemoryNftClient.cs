using System.Collections.Concurrent;
using Heurist.Protocol.Api.Minting;

namespace Heurist.Portal.Client.Tests.Features.Minting;

/// <summary>An <see cref="INftClient"/> holding NFTs, galleries and the paymaster's status in memory, for component tests.</summary>
internal sealed class InMemoryNftClient : INftClient
{
    private readonly ConcurrentQueue<string> _galleryRequests = new();

    /// <summary>NFTs by token id.</summary>
    public ConcurrentDictionary<string, NftView> Nfts { get; } = new(StringComparer.Ordinal);

    /// <summary>Galleries by address (any case); an address without one has an empty gallery that is not the viewer's.</summary>
    public ConcurrentDictionary<string, WalletGallery> Galleries { get; } = new(StringComparer.OrdinalIgnoreCase);

    public PaymasterStatus? Paymaster { get; set; }

    /// <summary>When set, every read fails with it (a 403 for the paymaster, the portal unreachable…).</summary>
    public Exception? Failure { get; set; }

    public IReadOnlyList<string> GalleryRequests => [.. _galleryRequests];

    public Task<NftView?> GetAsync(string tokenId, CancellationToken cancellationToken = default)
        => Failure is { } failure ? Task.FromException<NftView?>(failure) : Task.FromResult(Nfts.GetValueOrDefault(tokenId));

    public Task<WalletGallery> GetGalleryAsync(string address, CancellationToken cancellationToken = default)
    {
        _galleryRequests.Enqueue(address);
        return Failure is { } failure
            ? Task.FromException<WalletGallery>(failure)
            : Task.FromResult(Galleries.GetValueOrDefault(address) ?? new WalletGallery(address, false, [], []));
    }

    public Task<PaymasterStatus> GetPaymasterStatusAsync(CancellationToken cancellationToken = default)
        => Failure is { } failure ? Task.FromException<PaymasterStatus>(failure)
            : Paymaster is { } paymaster ? Task.FromResult(paymaster)
            : Task.FromException<PaymasterStatus>(new InvalidOperationException("The test set no paymaster status."));
}
