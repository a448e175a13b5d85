using System.Net.Http.Json;
using System.Text.Json;
using Heurist.Portal.Data.Miners;
using Heurist.Portal.Data.Network;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Miners;
using Heurist.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Heurist.Contracts.LocalChain;

namespace Heurist.E2E;

/// <summary>The stats page, the leaderboard and a miner's page, on the real portal with its real worker.</summary>
public sealed class NetworkJourneyTests(RunningPortal portal, BrowserFixture browser) : IAsyncLifetime
{
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async ValueTask InitializeAsync()
    {
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = portal.Url.ToString(), ViewportSize = new() { Width = 1440, Height = 1000 } });
        _page = await _context.NewPageAsync();
    }

    [Fact]
    public async Task The_stats_page_shows_the_tests_worker_and_its_job()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = portal.Url };
        var deviceName = await WaitForWorkerAsync(http, ct);
        var jobId = await RunJobAsync(http, ct);
        // The stats are at most Portal:StatsRefreshSeconds old: wait for the snapshot that holds the job.
        await WaitForRecentJobAsync(http, jobId, ct);

        await _page.GotoAsync("/stats");
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Network stats");
        await Expect(_page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        // Other journeys' jobs (the Studio's SDXL ones) may be listed too; ours is the sd15 one.
        var recent = _page.Locator("[data-testid=recent-job]").Filter(new() { HasText = RunningPortal.MinerId }).Filter(new() { HasText = "sd15" });
        await Expect(recent.First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(_page.Locator("[data-testid=top-devices]")).ToContainTextAsync(deviceName, new() { Timeout = 30_000 });
        var requests = await _page.Locator("[data-testid=stat-requests-all-time]").InnerTextAsync();
        Assert.True(long.Parse(requests.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) >= 1, $"requests shown: {requests}");
        // 512², 20 steps earns a Waifu point (times the model's multiplier).
        await Expect(_page.Locator("[data-testid=stat-waifu-points]")).Not.ToHaveTextAsync("0");
        await Screenshots.SaveAsync(_page, "stats");
    }

    [Fact]
    public async Task The_leaderboard_sorts_by_points_and_a_row_opens_the_miners_page()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = portal.Url };
        await WaitForWorkerAsync(http, ct);
        await AddRankedMinersAsync(ct);

        await _page.GotoAsync("/leaderboard");
        await Expect(_page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var rows = _page.Locator("[data-testid=leaderboard-row]");
        // The refresher picks the new miners up within a second; reload until they are on the board.
        await WaitForRowsAsync("e2e-rank-1");

        Assert.Equal(["e2e-rank-1", "e2e-rank-2", "e2e-rank-3", "e2e-rank-4"], (await MinerOrderAsync(rows)).Where(id => id.StartsWith("e2e-rank-", StringComparison.Ordinal)));
        Assert.Equal("e2e-rank-1", (await MinerOrderAsync(rows))[0]);
        await Screenshots.SaveAsync(_page, "leaderboard");

        await _page.Locator("[data-testid=sort-points]").ClickAsync();
        await Expect(_page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("desc=false"));
        await Expect(rows.Last).ToHaveAttributeAsync("data-miner-id", "e2e-rank-1");
        Assert.Equal(["e2e-rank-4", "e2e-rank-3", "e2e-rank-2", "e2e-rank-1"], (await MinerOrderAsync(rows)).Where(id => id.StartsWith("e2e-rank-", StringComparison.Ordinal)));

        await _page.SetViewportSizeAsync(390, 844);
        await Screenshots.SaveAsync(_page, "leaderboard-mobile");
        await _page.SetViewportSizeAsync(1440, 1000);
        // MudBlazor swaps the phone's cards back for the table after its resize listener fires; a click before that
        // lands on a row that is being replaced, and goes nowhere.
        await Expect(_page.Locator("[data-testid=sort-points]")).ToBeVisibleAsync();

        await Row(RunningPortal.MinerId).GetByRole(AriaRole.Link, new() { Name = RunningPortal.MinerId }).First.ClickAsync();
        await Expect(_page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/miners/{RunningPortal.MinerId}$"));
        await Expect(_page.Locator("[data-testid=miner-id]")).ToContainTextAsync(RunningPortal.MinerId, new() { Timeout = 30_000 });
        await Expect(_page.Locator("[data-testid=uptime-timeline]")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(_page, "miner");
    }

    /// <summary>Waits until the test's worker is online and returns its device name.</summary>
    private static async Task<string> WaitForWorkerAsync(HttpClient http, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var workers = await http.GetFromJsonAsync<JsonElement>("api/network/workers", ct);
            foreach (var worker in workers.EnumerateArray())
            {
                if (worker.GetProperty("minerId").GetString() == RunningPortal.MinerId)
                {
                    return worker.GetProperty("deviceName").GetString()!;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, "The test's worker never came online.");
            await Task.Delay(250, ct);
        }
    }

    private static async Task<Guid> RunJobAsync(HttpClient http, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/jobs")
        {
            Content = JsonContent.Create(new ImageJobSpec { Prompt = "a stats page test", ModelId = "sd15", Width = 512, Height = 512, Steps = 20, Seed = 3 }),
        };
        request.Headers.Add(CreatorIds.Header, "e2e-stats");
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<ImageJobView>(ct))!.Id;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            // The contract's types read the state, so only its one spelling on the wire is accepted.
            var job = (await http.GetFromJsonAsync<ImageJobView>($"api/jobs/{id}", ct))!;
            if (job.State == ImageJobState.Succeeded)
            {
                return id;
            }
            Assert.True(DateTime.UtcNow < deadline && !job.IsFinished, $"The job ended {job.State}: {job.Error}");
            await Task.Delay(250, ct);
        }
    }

    private static async Task WaitForRecentJobAsync(HttpClient http, Guid jobId, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var stats = await http.GetFromJsonAsync<JsonElement>("api/stats", ct);
            if (stats.GetProperty("recentJobs").EnumerateArray().Any(j => j.GetProperty("jobId").GetGuid() == jobId))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"/api/stats never listed the job: {stats}");
            await Task.Delay(250, ct);
        }
    }

    /// <summary>Four more miners with known points, as other workers on the network would have earned them.</summary>
    private async Task AddRankedMinersAsync(CancellationToken ct)
    {
        await using var db = PostgresFixture.CreateContext(portal.ConnectionString);
        if (await db.Miners.FindAsync(["e2e-rank-1"], ct) is not null)
        {
            return;
        }
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, points, device) in new[] { ("e2e-rank-3", 2_000m, "NVIDIA A100 80GB"), ("e2e-rank-1", 4_000m, "NVIDIA GeForce RTX 4090"), ("e2e-rank-4", 1_000m, "NVIDIA GeForce RTX 3090"), ("e2e-rank-2", 3_000m, "NVIDIA GeForce RTX 4090") })
        {
            db.Miners.Add(new Miner
            {
                Id = id, RewardAddress = AnvilAccounts.Address(3).ToLowerInvariant(), DeviceName = device, DeviceKind = DeviceKind.Cuda, MemoryBytes = 24L << 30,
                Queues = ["sd15"], HostName = id, WorkerVersion = "1.0.0", InstanceId = Guid.NewGuid(), RegisteredAt = now.AddDays(-2), StartedAt = now.AddHours(-3),
                LastHeartbeatAt = now, StoppedAt = id == "e2e-rank-4" ? now : null,
            });
            db.MinerSummaries.Add(new MinerSummary { MinerId = id, JobsDone = (long)points / 10, WaifuPoints = points });
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task WaitForRowsAsync(string minerId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await Row(minerId).CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{minerId} never appeared on the leaderboard.");
            await Task.Delay(1_000);
            await _page.ReloadAsync();
            await Expect(_page.Locator("[data-interactive=true]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        }
    }

    private ILocator Row(string minerId) => _page.Locator($"tr:has([data-testid=leaderboard-row][data-miner-id='{minerId}'])");

    private static async Task<List<string>> MinerOrderAsync(ILocator rows)
        => [.. (await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-miner-id'))"))];

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
