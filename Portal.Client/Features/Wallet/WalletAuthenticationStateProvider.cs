using System.Security.Claims;
using System.Text.Json;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Auth;
using Microsoft.AspNetCore.Components.Authorization;

namespace Heurist.Portal.Client.Features.Wallet;

/// <summary>
/// Who is signed in with Ethereum, for both render modes. A signed-in user is a principal of authentication type
/// <see cref="AuthClaims.AuthenticationType"/> with the <see cref="AuthClaims.Address"/> claim (also its name).
/// <see cref="WalletService"/> tells it of sign-ins and sign-outs.
/// </summary>
/// <remarks>
/// In WebAssembly the first state comes from <see cref="IAuthClient.GetSessionAsync"/> (GET /api/auth/me). The server
/// subclasses it (in Portal.Server/Components, the one place the server names client types): the subclass implements
/// <c>IHostEnvironmentAuthenticationStateProvider</c>, hands the state the framework gives it to
/// <see cref="ReplaceState"/>, and overrides <see cref="LoadInitialStateAsync"/> when it has another source.
/// </remarks>
public class WalletAuthenticationStateProvider : AuthenticationStateProvider
{
    private readonly IAuthClient? _authClient;
    private Task<AuthenticationState>? _state;

    /// <summary>Asks <paramref name="authClient"/> for the session the first time someone wants the state.</summary>
    public WalletAuthenticationStateProvider(IAuthClient authClient)
    {
        ArgumentNullException.ThrowIfNull(authClient);
        _authClient = authClient;
    }

    /// <summary>For a subclass whose first state comes from elsewhere: it overrides <see cref="LoadInitialStateAsync"/> or calls <see cref="ReplaceState"/>.</summary>
    protected WalletAuthenticationStateProvider()
    {
    }

    /// <summary>Nobody signed in.</summary>
    public static AuthenticationState Anonymous { get; } = new(new ClaimsPrincipal(new ClaimsIdentity()));

    /// <summary>The state of a session of <paramref name="address"/>.</summary>
    public static AuthenticationState SignedInState(string address) => new(AuthClaims.Principal(address));

    public override Task<AuthenticationState> GetAuthenticationStateAsync() => _state ??= LoadInitialStateAsync();

    /// <summary>The account signed in now, or null; asks for the first state when nobody has yet.</summary>
    public async Task<string?> GetAddressAsync() => AuthClaims.AddressOf((await GetAuthenticationStateAsync()).User);

    /// <summary>POST /api/auth/siwe signed <paramref name="address"/> in.</summary>
    public void SignedIn(string address) => ReplaceState(Task.FromResult(SignedInState(address)));

    /// <summary>The session ended (logout, or the wallet moved to another account).</summary>
    public void SignedOut() => ReplaceState(Task.FromResult(Anonymous));

    /// <summary>The first state, asked for once. The default asks the portal (GET /api/auth/me); failing that, nobody.</summary>
    protected virtual async Task<AuthenticationState> LoadInitialStateAsync()
    {
        if (_authClient is null)
        {
            return Anonymous;
        }
        try
        {
            return await _authClient.GetSessionAsync() is { Address: { Length: > 0 } address } ? SignedInState(address) : Anonymous;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException or JsonException or OperationCanceledException)
        {
            // Unreachable portal: show the page signed out rather than fail it; a reload asks again.
            return Anonymous;
        }
    }

    /// <summary>Makes <paramref name="state"/> the current state and tells every subscriber.</summary>
    protected void ReplaceState(Task<AuthenticationState> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
        NotifyAuthenticationStateChanged(state);
    }
}
