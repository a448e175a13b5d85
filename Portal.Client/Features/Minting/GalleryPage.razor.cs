using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Minting;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Heurist.Portal.Client.Features.Minting;

/// <summary>A wallet's Imaginaries NFTs, and for its signed-in owner the finished images still to mint.</summary>
public sealed partial class GalleryPage : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private string? _shownAddress;
    private bool _invalidAddress;
    private string? _error;

    [Parameter]
    public string Address { get; set; } = "";

    [Inject]
    private INftClient NftClient { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    // Filled while prerendering and carried to the interactive render, so the page does not load twice.
    [PersistentState]
    public WalletGallery? Gallery { get; set; }

    private string Title => Gallery is { IsOwner: true } ? "My NFTs" : $"NFTs of {Formatting.ShortAddress(Address)}";

    protected override void OnInitialized() => Authentication.AuthenticationStateChanged += OnSessionChanged;

    protected override async Task OnParametersSetAsync()
    {
        if (_shownAddress == Address)
        {
            return;
        }
        _shownAddress = Address;
        _invalidAddress = !IsAddress(Address);
        if (_invalidAddress)
        {
            Gallery = null;
            return;
        }
        if (Gallery is null || !string.Equals(Gallery.Address, Address, StringComparison.OrdinalIgnoreCase))
        {
            Gallery = null;
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        _error = null;
        try
        {
            Gallery = await NftClient.GetGalleryAsync(Address, _disposed.Token);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _error = $"Could not load this gallery: {ex.Message}";
        }
    }

    // Signing in or out changes whether the unminted images are shown: ask again.
    private void OnSessionChanged(Task<AuthenticationState> state)
        => _ = InvokeAsync(async () =>
        {
            if (!_disposed.IsCancellationRequested && !_invalidAddress)
            {
                await LoadAsync();
                StateHasChanged();
            }
        });

    // The minted image leaves the images to mint and joins the NFTs.
    private async Task OnMintedAsync(string tokenId)
    {
        await LoadAsync();
        StateHasChanged();
    }

    private static string NameOf(NftView nft) => nft.Metadata?.Name is { Length: > 0 } name ? name : $"Imaginaries #{NftTokenIds.Abbreviate(nft.TokenId)}";

    private static bool IsAddress(string address)
        => address is { Length: 42 } && address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && address[2..].All(char.IsAsciiHexDigit);

    public void Dispose()
    {
        Authentication.AuthenticationStateChanged -= OnSessionChanged;
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
