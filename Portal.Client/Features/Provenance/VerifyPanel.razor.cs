using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Provenance;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Heurist.Portal.Client.Features.Provenance;

/// <summary>
/// The Verify section of an NFT page: lists the image's earlier re-runs, queues a new one, and follows it until it is
/// identical, different (both hashes and what differed) or cannot be verified (and why).
/// </summary>
public sealed partial class VerifyPanel : IDisposable
{
    /// <summary>How often an unfinished verification is asked after.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _disposed = new();
    private bool _loading = true;
    private bool _requesting;
    private bool _following;
    private string? _error;
    private VerificationView? _latest;
    private List<VerificationView> _earlier = [];

    /// <summary>The sha256 of the image (the NFT's) to re-run.</summary>
    [Parameter, EditorRequired]
    public string ImageSha256 { get; set; } = "";

    [Inject]
    private IProvenanceClient Provenance { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private bool Waiting => _latest is { IsFinished: false };

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Only the interactive render loads: a prerendered page would ask, then ask again once interactive.
        if (!firstRender || !RendererInfo.IsInteractive)
        {
            return;
        }
        try
        {
            Show(await Provenance.ListVerificationsAsync(ImageSha256, _disposed.Token));
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _error = $"Could not load this image's verifications: {Reason(ex)}";
        }
        _loading = false;
        StateHasChanged();
        StartFollowing();
    }

    private async Task VerifyAsync()
    {
        if (_requesting || Waiting)
        {
            return;
        }
        _requesting = true;
        _error = null;
        try
        {
            var requested = await Provenance.RequestVerificationAsync(ImageSha256, _disposed.Token);
            if (_latest is { } previous && previous.Id != requested.Id)
            {
                _earlier.Insert(0, previous);
            }
            _latest = requested;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _error = Reason(ex);
        }
        finally
        {
            _requesting = false;
        }
        StateHasChanged();
        StartFollowing();
    }

    /// <summary>Follows an unfinished verification in the background, so the button's handler returns at once.</summary>
    private void StartFollowing()
    {
        if (!_following && Waiting)
        {
            _following = true;
            _ = FollowAsync();
        }
    }

    /// <summary>Asks after the latest verification until it has its outcome, or the page goes away.</summary>
    private async Task FollowAsync()
    {
        try
        {
            while (_latest is { IsFinished: false } pending)
            {
                await Task.Delay(PollInterval, Clock, _disposed.Token);
                try
                {
                    _latest = await Provenance.GetVerificationAsync(pending.Id, _disposed.Token) ?? pending;
                    _error = null;
                }
                catch (Exception ex) when (ex is HttpRequestException or ApiException)
                {
                    // The re-run goes on at the worker whether or not the portal answers this time: ask again.
                    _error = $"Could not reach the portal to follow the verification; still trying. ({Reason(ex)})";
                }
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        finally
        {
            _following = false;
        }
    }

    private void Show(IReadOnlyList<VerificationView> verifications)
    {
        _latest = verifications.Count > 0 ? verifications[0] : null;
        _earlier = [.. verifications.Skip(1)];
    }

    private static string Reason(Exception ex) => ex switch
    {
        ApiException refused => refused.Title,
        _ => "the portal could not be reached. Check your connection and try again.",
    };

    private static string Describe(VerificationState state) => state switch
    {
        VerificationState.Identical => "Identical",
        VerificationState.Different => "Different",
        VerificationState.CannotVerify => "Cannot verify",
        VerificationState.Running => "Running",
        _ => "Queued",
    };

    private static Color ColorOf(VerificationState state) => state switch
    {
        VerificationState.Identical => Color.Success,
        VerificationState.Different => Color.Error,
        VerificationState.CannotVerify => Color.Warning,
        _ => Color.Default,
    };

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
