using System.Security.Claims;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Protocol.Api.Auth;
using Microsoft.AspNetCore.Components.Authorization;

namespace Heurist.Portal.Client.Tests.Features.Wallet;

public sealed class WalletAuthenticationStateProviderTests
{
    private const string Address = FakeWalletModule.Account;

    private readonly InMemoryAuthClient _auth = new();

    [Fact]
    public async Task The_first_state_is_the_portals_session_with_the_address_claim()
    {
        _auth.Session = new SessionResponse(Address);
        var provider = new WalletAuthenticationStateProvider(_auth);

        var user = (await provider.GetAuthenticationStateAsync()).User;

        Assert.True(user.Identity!.IsAuthenticated);
        Assert.Equal(AuthClaims.AuthenticationType, user.Identity.AuthenticationType);
        Assert.Equal(Address, user.FindFirst(AuthClaims.Address)!.Value);
        Assert.Equal(Address, user.Identity.Name);
        Assert.Equal(Address, AuthClaims.AddressOf(user));
    }

    [Fact]
    public async Task The_portal_is_asked_once()
    {
        _auth.Session = new SessionResponse(Address);
        var provider = new WalletAuthenticationStateProvider(_auth);

        await provider.GetAuthenticationStateAsync();
        await provider.GetAuthenticationStateAsync();

        Assert.Equal(1, _auth.SessionReads);
    }

    [Fact]
    public async Task No_session_is_nobody_signed_in()
    {
        var provider = new WalletAuthenticationStateProvider(_auth);

        var user = (await provider.GetAuthenticationStateAsync()).User;

        Assert.False(user.Identity!.IsAuthenticated);
        Assert.Null(AuthClaims.AddressOf(user));
    }

    [Fact]
    public async Task An_unreachable_portal_shows_the_page_signed_out()
    {
        _auth.SessionFailure = new HttpRequestException("Connection refused");
        var provider = new WalletAuthenticationStateProvider(_auth);

        Assert.Null(await provider.GetAddressAsync());
    }

    [Fact]
    public async Task Signing_in_and_out_tells_every_subscriber()
    {
        var provider = new WalletAuthenticationStateProvider(_auth);
        var seen = new List<string?>();
        provider.AuthenticationStateChanged += async state => seen.Add(AuthClaims.AddressOf((await state).User));

        provider.SignedIn(Address);
        Assert.Equal(Address, await provider.GetAddressAsync());
        provider.SignedOut();

        Assert.Equal([Address, null], seen);
        Assert.Null(await provider.GetAddressAsync());
        // The new state stands: the portal is not asked over it.
        Assert.Equal(0, _auth.SessionReads);
    }

    [Fact]
    public void A_principal_without_the_address_claim_has_no_address()
    {
        var cookieUser = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone")], "Cookies"));

        Assert.Null(AuthClaims.AddressOf(cookieUser));
    }

    [Fact]
    public async Task A_subclass_feeds_the_state_its_host_gives_as_the_server_does()
    {
        var provider = new HostFedProvider();
        Assert.Null(await provider.GetAddressAsync());

        provider.SetAuthenticationState(Task.FromResult(WalletAuthenticationStateProvider.SignedInState(Address)));

        Assert.Equal(Address, await provider.GetAddressAsync());
    }

    // What Portal.Server's provider looks like: no IAuthClient, the state handed in by the framework.
    private sealed class HostFedProvider : WalletAuthenticationStateProvider
    {
        public void SetAuthenticationState(Task<AuthenticationState> state) => ReplaceState(state);
    }
}
