using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace Heurist.Bench.Portal;

/// <summary>Settings of the load client: where the portal is, how many connections, how long per endpoint.</summary>
internal sealed record LoadSettings(Uri Portal, int Connections, TimeSpan Warmup, TimeSpan Duration, int Miners)
{
    public static LoadSettings Parse(IReadOnlyList<string> args)
    {
        var values = Arguments.Read(args, ["--url", "--connections", "--warmup", "--duration", "--miners"]);
        if (!values.TryGetValue("--url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var portal))
        {
            throw new ArgumentException("--url: the portal's base URL is required (http://127.0.0.1:port/)");
        }
        return new LoadSettings(
            portal,
            Arguments.Positive(values, "--connections", 64),
            TimeSpan.FromSeconds(Arguments.Positive(values, "--warmup", 3)),
            TimeSpan.FromSeconds(Arguments.Positive(values, "--duration", 15)),
            Arguments.Positive(values, "--miners", 100));
    }
}

/// <summary>What one endpoint did under load.</summary>
internal sealed record EndpointResult(string Name, long Requests, long Errors, double Seconds, double P50Ms, double P99Ms)
{
    public double Rps => Requests / Seconds;
}

/// <summary>
/// The load generator, run as a process of its own (the "load" verb) so that its CPU and GC are not the portal's: a
/// fixed number of connections, each with one request in flight at a time, for a fixed time per endpoint after a
/// warm-up. Prints key=value lines; exits with 1 when any request failed.
/// </summary>
internal static class LoadClient
{
    private const string LeaderboardPath = "api/leaderboard?sort=points&desc=true&page=1&pageSize=25";

    public static async Task<int> RunAsync(LoadSettings settings, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
        };
        using var http = new HttpClient(handler) { BaseAddress = settings.Portal, Timeout = TimeSpan.FromSeconds(30) };
        // Other work on the machine moves every number here; the load average says how much there was.
        Print("machine.cores", Environment.ProcessorCount, "0");
        if (File.Exists("/proc/loadavg"))
        {
            var loadAverage = (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ')[0];
            Console.WriteLine($"machine.load_1m={loadAverage}");
        }
        Print("load.connections", settings.Connections, "0");
        Print("load.duration_s", settings.Duration.TotalSeconds, "0");

        var results = new Dictionary<string, EndpointResult>();
        async Task MeasureAsync(string name, Func<long, string> path)
        {
            // An endpoint this build does not have is reported and skipped, not measured as 15 s of errors.
            using (var probe = await http.GetAsync(new Uri(path(0), UriKind.Relative), cancellationToken))
            {
                if (probe.StatusCode == HttpStatusCode.NotFound && name != "miner")
                {
                    Console.WriteLine($"{name}.skipped=not_found");
                    await Console.Error.WriteLineAsync($"{name}: GET /{path(0)} answers 404, so this portal has no such endpoint; not measured.");
                    return;
                }
                // The size of one answer, to read the numbers by.
                Print($"{name}.bytes", (await probe.Content.ReadAsByteArrayAsync(cancellationToken)).Length, "0");
            }
            await RunLoopsAsync(http, settings, path, settings.Warmup, cancellationToken);
            var result = await RunLoopsAsync(http, settings, path, settings.Duration, cancellationToken);
            results[name] = result with { Name = name };
            Print($"{name}.rps", result.Rps);
            Print($"{name}.p50_ms", result.P50Ms, "0.00");
            Print($"{name}.p99_ms", result.P99Ms, "0.00");
            Print($"{name}.requests", result.Requests, "0");
            Print($"{name}.errors", result.Errors, "0");
        }

        await MeasureAsync("baseline", _ => "health/live");
        await MeasureAsync("stats", _ => "api/stats");
        await MeasureAsync("leaderboard", _ => LeaderboardPath);
        var miners = await MinerIdsAsync(http, settings.Miners, cancellationToken);
        if (miners.Count > 0)
        {
            using var probe = await http.GetAsync(new Uri($"api/miners/{Uri.EscapeDataString(miners[0])}", UriKind.Relative), cancellationToken);
            if (probe.StatusCode == HttpStatusCode.NotFound)
            {
                Console.WriteLine("miner.skipped=not_found");
                await Console.Error.WriteLineAsync($"miner: GET /api/miners/{miners[0]} answers 404 for a miner the database has, so this portal has no such endpoint; not measured.");
            }
            else
            {
                Print("miner.ids", miners.Count, "0");
                await MeasureAsync("miner", i => $"api/miners/{Uri.EscapeDataString(miners[(int)(i % miners.Count)])}");
            }
        }
        else
        {
            Console.WriteLine("miner.skipped=no_miner_ids");
            await Console.Error.WriteLineAsync("miner: neither the leaderboard nor /api/network/workers named any miner; not measured.");
        }

        if (results.TryGetValue("baseline", out var baseline))
        {
            foreach (var name in new[] { "stats", "leaderboard", "miner" })
            {
                if (results.TryGetValue(name, out var result))
                {
                    Print($"{name}.ratio", result.Rps / baseline.Rps, "0.000");
                }
            }
        }
        var errors = results.Values.Sum(r => r.Errors);
        Print("errors", errors, "0");
        if (errors > 0)
        {
            await Console.Error.WriteLineAsync(
                $"FAILED: {errors} requests got an error or a non-2xx answer ({string.Join(", ", results.Values.Where(r => r.Errors > 0).Select(r => $"{r.Name}: {r.Errors}"))}); the numbers above include them.");
            return 1;
        }
        return 0;
    }

    /// <summary>
    /// Ids of real miners to cycle through: the first pages of the leaderboard, or, on a portal without one, the
    /// online workers.
    /// </summary>
    private static async Task<List<string>> MinerIdsAsync(HttpClient http, int count, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        for (var page = 1; ids.Count < count && page <= 10; page++)
        {
            using var response = await http.GetAsync(new Uri($"api/leaderboard?sort=points&desc=true&page={page}&pageSize=25", UriKind.Relative), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                break;
            }
            var rows = (await response.Content.ReadFromJsonAsync<LeaderboardPageIds>(cancellationToken))?.Rows ?? [];
            if (rows.Count == 0)
            {
                break;
            }
            ids.AddRange(rows.Select(r => r.MinerId));
        }
        if (ids.Count == 0)
        {
            var workers = await http.GetFromJsonAsync<List<MinerIdRow>>(new Uri("api/network/workers", UriKind.Relative), cancellationToken) ?? [];
            ids.AddRange(workers.Select(w => w.MinerId));
        }
        return [.. ids.Distinct(StringComparer.Ordinal).Take(count)];
    }

    /// <summary>One request in flight per connection, until <paramref name="duration"/> has passed; in-flight requests are let finish.</summary>
    private static async Task<EndpointResult> RunLoopsAsync(
        HttpClient http, LoadSettings settings, Func<long, string> path, TimeSpan duration, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        long next = 0;
        var loops = Enumerable.Range(0, settings.Connections).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>(4096);
            var errors = 0L;
            while (watch.Elapsed < duration)
            {
                var uri = new Uri(path(Interlocked.Increment(ref next)), UriKind.Relative);
                var started = Stopwatch.GetTimestamp();
                var ok = false;
                try
                {
                    // ResponseContentRead: the latency includes reading the whole body, as a browser waits for it.
                    using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseContentRead, cancellationToken);
                    ok = response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // HttpClient's own timeout.
                }
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok)
                {
                    errors++;
                }
            }
            return (latencies, errors);
        }, cancellationToken)).ToList();
        var done = await Task.WhenAll(loops);
        var seconds = watch.Elapsed.TotalSeconds;
        var all = done.SelectMany(d => d.latencies).ToArray();
        Array.Sort(all);
        return new EndpointResult("", all.Length, done.Sum(d => d.errors), seconds, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static double Percentile(double[] sorted, double p)
        => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static void Print(string key, double value, string format = "0.0")
        => Console.WriteLine($"{key}={value.ToString(format, CultureInfo.InvariantCulture)}");

    private sealed record LeaderboardPageIds(List<MinerIdRow> Rows);

    private sealed record MinerIdRow(string MinerId);
}
