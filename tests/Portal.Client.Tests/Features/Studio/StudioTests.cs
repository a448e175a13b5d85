using System.Globalization;
using Bunit;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using StudioPage = Heurist.Portal.Client.Features.Studio.Studio;

namespace Heurist.Portal.Client.Tests.Features.Studio;

public sealed class StudioTests : BunitContext
{
    private const string CreatorId = "creator-1234";

    private readonly InMemoryStudioClient _studio = new();

    public StudioTests()
    {
        this.AddTestServices(configure: services => services.AddSingleton<IStudioClient>(_studio).AddScoped<CreatorIdentity>());
        JSInterop.Setup<string?>("localStorage.getItem", CreatorIdentity.StorageKey).SetResult(CreatorId);
    }

    [Fact]
    public void The_first_model_with_a_worker_online_is_selected_with_its_defaults()
    {
        _studio.Models.Clear();
        _studio.Models.AddRange([InMemoryStudioClient.Sdxl(workersOnline: 0), InMemoryStudioClient.Sd15()]);

        var studio = Render<StudioPage>();

        Assert.Equal("sd15", ModelSelect(studio).Instance.GetState(x => x.Value));
        Assert.Equal("euler-ancestral", SchedulerSelect(studio).Instance.GetState(x => x.Value));
        Assert.Contains("Steps: 25", studio.Markup, StringComparison.Ordinal);
        Assert.Contains("Guidance: 7.5", studio.Markup, StringComparison.Ordinal);
        Assert.Equal("512 × 512", SelectedSize(studio));
        Assert.Contains("about 0.38 Waifu points", studio.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("No worker serves", studio.Markup, StringComparison.Ordinal);
        // With a random seed there is no seed to show yet.
        var seed = studio.Find("input[aria-label='Seed']");
        Assert.True(string.IsNullOrEmpty(seed.GetAttribute("value")));
        Assert.Equal("random", seed.GetAttribute("placeholder"));
    }

    [Fact]
    public async Task Choosing_another_model_takes_its_defaults_and_its_sizes()
    {
        _studio.Models.Add(InMemoryStudioClient.Sdxl());
        var studio = Render<StudioPage>();
        Assert.DoesNotContain("1216 × 832", SizeChoices(studio));

        await studio.InvokeAsync(() => ModelSelect(studio).Instance.SelectOption("sdxl"));

        studio.WaitForAssertion(() => Assert.Contains("Steps: 30", studio.Markup, StringComparison.Ordinal));
        Assert.Contains("Guidance: 7.0", studio.Markup, StringComparison.Ordinal);
        Assert.Equal("euler", SchedulerSelect(studio).Instance.GetState(x => x.Value));
        Assert.Equal("1024 × 1024", SelectedSize(studio));
        // SDXL goes up to 2048 a side, so its presets include the sizes SD 1.5 cannot make.
        Assert.Equal("1024 × 1024", SizeChoices(studio)[0]);
        Assert.Contains("1216 × 832", SizeChoices(studio));
    }

    [Fact]
    public void A_model_with_no_worker_online_warns_that_the_job_will_wait()
    {
        _studio.Models.Clear();
        _studio.Models.Add(InMemoryStudioClient.Sdxl(workersOnline: 0));

        var studio = Render<StudioPage>();

        Assert.Equal("sdxl", ModelSelect(studio).Instance.GetState(x => x.Value));
        Assert.Contains("No worker serves Stable Diffusion XL right now: the job will wait in its queue until one comes online.",
            studio.Find(".mud-alert-text-warning").TextContent, StringComparison.Ordinal);
        Assert.Contains("Steps: 30", studio.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_served_with_demo_weights_says_its_images_are_noise()
    {
        _studio.Models.Clear();
        _studio.Models.Add(InMemoryStudioClient.Sd15(demo: true));

        var studio = Render<StudioPage>();

        Assert.Contains("run tiny demo weights: images come out as noise-like patterns", studio.Find(".mud-alert-text-info").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("No worker serves", studio.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_is_disabled_until_a_prompt_is_typed()
    {
        var studio = Render<StudioPage>();
        Assert.True(GenerateButton(studio).HasAttribute("disabled"));

        TypePrompt(studio, "   ");
        Assert.True(GenerateButton(studio).HasAttribute("disabled"));

        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        Assert.False(GenerateButton(studio).HasAttribute("disabled"));
    }

    [Fact]
    public void Signing_in_or_out_reloads_the_gallery_and_says_whose_it_is()
    {
        _studio.Gallery.Add(InMemoryStudioClient.Job("an older fox"));
        var studio = Render<StudioPage>();
        studio.WaitForAssertion(() => Assert.Contains("1 in this browser", studio.Markup, StringComparison.Ordinal));

        var session = Services.GetRequiredService<WalletAuthenticationStateProvider>();
        session.SignedIn(TestServices.RewardAddress);

        studio.WaitForAssertion(() => Assert.Contains("1 in your account", studio.Markup, StringComparison.Ordinal));
        Assert.Equal([CreatorId, CreatorId], _studio.GalleryRequests);

        session.SignedOut();

        studio.WaitForAssertion(() => Assert.Contains("1 in this browser", studio.Markup, StringComparison.Ordinal));
        Assert.Equal(3, _studio.GalleryRequests.Count);
    }

    [Fact]
    public void Generating_sends_the_form_for_this_browsers_creator_and_puts_the_job_first_in_the_gallery()
    {
        _studio.Gallery.Add(InMemoryStudioClient.Job("an older fox"));
        var studio = Render<StudioPage>();

        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        GenerateButton(studio).Click();

        var (creator, spec) = Assert.Single(_studio.Submitted);
        Assert.Equal(CreatorId, creator);
        Assert.Equal("a lighthouse on a cliff at dawn", spec.Prompt);
        Assert.Null(spec.NegativePrompt);
        Assert.Equal("sd15", spec.ModelId);
        Assert.Equal((512, 512), (spec.Width, spec.Height));
        Assert.Equal(25, spec.Steps);
        Assert.Equal(7.5, spec.Guidance);
        Assert.Equal("euler-ancestral", spec.Scheduler);
        Assert.Null(spec.Seed);
        Assert.Equal([CreatorId], _studio.GalleryRequests);

        Assert.Equal(["Show a lighthouse on a cliff at dawn", "Show an older fox"], GalleryCards(studio));
        Assert.Contains("2 in this browser", studio.Markup, StringComparison.Ordinal);
        Assert.Contains(studio.FindAll("h2"), h => h.TextContent.Trim() == "Waiting for a sd15 worker…");
        // One job at a time: the form waits until this one finishes.
        Assert.True(GenerateButton(studio).HasAttribute("disabled"));
    }

    [Fact]
    public void The_chosen_size_steps_and_a_fixed_seed_are_sent()
    {
        var studio = Render<StudioPage>();

        TypePrompt(studio, "a red fox");
        studio.Find("input[type='range'][aria-label='Steps']").Input("30");
        studio.Find("button.mud-chip:contains('768 × 512')").Click();
        studio.Find("input[role='switch']").Change(false);
        studio.Find("input[aria-label='Seed']").Change("1234");
        GenerateButton(studio).Click();

        var spec = Assert.Single(_studio.Submitted).Spec;
        Assert.Equal((768, 512), (spec.Width, spec.Height));
        Assert.Equal(30, spec.Steps);
        Assert.Equal(1234, spec.Seed);
    }

    [Fact]
    public void A_refused_prompt_is_shown_at_the_prompt_and_the_typed_text_is_kept()
    {
        _studio.SubmitFailure = ApiException.Invalid("The image job is invalid.",
            new FieldErrors().Add("prompt", "prompt must be at most 2000 characters (it has 2001)."));
        var studio = Render<StudioPage>();

        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        GenerateButton(studio).Click();

        Assert.Equal("The image job is invalid. Check the fields marked above.", studio.Find(".mud-alert-text-error").TextContent.Trim());
        Assert.Equal("true", studio.Find("textarea[aria-label='Prompt']").GetAttribute("aria-invalid"));
        Assert.Equal("false", studio.Find("textarea[aria-label='Negative prompt']").GetAttribute("aria-invalid"));
        Assert.Contains("prompt must be at most 2000 characters (it has 2001).", studio.Find(".mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal);
        Assert.Equal("a lighthouse on a cliff at dawn", studio.Find("textarea[aria-label='Prompt']").GetAttribute("value"));
        Assert.Contains("Generate", GenerateButton(studio).TextContent, StringComparison.Ordinal);
        Assert.False(GenerateButton(studio).HasAttribute("disabled"));
        Assert.Contains("Your image appears here", studio.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_refused_field_shows_each_of_its_messages_under_it()
    {
        _studio.SubmitFailure = ApiException.Invalid("The image job is invalid.", new FieldErrors()
            .Add("prompt", "prompt is required.")
            .Add("prompt", "prompt must not be only spaces.")
            .Add("width", "width must be a multiple of 8 (got 770).")
            .Add("height", "height must be at most 2048 (got 4096).")
            .Add("steps", "steps must be between 1 and 50 (got 60).")
            .Add("guidance", "guidance must be between 0 and 20 (got 25).")
            .Add("scheduler", "scheduler 'x' does not run sdxl."));
        var studio = Render<StudioPage>();

        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        GenerateButton(studio).Click();

        var helperErrors = studio.FindAll(".mud-input-helper-text.mud-input-error").Select(e => e.TextContent.Trim()).ToList();
        // The prompt's helper line also holds its character counter.
        Assert.Contains(helperErrors, e => e.StartsWith("prompt is required. prompt must not be only spaces.", StringComparison.Ordinal));
        Assert.Equal("true", studio.Find("textarea[aria-label='Prompt']").GetAttribute("aria-invalid"));
        Assert.Equal("width must be a multiple of 8 (got 770). height must be at most 2048 (got 4096).", studio.Find("[data-testid='size-error']").TextContent.Trim());
        Assert.Equal("steps must be between 1 and 50 (got 60).", studio.Find("[data-testid='steps-error']").TextContent.Trim());
        Assert.Equal("guidance must be between 0 and 20 (got 25).", studio.Find("[data-testid='guidance-error']").TextContent.Trim());
        Assert.Contains("scheduler 'x' does not run sdxl.", helperErrors);
        Assert.Equal("false", studio.Find("textarea[aria-label='Negative prompt']").GetAttribute("aria-invalid"));
    }

    [Fact]
    public void A_refusal_the_form_has_no_field_for_is_shown_in_the_alert()
    {
        _studio.SubmitFailure = ApiException.Invalid("The image job is invalid.", new FieldErrors()
            .Add("creatorId", "creatorId (the X-Creator-Id header) must be 8 to 64 letters, digits, '-' or '_'.")
            .Add("steps", "steps must be between 1 and 50 (got 60)."));
        var studio = Render<StudioPage>();

        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        GenerateButton(studio).Click();

        Assert.Equal("The image job is invalid. creatorId (the X-Creator-Id header) must be 8 to 64 letters, digits, '-' or '_'.",
            studio.Find(".mud-alert-text-error").TextContent.Trim());
        Assert.Equal("steps must be between 1 and 50 (got 60).", studio.Find("[data-testid='steps-error']").TextContent.Trim());
    }

    [Fact]
    public async Task Choosing_another_model_clears_the_field_errors()
    {
        _studio.Models.Add(InMemoryStudioClient.Sdxl());
        _studio.SubmitFailure = ApiException.Invalid("The image job is invalid.", new FieldErrors().Add("steps", "steps must be between 1 and 50 (got 60)."));
        var studio = Render<StudioPage>();
        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        GenerateButton(studio).Click();
        Assert.NotEmpty(studio.FindAll("[data-testid='steps-error']"));

        await studio.InvokeAsync(() => ModelSelect(studio).Instance.SelectOption("sdxl"));

        studio.WaitForAssertion(() => Assert.Empty(studio.FindAll("[data-testid='steps-error']")));
    }

    [Fact]
    public void A_running_job_shows_each_step_and_then_its_image_points_and_download()
    {
        var studio = Render<StudioPage>();
        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        studio.Find("input[type='range'][aria-label='Steps']").Input("4");
        GenerateButton(studio).Click();
        Assert.Equal(4, Assert.Single(_studio.Submitted).Spec.Steps);
        var id = SubmittedJobId();
        Assert.Equal([id], _studio.Watched);

        for (var step = 1; step <= 4; step++)
        {
            var reported = step;
            _studio.Push(id, view => view with { State = ImageJobState.Running, ProgressStep = reported, StartedAt = TestServices.Now.AddSeconds(-3) });
            studio.WaitForAssertion(() => Assert.Contains(studio.FindAll("h2"), h => h.TextContent.Trim() == $"Rendering: step {reported} of 4"));
            Assert.Equal((25 * reported).ToString(CultureInfo.InvariantCulture), studio.Find("[aria-label='Progress']").GetAttribute("aria-valuenow"));
            Assert.Contains($"step {reported}/4", GalleryCard(studio, "a lighthouse on a cliff at dawn").TextContent, StringComparison.Ordinal);
        }

        var sha = InMemoryStudioClient.Sha256("a lighthouse on a cliff at dawn");
        _studio.Push(id, view => view with { State = ImageJobState.Succeeded, ImageSha256 = sha, Points = 0.3m, CompletedAt = TestServices.Now, MinerId = "rig-4090" });

        studio.WaitForAssertion(() => Assert.Equal($"api/images/{sha}.png", studio.Find(".studio-image").GetAttribute("src")));
        Assert.Contains("0.3 points", studio.Markup, StringComparison.Ordinal);
        Assert.Contains(studio.FindAll(".mud-typography-caption"), caption => caption.TextContent == "Rendered by miner rig-4090");
        Assert.Equal($"api/images/{sha}.png?download=true", studio.Find("a:contains('Download PNG')").GetAttribute("href"));
        Assert.Equal($"api/images/{sha}.png?download=true", studio.Find("a[aria-label='Download a lighthouse on a cliff at dawn']").GetAttribute("href"));
        Assert.False(GenerateButton(studio).HasAttribute("disabled"));
    }

    [Fact]
    public async Task Cancelling_a_running_job_asks_the_portal_and_shows_where_it_stopped()
    {
        var studio = Render<StudioPage>();
        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        studio.Find("input[type='range'][aria-label='Steps']").Input("4");
        GenerateButton(studio).Click();
        var id = SubmittedJobId();
        _studio.Push(id, view => view with { State = ImageJobState.Running, ProgressStep = 2 });
        studio.WaitForAssertion(() => Assert.Contains(studio.FindAll("h2"), h => h.TextContent.Trim() == "Rendering: step 2 of 4"));

        // The watch renders from another thread, so wait for the click's handler to finish before looking.
        await studio.Find("button:contains('Cancel')").ClickAsync(new MouseEventArgs());

        Assert.Equal([id], _studio.CancelRequests);
        Assert.Equal("Stopping…", studio.Find("[aria-live='polite'] h2 + button").TextContent.Trim());
        Assert.True(studio.Find("button:contains('Stopping')").HasAttribute("disabled"));

        _studio.Push(id, view => view with { State = ImageJobState.Canceled, CompletedAt = TestServices.Now });

        studio.WaitForAssertion(() => Assert.Contains("Cancelled after 2 of 4 steps.", studio.Find(".mud-alert").TextContent, StringComparison.Ordinal));
        Assert.Contains("cancelled", GalleryCard(studio, "a lighthouse on a cliff at dawn").TextContent, StringComparison.Ordinal);
        Assert.False(GenerateButton(studio).HasAttribute("disabled"));
    }

    [Fact]
    public void Cancelling_a_job_still_waiting_for_a_worker_ends_it_at_once()
    {
        var studio = Render<StudioPage>();
        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        GenerateButton(studio).Click();

        studio.Find("button:contains('Cancel')").Click();

        studio.WaitForAssertion(() => Assert.Equal("Cancelled.", studio.Find(".mud-alert").TextContent.Trim()));
        Assert.Equal([SubmittedJobId()], _studio.CancelRequests);
        studio.WaitForAssertion(() => Assert.Contains("cancelled", GalleryCard(studio, "a lighthouse on a cliff at dawn").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_job_says_why()
    {
        var studio = Render<StudioPage>();
        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        GenerateButton(studio).Click();
        var id = SubmittedJobId();

        _studio.Push(id, view => view with { State = ImageJobState.Failed, Error = "the worker ran out of memory", CompletedAt = TestServices.Now });

        studio.WaitForAssertion(() => Assert.Equal("The image could not be made: the worker ran out of memory.", studio.Find(".mud-alert").TextContent.Trim()));
        Assert.Contains("failed", GalleryCard(studio, "a lighthouse on a cliff at dawn").TextContent, StringComparison.Ordinal);
        Assert.Empty(studio.FindAll("a[aria-label^='Download ']"));
        Assert.False(GenerateButton(studio).HasAttribute("disabled"));
    }

    [Fact]
    public void Losing_the_live_progress_says_the_job_goes_on()
    {
        var studio = Render<StudioPage>();
        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        GenerateButton(studio).Click();

        _studio.EndWatch(SubmittedJobId(), new HttpRequestException("connection reset"));

        studio.WaitForAssertion(() => Assert.Contains("Lost the live progress; the job goes on.", studio.Find(".mud-alert-text-error").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_gallery_says_nothing_has_been_made_yet()
    {
        var studio = Render<StudioPage>();

        Assert.Contains("Nothing yet.", studio.Markup, StringComparison.Ordinal);
        Assert.Empty(GalleryCards(studio));
        Assert.Equal([CreatorId], _studio.GalleryRequests);
    }

    [Fact]
    public void The_gallery_shows_every_job_and_offers_downloads_only_of_finished_images()
    {
        _studio.Gallery.AddRange(
        [
            InMemoryStudioClient.Job("a red fox"),
            InMemoryStudioClient.Job("a blue whale", ImageJobState.Failed),
            InMemoryStudioClient.Job("a green frog", ImageJobState.Canceled, progressStep: 7),
        ]);

        var studio = Render<StudioPage>();

        Assert.Equal(["Show a red fox", "Show a blue whale", "Show a green frog"], GalleryCards(studio));
        Assert.Contains("3 in this browser", studio.Markup, StringComparison.Ordinal);
        var download = Assert.Single(studio.FindAll("[aria-label^='Download ']"));
        Assert.Equal("Download a red fox", download.GetAttribute("aria-label"));
        Assert.Equal($"api/images/{InMemoryStudioClient.Sha256("a red fox")}.png?download=true", download.GetAttribute("href"));
        Assert.Contains("failed", GalleryCard(studio, "a blue whale").TextContent, StringComparison.Ordinal);
        Assert.Contains("cancelled", GalleryCard(studio, "a green frog").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Nothing yet.", studio.Markup, StringComparison.Ordinal);
        // Nothing is running, so nothing is shown or watched until a card is opened.
        Assert.Contains("Your image appears here", studio.Markup, StringComparison.Ordinal);
        Assert.Empty(_studio.Watched);
    }

    [Fact]
    public void Opening_a_gallery_card_shows_that_image()
    {
        _studio.Gallery.AddRange([InMemoryStudioClient.Job("a red fox"), InMemoryStudioClient.Job("a blue whale")]);
        var studio = Render<StudioPage>();

        studio.Find("button[aria-label='Show a blue whale']").Click();

        Assert.Equal($"api/images/{InMemoryStudioClient.Sha256("a blue whale")}.png", studio.Find(".studio-image").GetAttribute("src"));
        Assert.Empty(_studio.Watched);
    }

    [Fact]
    public void A_job_still_running_from_an_earlier_visit_is_shown_and_followed()
    {
        var running = InMemoryStudioClient.Job("a slow comet", ImageJobState.Running, steps: 10, progressStep: 3);
        _studio.Gallery.AddRange([running, InMemoryStudioClient.Job("a red fox")]);

        var studio = Render<StudioPage>();

        Assert.Contains(studio.FindAll("h2"), h => h.TextContent.Trim() == "Rendering: step 3 of 10");
        Assert.Equal([running.Id], _studio.Watched);
        Assert.True(GenerateButton(studio).HasAttribute("disabled"));

        _studio.Push(running.Id, view => view with { ProgressStep = 4 });

        studio.WaitForAssertion(() => Assert.Contains(studio.FindAll("h2"), h => h.TextContent.Trim() == "Rendering: step 4 of 10"));
        Assert.Contains("step 4/10", GalleryCard(studio, "a slow comet").TextContent, StringComparison.Ordinal);

        _studio.Push(running.Id, view => view with { State = ImageJobState.Succeeded, ProgressStep = 10, ImageSha256 = InMemoryStudioClient.Sha256("a slow comet"), Points = 0.3m });

        studio.WaitForAssertion(() => Assert.NotNull(studio.Find("a[aria-label='Download a slow comet']")));
        Assert.Equal(2, studio.FindAll("[aria-label^='Download ']").Count);
    }

    [Fact]
    public void A_gallery_that_cannot_be_loaded_says_so_instead_of_failing()
    {
        _studio.GalleryFailure = new HttpRequestException("connection refused");

        var studio = Render<StudioPage>();

        Assert.Contains("Could not load your gallery; try reloading the page.", studio.Find(".mud-alert-text-error").TextContent, StringComparison.Ordinal);
        Assert.Contains("Nothing yet.", studio.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_keeps_its_live_progress_while_another_one_is_generated()
    {
        _studio.Gallery.Add(InMemoryStudioClient.Job("a red fox"));
        var studio = Render<StudioPage>();
        TypePrompt(studio, "a slow comet");
        studio.Find("input[type='range'][aria-label='Steps']").Input("4");
        GenerateButton(studio).Click();
        var first = _studio.Created[0].Id;
        _studio.Push(first, view => view with { State = ImageJobState.Running, ProgressStep = 2 });
        studio.WaitForAssertion(() => Assert.Contains("step 2/4", GalleryCard(studio, "a slow comet").TextContent, StringComparison.Ordinal));

        // Looking at a finished image frees the form, and a second job starts while the first still renders.
        // The watch renders from another thread, so wait for each click's handler to finish before going on.
        await studio.Find("button[aria-label='Show a red fox']").ClickAsync(new MouseEventArgs());
        TypePrompt(studio, "a second comet");
        studio.WaitForAssertion(() => Assert.False(GenerateButton(studio).HasAttribute("disabled")));
        await GenerateButton(studio).ClickAsync(new MouseEventArgs());
        Assert.Equal(2, _studio.Created.Count);
        _studio.Push(first, view => view with { State = ImageJobState.Succeeded, ProgressStep = 4, ImageSha256 = InMemoryStudioClient.Sha256("a slow comet") });

        studio.WaitForAssertion(() => Assert.NotNull(GalleryCard(studio, "a slow comet").QuerySelector("img")));
        Assert.Contains(studio.FindAll("h2"), h => h.TextContent.Trim().StartsWith("Waiting for a sd15 worker", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cancel_the_portal_refuses_gives_the_button_back()
    {
        var studio = Render<StudioPage>();
        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        GenerateButton(studio).Click();
        var id = SubmittedJobId();
        _studio.Push(id, view => view with { State = ImageJobState.Running, ProgressStep = 1 });
        studio.WaitForAssertion(() => Assert.Contains(studio.FindAll("h2"), h => h.TextContent.Trim().StartsWith("Rendering", StringComparison.Ordinal)));
        _studio.CancelFailure = new ApiException(503, "the portal is restarting");

        await studio.Find("button:contains('Cancel')").ClickAsync(new MouseEventArgs());

        Assert.Contains("Could not cancel: the portal is restarting", studio.Find(".mud-alert-text-error").TextContent, StringComparison.Ordinal);
        var button = studio.Find("[aria-live='polite'] h2 + button");
        Assert.Equal("Cancel", button.TextContent.Trim());
        Assert.False(button.HasAttribute("disabled"));
    }

    [Fact]
    public void A_feed_that_ends_before_its_job_asks_where_the_job_is()
    {
        var studio = Render<StudioPage>();
        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        GenerateButton(studio).Click();
        var id = SubmittedJobId();
        _studio.Push(id, view => view with { State = ImageJobState.Running, ProgressStep = 3 });
        studio.WaitForAssertion(() => Assert.Contains(studio.FindAll("h2"), h => h.TextContent.Trim() == "Rendering: step 3 of 25"));

        _studio.EndWatch(id);

        studio.WaitForAssertion(() => Assert.Contains("Lost the live progress; the job goes on.", studio.Find(".mud-alert-text-error").TextContent, StringComparison.Ordinal));
        // The form is free again rather than waiting for a job it can no longer follow.
        Assert.False(GenerateButton(studio).HasAttribute("disabled"));
    }

    [Fact]
    public void A_feed_that_ends_after_its_job_finished_shows_the_result_without_an_error()
    {
        var studio = Render<StudioPage>();
        TypePrompt(studio, "a lighthouse on a cliff at dawn");
        GenerateButton(studio).Click();
        var id = SubmittedJobId();
        studio.WaitForAssertion(() => Assert.Equal([id], _studio.Watched));

        // The job finished while the feed was down: the page's one question finds the image.
        _studio.SetJob(_studio.Created[0] with { State = ImageJobState.Succeeded, ProgressStep = 25, ImageSha256 = InMemoryStudioClient.Sha256("a lighthouse") });
        _studio.EndWatch(id);

        studio.WaitForAssertion(() => Assert.Equal($"api/images/{InMemoryStudioClient.Sha256("a lighthouse")}.png", studio.Find(".studio-image").GetAttribute("src")));
        Assert.Empty(studio.FindAll(".mud-alert-text-error"));
    }

    [Fact]
    public void Blocked_site_storage_is_explained_when_generating()
    {
        JSInterop.Setup<string?>("localStorage.getItem", CreatorIdentity.StorageKey).SetException(new Microsoft.JSInterop.JSException("SecurityError: storage is disabled"));
        var studio = Render<StudioPage>();
        TypePrompt(studio, "a lighthouse on a cliff at dawn");

        GenerateButton(studio).Click();

        studio.WaitForAssertion(() => Assert.Contains("is site storage blocked?", studio.Find(".mud-alert-text-error").TextContent, StringComparison.Ordinal));
        Assert.Empty(_studio.Submitted);
        Assert.Equal("a lighthouse on a cliff at dawn", studio.Find("textarea[aria-label='Prompt']").GetAttribute("value") ?? studio.Find("textarea[aria-label='Prompt']").TextContent);
    }

    private Guid SubmittedJobId() => Assert.Single(_studio.Created).Id;

    private static void TypePrompt(IRenderedComponent<StudioPage> studio, string prompt) => studio.Find("textarea[aria-label='Prompt']").Input(prompt);

    private static AngleSharp.Dom.IElement GenerateButton(IRenderedComponent<StudioPage> studio) => studio.Find("button[type='submit']");

    private static IRenderedComponent<MudSelect<string>> ModelSelect(IRenderedComponent<StudioPage> studio)
        => studio.FindComponents<MudSelect<string>>().Single(select => select.Find("[role='combobox']").GetAttribute("aria-label") == "Model");

    private static IRenderedComponent<MudSelect<string>> SchedulerSelect(IRenderedComponent<StudioPage> studio)
        => studio.FindComponents<MudSelect<string>>().Single(select => select.Find("[role='combobox']").GetAttribute("aria-label") == "Scheduler");

    private static string SelectedSize(IRenderedComponent<StudioPage> studio) => studio.Find("[aria-label='Size'] button[aria-pressed='true']").TextContent.Trim();

    private static List<string> SizeChoices(IRenderedComponent<StudioPage> studio)
        => [.. studio.FindAll("[aria-label='Size'] .mud-chip").Select(chip => chip.TextContent.Trim())];

    private static List<string?> GalleryCards(IRenderedComponent<StudioPage> studio)
        => [.. studio.FindAll(".gallery-card button.gallery-open").Select(card => card.GetAttribute("aria-label"))];

    private static AngleSharp.Dom.IElement GalleryCard(IRenderedComponent<StudioPage> studio, string prompt)
        => studio.FindAll(".gallery-card").Single(card => card.QuerySelector($"button[aria-label='Show {prompt}']") is not null);
}
