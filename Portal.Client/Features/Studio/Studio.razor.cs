using System.Globalization;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace Heurist.Portal.Client.Features.Studio;

public sealed partial class Studio : IAsyncDisposable
{
    private const int GallerySize = 48;

    // The spec's fields that the form shows errors under (width and height under the size).
    private static readonly HashSet<string> FormFields = ["prompt", "negativePrompt", "modelId", "width", "height", "steps", "guidance", "seed", "scheduler"];

    private readonly CancellationTokenSource _disposed = new();
    private FieldErrors _fieldErrors = new();
    private string _prompt = "";
    private string _negativePrompt = "";
    private string? _modelId;
    private SizePreset? _size;
    private int _steps = 25;
    private double _guidance = 7.5;
    private bool _randomSeed = true;
    private long? _seed;
    private string? _scheduler;
    private bool _submitting;
    private string? _submitError;
    private ImageJobView? _current;
    private List<ImageJobView>? _gallery;
    // One watch per unfinished job: a job keeps its live progress (and its gallery card) while another is shown.
    private readonly Dictionary<Guid, CancellationTokenSource> _watches = [];

    [Inject]
    private IStudioClient StudioClient { get; set; } = default!;

    [Inject]
    private CreatorIdentity Creator { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    // Signed in, the gallery is the account's, from every browser; signed out, this browser's.
    private string? _account;

    // Filled while prerendering and carried to the interactive render.
    [PersistentState]
    public List<StudioModel>? Models { get; set; }

    private StudioModel? SelectedModel => Models?.FirstOrDefault(m => m.Id == _modelId);

    // One job at a time from the form; a job whose live progress was lost no longer holds it up.
    private bool CanGenerate => !_submitting && !string.IsNullOrWhiteSpace(_prompt) && SelectedModel is not null
                                && (_current is not { IsFinished: false } current || !_watches.ContainsKey(current.Id))
                                && RendererInfo.IsInteractive;

    protected override async Task OnInitializedAsync()
    {
        Models ??= [.. await StudioClient.GetModelsAsync(_disposed.Token)];
        if (Models.Count > 0)
        {
            SelectModel(Models.FirstOrDefault(m => m.WorkersOnline > 0)?.Id ?? Models[0].Id);
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive)
        {
            return;
        }
        Authentication.AuthenticationStateChanged += OnSessionChanged;
        await LoadGalleryAsync();
    }

    private async Task LoadGalleryAsync()
    {
        try
        {
            _account = AuthClaims.AddressOf((await Authentication.GetAuthenticationStateAsync()).User);
            _gallery = [.. await StudioClient.GetGalleryAsync(await Creator.GetAsync(), GallerySize, _disposed.Token)];
            // A job still running from an earlier visit picks up where it is.
            if (_current is null && _gallery.FirstOrDefault(j => !j.IsFinished) is { } unfinished)
            {
                Show(unfinished);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException or JSException)
        {
            _gallery = [];
            _submitError = "Could not load your gallery; try reloading the page.";
        }
        StateHasChanged();
    }

    // A sign-in adopts this browser's images and a sign-out hands the gallery back to the browser: show the new one.
    private void OnSessionChanged(Task<AuthenticationState> state)
        => _ = InvokeAsync(async () =>
        {
            if (!_disposed.IsCancellationRequested)
            {
                await LoadGalleryAsync();
            }
        });

    private void SelectModel(string modelId)
    {
        _modelId = modelId;
        if (SelectedModel is { } model)
        {
            _size = SizePreset.For(model)[0];
            _steps = model.DefaultSteps;
            _guidance = model.DefaultGuidance;
            _scheduler = model.DefaultScheduler;
        }
        _fieldErrors = new();
    }

    private void SelectSize(SizePreset? size) => _size = size ?? _size;

    private bool HasError(string field) => _fieldErrors.ContainsKey(field);

    /// <summary>Every message about the field, for the text under it; null when there is none.</summary>
    private string? ErrorFor(params string[] fields)
    {
        var messages = fields.SelectMany(f => _fieldErrors[f]).ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    private string PointsHint(StudioModel model)
    {
        var (width, height) = (_size?.Width ?? model.DefaultWidth, _size?.Height ?? model.DefaultHeight);
        var points = Protocol.Points.WaifuPoints.For(width, height, _steps, model.PointsMultiplier, TimeSpan.Zero, TimeSpan.MaxValue);
        return points == 0
            ? $"none at fewer than {Protocol.Points.WaifuPoints.MinSteps} steps or below 512 × 512"
            : string.Create(CultureInfo.InvariantCulture, $"about {points:0.##} Waifu points for the miner, if it finishes in time");
    }

    private async Task GenerateAsync()
    {
        if (SelectedModel is not { } model || _size is null)
        {
            return;
        }
        _submitting = true;
        _submitError = null;
        _fieldErrors = new();
        try
        {
            var job = await StudioClient.SubmitAsync(await Creator.GetAsync(), new ImageJobSpec
            {
                Prompt = _prompt,
                NegativePrompt = string.IsNullOrWhiteSpace(_negativePrompt) ? null : _negativePrompt,
                ModelId = model.Id,
                Width = _size.Width,
                Height = _size.Height,
                Steps = _steps,
                Guidance = _guidance,
                Seed = _randomSeed ? null : _seed ?? 0,
                Scheduler = _scheduler,
            }, _disposed.Token);
            _gallery?.Insert(0, job);
            Show(job);
        }
        catch (ApiException ex)
        {
            // Each field's messages go under that field; the alert says what the form cannot show there.
            _fieldErrors = ex.Errors;
            var unshown = ex.Errors.Where(e => !FormFields.Contains(e.Key)).SelectMany(e => e.Value).ToList();
            _submitError = ex.Errors.IsValid ? ex.Title
                : unshown.Count > 0 ? $"{ex.Title} {string.Join(" ", unshown)}"
                : $"{ex.Title} Check the fields marked above.";
        }
        catch (HttpRequestException)
        {
            _submitError = "Could not reach the portal. Check your connection and try again.";
        }
        catch (JSException)
        {
            _submitError = "This browser would not let the Studio keep your gallery id (is site storage blocked?). Allow it and try again.";
        }
        finally
        {
            _submitting = false;
        }
    }

    private void Show(ImageJobView job)
    {
        _current = job;
        if (!_randomSeed || job.IsFinished)
        {
            _seed = job.Seed;
        }
        if (!job.IsFinished && !_watches.ContainsKey(job.Id))
        {
            _ = WatchAsync(job.Id);
        }
    }

    private async Task WatchAsync(Guid jobId)
    {
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        _watches[jobId] = watch;
        ImageJobView? last = null;
        try
        {
            await foreach (var view in StudioClient.WatchAsync(jobId, watch.Token))
            {
                last = view;
                Update(view);
                await InvokeAsync(StateHasChanged);
            }
            if (last is not { IsFinished: true })
            {
                // The feed ended before the job did: ask once where it is.
                var current = await StudioClient.GetJobAsync(jobId, watch.Token);
                if (current is not null)
                {
                    Update(current);
                }
                if (current is not { IsFinished: true })
                {
                    _submitError = "Lost the live progress; the job goes on. Reload the page to see how it ends.";
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or ApiException)
        {
            _submitError = "Lost the live progress; the job goes on. Reload the page to see how it ends.";
        }
        finally
        {
            _watches.Remove(jobId);
        }
        if (!_disposed.IsCancellationRequested)
        {
            await InvokeAsync(StateHasChanged);
        }
    }

    private void Update(ImageJobView view)
    {
        if (_current?.Id == view.Id)
        {
            _current = view;
        }
        var index = _gallery?.FindIndex(j => j.Id == view.Id) ?? -1;
        if (index >= 0)
        {
            _gallery![index] = view with { PreviewDataUrl = null };
        }
    }

    // The token is the image's: every job that made the same bytes (a re-run with the same seed) shows the badge now.
    private void Minted(string tokenId)
    {
        if (!NftTokenIds.TryToImageSha256(tokenId, out var sha256))
        {
            return;
        }
        if (_current is { } current && string.Equals(current.ImageSha256, sha256, StringComparison.OrdinalIgnoreCase))
        {
            _current = current with { MintedTokenId = tokenId };
        }
        for (var i = 0; i < (_gallery?.Count ?? 0); i++)
        {
            if (string.Equals(_gallery![i].ImageSha256, sha256, StringComparison.OrdinalIgnoreCase))
            {
                _gallery[i] = _gallery[i] with { MintedTokenId = tokenId };
            }
        }
    }

    /// <returns>Whether the portal took the request; the job's card lets the user try again when it did not.</returns>
    private async Task<bool> CancelAsync()
    {
        if (_current is not { IsFinished: false } job)
        {
            return false;
        }
        try
        {
            if (await StudioClient.CancelAsync(job.Id, _disposed.Token) is { } canceled)
            {
                Update(canceled);
            }
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _submitError = $"Could not cancel: {ex.Message}";
            return false;
        }
        finally
        {
            // Called from the job's card: render this page too, for the error and the gallery.
            StateHasChanged();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Authentication.AuthenticationStateChanged -= OnSessionChanged;
        await _disposed.CancelAsync();
        _disposed.Dispose();
    }
}
