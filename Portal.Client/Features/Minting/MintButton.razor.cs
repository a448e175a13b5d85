using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Studio;
using Microsoft.AspNetCore.Components;

namespace Heurist.Portal.Client.Features.Minting;

/// <summary>Where a mint started from <see cref="MintButton"/> is.</summary>
public enum MintStage
{
    Ready,
    Preparing,
    WaitingForSignature,
    Sending,
    Pending,
    Minted,
    Failed,
}

/// <summary>
/// Mints a finished image as an Imaginaries NFT without gas: the portal prepares a sponsored user operation, the
/// wallet signs its EIP-712 digest, the portal sends it to the bundler, and the button follows it until the portal's
/// index has the token. Shown only to the image's owner while it is mintable; a minted image shows its badge instead.
/// </summary>
public sealed partial class MintButton : IDisposable
{
    /// <summary>How often a sent mint is asked after.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _disposed = new();
    private MintStage _stage = MintStage.Ready;
    private MintState? _progress;
    private string? _info;
    private string? _error;
    private bool _canRetry;
    private string? _existingTokenId;
    private string? _mintedTokenId;
    private string? _transactionHash;

    [Parameter, EditorRequired]
    public ImageJobView Job { get; set; } = default!;

    /// <summary>The account the image belongs to; the button shows only when it is the signed-in one.</summary>
    [Parameter]
    public string? Owner { get; set; }

    /// <summary>A small button without the explanation, for a card.</summary>
    [Parameter]
    public bool Compact { get; set; }

    /// <summary>Told the token id once the portal has indexed the mint.</summary>
    [Parameter]
    public EventCallback<string> OnMinted { get; set; }

    [Inject]
    private IMintingClient Minting { get; set; } = default!;

