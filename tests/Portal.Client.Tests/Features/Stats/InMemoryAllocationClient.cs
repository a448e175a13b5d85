using System.Collections.Concurrent;
using Heurist.Protocol.Api.Governance;

namespace Heurist.Portal.Client.Tests.Features.Stats;

/// <summary>An <see cref="IAllocationClient"/> answering from memory, recording the spans asked for.</summary>
internal sealed class InMemoryAllocationClient : IAllocationClient
{
    private readonly ConcurrentQueue<int> _requests = new();

    /// <summary>Before any computation: no vote, no targets, no history.</summary>
    public static AllocationStatus Empty { get; } = new(0.5, null, null,
        [new("sd15", 0, 0, 0, 0, 0), new("sdxl", 0, 0, 0, 0, 0), new("flux-dev", 0, 0, 0, 0, 0)], []);

    public AllocationStatus Status { get; set; } = Empty;

    /// <summary>When set, every call fails with it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>When set, calls wait for it; the panel shows its loading state meanwhile.</summary>
    public TaskCompletionSource<AllocationStatus>? Pending { get; set; }

    public IReadOnlyList<int> Requests => [.. _requests];

    public Task<AllocationStatus> GetAllocationAsync(int hours, CancellationToken cancellationToken = default)
    {
        _requests.Enqueue(hours);
        if (Failure is { } failure)
        {
            return Task.FromException<AllocationStatus>(failure);
        }
        return Pending?.Task ?? Task.FromResult(Status);
    }
}
