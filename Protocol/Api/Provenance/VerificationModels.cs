using System.Text.Json.Serialization;

namespace Heurist.Protocol.Api.Provenance;

/// <summary>
/// One re-run of an image's recipe on a worker, and what it found: the same bytes, other bytes (with what differed in
/// the environment), or no way to tell (<see cref="Reason"/> says why).
/// </summary>
/// <param name="Id">The verification's id.</param>
/// <param name="ImageSha256">The image re-run.</param>
/// <param name="State">Where it is, or what it found.</param>
/// <param name="ExpectedSha256">The PNG sha256 the provenance records.</param>
/// <param name="ActualSha256">The sha256 of the re-run's PNG, once it ran.</param>
/// <param name="Differences">"field: expected → actual" for each environment field that differed (or, when it could not verify, each model file).</param>
/// <param name="Reason">Why it could not verify, or why the bytes differ when nothing else did.</param>
/// <param name="CreatedAt">When it was requested.</param>
/// <param name="FinishedAt">When it found its outcome.</param>
public sealed record VerificationView(
    Guid Id,
    string ImageSha256,
    VerificationState State,
    string ExpectedSha256,
    string? ActualSha256,
    IReadOnlyList<string> Differences,
    string? Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>True once the verification has its outcome.</summary>
    [JsonIgnore]
    public bool IsFinished => State is VerificationState.Identical or VerificationState.Different or VerificationState.CannotVerify;
}

[JsonConverter(typeof(JsonStringEnumConverter<VerificationState>))]
public enum VerificationState
{
    /// <summary>Waiting for a worker that serves the model.</summary>
    Queued,

    /// <summary>A worker is re-running the recipe.</summary>
    Running,

    /// <summary>The re-run gave the same PNG bytes.</summary>
    Identical,

    /// <summary>The re-run gave other bytes.</summary>
    Different,

    /// <summary>No worker with the recorded model files could re-run it.</summary>
    CannotVerify,
}

/// <summary>
/// Re-runs of an image's recipe. The server implements it directly; WebAssembly over <see cref="ProvenanceRoutes"/>.
/// Refusals are <see cref="ApiException"/>s: 404 for an unknown image, 409 for one without provenance.
/// </summary>
public interface IProvenanceClient
{
    /// <summary>Queues a re-run of the image's recorded recipe on a worker whose model files match.</summary>
    Task<VerificationView> RequestVerificationAsync(string imageSha256, CancellationToken cancellationToken = default);

    /// <summary>A verification by id; null when there is none.</summary>
    Task<VerificationView?> GetVerificationAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>An image's verifications, newest first.</summary>
    Task<IReadOnlyList<VerificationView>> ListVerificationsAsync(string imageSha256, CancellationToken cancellationToken = default);
}

/// <summary>The routes of the provenance API, shared by the server and the WebAssembly clients.</summary>
public static class ProvenanceRoutes
{
    /// <summary>POST: queue a verification of the image.</summary>
    public static string Verify(string imageSha256) => $"api/images/{imageSha256}/verify";

    /// <summary>GET: one verification.</summary>
    public static string Verification(Guid id) => $"api/verifications/{id}";

    /// <summary>GET: the image's verifications, newest first.</summary>
    public static string Verifications(string imageSha256) => $"api/images/{imageSha256}/verifications";
}

/// <summary>What a re-run found, before it is stored: the state, the re-run's PNG sha256, the differences and the reason.</summary>
public sealed record VerificationOutcome(VerificationState State, string? ActualSha256, IReadOnlyList<string> Differences, string? Reason)
{
    /// <summary>
    /// Identical when the re-run's PNG has the recorded sha256; otherwise Different, with the environment fields that
    /// differed (none listed means the same environment gave other bytes).
    /// </summary>
    public static VerificationOutcome Compare(ImageProvenance expected, ImageProvenance actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var differences = expected.EnvironmentDifferences(actual);
        return string.Equals(expected.PngSha256, actual.PngSha256, StringComparison.Ordinal)
            ? new VerificationOutcome(VerificationState.Identical, actual.PngSha256, differences, null)
            : new VerificationOutcome(VerificationState.Different, actual.PngSha256, differences,
                differences.Count == 0 ? "the same model files and environment gave other bytes" : null);
    }

    /// <summary>The recipe could not be re-run as recorded: why, and which model files differ.</summary>
    public static VerificationOutcome CannotVerify(string reason, IReadOnlyList<string>? differences = null)
        => new(VerificationState.CannotVerify, null, differences ?? [], reason);

    /// <summary>
    /// Before a re-run: CannotVerify when the model files found differ from the recorded ones (the reason names how
    /// many, the differences which); null when they match, and the recipe can run.
    /// </summary>
    public static VerificationOutcome? CheckModelFiles(ImageProvenance expected, string where, IReadOnlyDictionary<string, string> found)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var differences = expected.ModelFileDifferences(found);
        return differences.Count == 0
            ? null
            : CannotVerify($"the model files of {expected.ModelId} on {where} are not the recorded ones ({differences.Count} differ)", differences);
    }
}
