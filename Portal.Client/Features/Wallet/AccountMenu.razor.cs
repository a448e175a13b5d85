using Heurist.Portal.Client.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace Heurist.Portal.Client.Features.Wallet;

public sealed partial class AccountMenu : IDisposable
{
    private bool _open;
    private MudButton? _accountButton;

    [Inject]
    private WalletService Wallet { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    private IEnumerable<(TokenBalance Balance, string TestId)> Balances =>
        [(Wallet.Eth, "balance-eth"), (Wallet.Heu, "balance-heu"), (Wallet.EsHeu, "balance-esheu")];

    protected override void OnInitialized() => Wallet.Changed += OnWalletChanged;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            await Wallet.InitializeAsync();
        }
    }

    // The visible short address leads the name, as WCAG's label-in-name asks; the dot's meaning follows in words.
    private string AccountLabel(string account)
        => $"Account {Formatting.ShortAddress(account)}{(Wallet.IsSignedIn ? ", signed in" : ", not signed in")}";

    private void OnWalletChanged()
    {
        if (Wallet.State != WalletState.Connected)
        {
            _open = false;
        }
        _ = InvokeAsync(StateHasChanged);
    }

    private void TogglePanel()
    {
        _open = !_open;
        if (_open)
        {
            // Balances change with every block: read them again each time the panel opens.
            _ = Wallet.RefreshBalancesAsync();
        }
    }

    private async Task ClosePanelAsync()
    {
        _open = false;
        // Back to the button that opened the panel, for keyboard users.
        if (_accountButton is not null)
        {
            await _accountButton.FocusAsync();
        }
    }

    private async Task OnPanelKeyDown(KeyboardEventArgs e)
    {
        if (e.Key == "Escape")
        {
            await ClosePanelAsync();
        }
    }

    private async Task OpenConnectDialogAsync()
    {
        var options = new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true, CloseButton = true, CloseOnEscapeKey = true };
        await Dialogs.ShowAsync<ConnectWalletDialog>("Connect a wallet", options);
    }

    // The outcome is already in the snackbar and in the wallet's state.
    private async Task SignInAsync() => await Wallet.SignInAsync();

    private async Task SignOutAsync() => await Wallet.SignOutAsync();

    private Task DisconnectAsync() => Wallet.DisconnectAsync();

    public void Dispose() => Wallet.Changed -= OnWalletChanged;
}
