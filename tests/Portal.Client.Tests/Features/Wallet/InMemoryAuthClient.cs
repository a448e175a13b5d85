using Heurist.Protocol.Api.Auth;

namespace Heurist.Portal.Client.Tests.Features.Wallet;

/// <summary>
/// An <see cref="IAuthClient"/> holding the session in memory. In the portal the browser's POST /api/auth/siwe sets
/// the cookie; here the test decides what the confirmation answers.
/// </summary>
internal sealed class InMemoryAuthClient : IAuthClient
{
    /// <summary>The session GET /api/auth/me would report; null is a 401.</summary>
    public SessionResponse? Session { get; set; }

    /// <summary>When set, reading the session fails with it.</summary>
    public Exception? SessionFailure { get; set; }

    /// <summary>What confirming a sign-in answers; by default the address the message names, as the portal's check would.</summary>
    public Func<SignInRequest, SessionResponse?> Confirm { get; set; } = request => new SessionResponse(AddressIn(request.Message));

    /// <summary>Runs when a confirmation arrives, so a test can see what had happened by then.</summary>
    public Action? OnConfirm { get; set; }

    public List<SignInRequest> Confirmations { get; } = [];

    public int SessionReads { get; private set; }

    public Task<SessionResponse?> GetSessionAsync(CancellationToken cancellationToken = default)
    {
        SessionReads++;
        return SessionFailure is { } failure ? Task.FromException<SessionResponse?>(failure) : Task.FromResult(Session);
    }

    public Task<SessionResponse?> ConfirmSignInAsync(SignInRequest request, CancellationToken cancellationToken = default)
    {
        OnConfirm?.Invoke();
        Confirmations.Add(request);
        Session = Confirm(request);
        return Task.FromResult(Session);
    }

    // The second line of an EIP-4361 message is the address.
    private static string AddressIn(string message) => message.Split('\n')[1];
}
