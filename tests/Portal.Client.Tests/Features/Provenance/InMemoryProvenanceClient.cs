using System.Collections.Concurrent;
using Heurist.Protocol.Api.Provenance;

namespace Heurist.Portal.Client.Tests.Features.Provenance;

/// <summary>
/// An <see cref="IProvenanceClient"/> in memory: a request queues a verification, and each read of it moves it on to
/// the next answer the test scripted (Running, then an outcome).
/// </summary>
internal sealed class InMemoryProvenanceClient : IProvenanceClient
{
    public const string Sha256 = "9c2d5f0e3b1a4c6d8e7f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d";

    public const string OtherSha256 = "0000000000000000000000000000000000000000000000000000000000000bad";

    private readonly ConcurrentQueue<Func<VerificationView, VerificationView>> _next = new();
    private readonly ConcurrentQueue<Guid> _reads = new();
    private int _requests;

    /// <summary>Every verification the portal holds, newest first.</summary>
    public List<VerificationView> Verifications { get; } = [];

    /// <summary>When set, a request is refused with it.</summary>
    public Exception? RequestFailure { get; set; }

    /// <summary>When set, a read of one verification fails with it.</summary>
    public Exception? ReadFailure { get; set; }

    public int Requests => _requests;

    public IReadOnlyList<Guid> Reads => [.. _reads];

    public static VerificationView View(VerificationState state, string? actual = null, IReadOnlyList<string>? differences = null,
        string? reason = null, DateTimeOffset? createdAt = null) => new(
        Guid.NewGuid(), Sha256, state, Sha256, actual, differences ?? [], reason, createdAt ?? TestServices.Now,
        state is VerificationState.Queued or VerificationState.Running ? null : (createdAt ?? TestServices.Now).AddSeconds(4));

    /// <summary>What each following read of the newest verification turns it into.</summary>
    public void Then(params Func<VerificationView, VerificationView>[] steps)
    {
        foreach (var step in steps)
        {
            _next.Enqueue(step);
        }
    }

    public Task<VerificationView> RequestVerificationAsync(string imageSha256, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _requests);
        if (RequestFailure is { } failure)
        {
            return Task.FromException<VerificationView>(failure);
        }
        if (Verifications.FirstOrDefault() is { IsFinished: false } waiting)
        {
            return Task.FromResult(waiting);
        }
        var queued = View(VerificationState.Queued) with { ImageSha256 = imageSha256 };
        Verifications.Insert(0, queued);
        return Task.FromResult(queued);
    }

    public Task<VerificationView?> GetVerificationAsync(Guid id, CancellationToken cancellationToken = default)
    {
        _reads.Enqueue(id);
        if (ReadFailure is { } failure)
        {
            return Task.FromException<VerificationView?>(failure);
        }
        var index = Verifications.FindIndex(v => v.Id == id);
        if (index < 0)
        {
            return Task.FromResult<VerificationView?>(null);
        }
        if (_next.TryDequeue(out var step))
        {
            Verifications[index] = step(Verifications[index]);
        }
        return Task.FromResult<VerificationView?>(Verifications[index]);
    }

    public Task<IReadOnlyList<VerificationView>> ListVerificationsAsync(string imageSha256, CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<VerificationView>>([.. Verifications]);
}
