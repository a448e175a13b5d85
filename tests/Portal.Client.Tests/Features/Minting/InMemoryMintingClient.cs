using System.Collections.Concurrent;
using Heurist.Protocol.Api.Minting;

namespace Heurist.Portal.Client.Tests.Features.Minting;

/// <summary>
/// An <see cref="IMintingClient"/> in memory, for component tests: the portal's real one needs the bundler and the
/// chain, which the server's tests cover. A test sets what each step answers and reads what was asked of it.
/// </summary>
internal sealed class InMemoryMintingClient : IMintingClient
{
    public const string UserOpHash = "0x6d1c0a7e9b5f4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d";

    public const string TransactionHash = "0x1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6";

    private readonly ConcurrentQueue<string> _prepared = new();
    private readonly ConcurrentQueue<MintSubmission> _submissions = new();
    private readonly ConcurrentQueue<string> _statusReads = new();
    private readonly ConcurrentQueue<MintSubmitted> _submitAnswers = new();
    private readonly ConcurrentQueue<MintStatus?> _statuses = new();
    private MintStatus? _lastStatus;

    /// <summary>When set, preparing fails with it, as when the portal refuses the image.</summary>
    public Exception? PrepareFailure { get; set; }

    /// <summary>When set, submitting fails with it, as when the bundler refuses the operation.</summary>
    public Exception? SubmitFailure { get; set; }

    public IReadOnlyList<string> Prepared => [.. _prepared];

    public IReadOnlyList<MintSubmission> Submissions => [.. _submissions];

    public IReadOnlyList<string> StatusReads => [.. _statusReads];

    /// <summary>The preparation of an image: a fresh id, and typed data that names the image so a test can tell them apart.</summary>
    public static MintPreparation Preparation(string sha256, string typedData = "") => new(
        Guid.NewGuid(),
        sha256,
        NftTokenIds.FromImageSha256(sha256),
        "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        DeploysAccount: true,
        typedData.Length > 0 ? typedData : $$$"""{"primaryType":"PackedUserOperation","message":{"image":"{{{sha256}}}"}}""",
        TestServices.Now.AddMinutes(10),
        TestServices.Now.AddMinutes(10),
        $"https://portal.example/api/nft/{NftTokenIds.FromImageSha256(sha256)}/metadata");

    /// <summary>What the next submissions answer, in order; once they are spent a submission is sent with <see cref="UserOpHash"/>.</summary>
    public void SubmitAnswers(params MintSubmitted[] answers)
    {
        foreach (var answer in answers)
        {
            _submitAnswers.Enqueue(answer);
        }
    }

    /// <summary>What the status reads answer, in order; the last one goes on being answered.</summary>
    public void StatusAnswers(params MintStatus?[] statuses)
    {
        foreach (var status in statuses)
        {
            _statuses.Enqueue(status);
        }
    }

    public static MintStatus Status(string sha256, MintState state, string? reason = null) => new(
        sha256, NftTokenIds.FromImageSha256(sha256), state, UserOpHash, state is MintState.Included or MintState.Indexed ? TransactionHash : null, reason);

    public Task<MintPreparation> PrepareAsync(string imageSha256, CancellationToken cancellationToken = default)
    {
        _prepared.Enqueue(imageSha256);
        return PrepareFailure is { } failure ? Task.FromException<MintPreparation>(failure) : Task.FromResult(Preparation(imageSha256));
    }

    public Task<MintSubmitted> SubmitAsync(MintSubmission submission, CancellationToken cancellationToken = default)
    {
        _submissions.Enqueue(submission);
        if (SubmitFailure is { } failure)
        {
            return Task.FromException<MintSubmitted>(failure);
        }
        return Task.FromResult(_submitAnswers.TryDequeue(out var answer) ? answer : new MintSubmitted(UserOpHash, null));
    }

    public Task<MintStatus?> GetStatusAsync(string userOpHash, CancellationToken cancellationToken = default)
    {
        _statusReads.Enqueue(userOpHash);
        if (_statuses.TryDequeue(out var status))
        {
            _lastStatus = status;
        }
        return Task.FromResult(_lastStatus);
    }
}
