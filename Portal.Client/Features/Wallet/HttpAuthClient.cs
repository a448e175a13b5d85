using System.Net;
using System.Net.Http.Json;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api.Auth;

namespace Heurist.Portal.Client.Features.Wallet;

/// <summary>
/// <see cref="IAuthClient"/> for WebAssembly: GET /api/auth/me. The browser's own POST /api/auth/siwe set the cookie
/// this request carries, so after a sign-in the session the portal reports is the truth.
/// </summary>
public sealed class HttpAuthClient(HttpClient http) : IAuthClient
{
    public async Task<SessionResponse?> GetSessionAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri(AuthRoutes.Me, UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return null;
        }
        await ApiProblemReader.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<SessionResponse>(cancellationToken);
    }

    public Task<SessionResponse?> ConfirmSignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return GetSessionAsync(cancellationToken);
    }
}