    [Inject]
    private WalletService Wallet { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private bool IsOwner => Owner is { Length: > 0 } owner && string.Equals(owner, Wallet.SignedInAddress, StringComparison.OrdinalIgnoreCase);

    private bool Busy => _stage is MintStage.Preparing or MintStage.WaitingForSignature or MintStage.Sending or MintStage.Pending;

    private int ProgressPercent => _progress switch
    {
        MintState.Included => 75,
        _ => 40,
    };

    private string? TransactionUrl => _transactionHash is { } hash ? Wallet.Chain?.TransactionUrl(hash) : null;

    protected override void OnInitialized() => Wallet.Changed += OnWalletChanged;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            await Wallet.InitializeAsync();
        }
    }

    private void OnWalletChanged() => _ = InvokeAsync(StateHasChanged);

    private async Task MintAsync()
    {
        if (Busy || Job.ImageSha256 is not { } sha256)
        {
            return;
        }
        _info = null;
        _error = null;
        _existingTokenId = null;
        // The operation's sender is the signed-in account's SimpleAccount, so that account's wallet must sign, and on
        // the portal's chain: EIP-712's domain names it and wallets refuse a domain of another chain.
        if (Wallet.State != WalletState.Connected || Wallet.Account is null)
        {
            _info = $"Connect the wallet of {Formatting.ShortAddress(Owner!)} to sign the mint.";
            return;
        }
        if (!string.Equals(Wallet.Account, Owner, StringComparison.OrdinalIgnoreCase))
        {
            _info = $"The wallet is on {Formatting.ShortAddress(Wallet.Account)}; switch it to {Formatting.ShortAddress(Owner!)}, the account this image belongs to.";
            return;
        }
        if (Wallet.IsWrongNetwork)
        {
            _info = $"Switch the wallet to {Wallet.Chain?.ChainName ?? "the portal's chain"} first.";
            return;
        }
        var cancellationToken = _disposed.Token;
        try
        {
            _stage = MintStage.Preparing;
            StateHasChanged();
            var preparation = await Minting.PrepareAsync(sha256, cancellationToken);
            var submitted = await SignAndSubmitAsync(preparation, cancellationToken);
            if (submitted?.Reissued is { } reissued)
            {
                // The authorization or the sponsorship ran out while the wallet was asking: the portal made a fresh
                // operation, which has a new digest to sign.
                submitted = await SignAndSubmitAsync(reissued, cancellationToken);
            }
            if (submitted is null)
            {
                return;
            }
            if (submitted.UserOpHash is not { Length: > 0 } userOpHash)
            {
                Fail(submitted.Reissued is null
                    ? "The portal did not send the mint; try again."
                    : "The mint ran out of time twice before it could be sent; try again.", canRetry: true);
                return;
            }
            await FollowAsync(userOpHash, preparation.TokenId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ApiException ex)
        {
            Refused(ex, sha256);
        }
        catch (HttpRequestException)
        {
            Fail("Could not reach the portal. Check your connection and try again.", canRetry: true);
        }
    }

    /// <returns>What the portal did with the signed operation; null when the wallet gave no signature (the stage says why).</returns>
    private async Task<MintSubmitted?> SignAndSubmitAsync(MintPreparation preparation, CancellationToken cancellationToken)
    {
        _stage = MintStage.WaitingForSignature;
        StateHasChanged();
        var signed = await Wallet.SignTypedDataAsync(preparation.TypedData, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (!signed.Ok || signed.ResultString is not { Length: > 0 } signature)
        {
            if (signed.Error?.Code == WalletError.UserRejected)
            {
                _stage = MintStage.Ready;
                _info = "You declined the signature; nothing was minted.";
            }
            else
            {
                Fail($"The wallet could not sign the mint: {signed.Error?.Message ?? "it gave no signature."}", canRetry: true);
            }
            return null;
        }
        _stage = MintStage.Sending;
        StateHasChanged();
        return await Minting.SubmitAsync(new MintSubmission(preparation.PreparationId, signature), cancellationToken);
    }

    private async Task FollowAsync(string userOpHash, string tokenId, CancellationToken cancellationToken)
    {
        _stage = MintStage.Pending;
        _progress = MintState.Pending;
        StateHasChanged();
        while (true)
        {
            MintStatus? status;
            try
            {
                status = await Minting.GetStatusAsync(userOpHash, cancellationToken);
            }
            catch (HttpRequestException)
            {
                // The operation is with the bundler whether or not the portal answers this time: ask again.
                status = new MintStatus(Job.ImageSha256!, tokenId, _progress ?? MintState.Pending, userOpHash, _transactionHash, null);
            }
            if (status is null)
            {
                Fail("The portal lost track of this mint; reload the page to see whether it went through.", canRetry: true);
                return;
            }
            _transactionHash = status.TransactionHash ?? _transactionHash;
            switch (status.State)
            {
                case MintState.Indexed:
                    _stage = MintStage.Minted;
                    _mintedTokenId = status.TokenId;
                    StateHasChanged();
                    await OnMinted.InvokeAsync(status.TokenId);
                    return;
                case MintState.Failed:
                    Fail($"The mint failed: {status.Reason ?? "the bundler gave no reason"}. The image can still be minted.", canRetry: true);
                    return;
                default:
                    _progress = status.State;
                    StateHasChanged();
                    break;
            }
            await Task.Delay(PollInterval, Clock, cancellationToken);
        }
    }

    private void Refused(ApiException ex, string sha256)
    {
        switch (ex.Status)
        {
            case 401:
                Fail("Your session has ended; sign in again to mint.", canRetry: false);
                break;
            case 409:
                _existingTokenId = NftTokenIds.FromImageSha256(sha256);
                Fail(ex.Title, canRetry: false);
                break;
            case 403:
            case 404:
                Fail(ex.Title, canRetry: false);
                break;
            default:
                // 429 (a quota, whose title says when it resets), 502/503 (the bundler) and the rest can be tried again.
                Fail(ex.Title, canRetry: true);
                break;
        }
    }

    private void Fail(string message, bool canRetry)
    {
        _stage = MintStage.Failed;
        _error = message;
        _canRetry = canRetry;
        _progress = null;
    }

    public void Dispose()
    {
        Wallet.Changed -= OnWalletChanged;
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
