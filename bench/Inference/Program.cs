using System.Diagnostics;
using System.Globalization;
using Heurist.Bench.Inference;
using Heurist.LocalRunner;
using Heurist.Protocol.Jobs;
using Heurist.TinyModels;
using Microsoft.EntityFrameworkCore;

// bench/inference.sh → prints key=value lines. Arguments: the repository root.
var root = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
var models = Path.Combine(Path.GetTempPath(), $"heurist-bench-models-{Guid.NewGuid():N}");
TinyModelWriter.WriteAll(models);
try
{
    if (args.Contains("--device"))
    {
        DeviceBenchmark.Run(models, (key, value) => Console.WriteLine($"{key}={value}"));
        return 0;
    }
    // Pairs of (direct, pipeline) runs in alternating order; the median ratio with its range over the pairs. At 64² a UNet
    // run takes a fraction of a millisecond, so that size shows the pipeline's fixed cost per step and job; at 1024² the
    // latents are four times 512²'s.
    // --sizes 512,64 measures only those sizes (for a quick look while changing the pipeline).
    var sizes = args.SkipWhile(a => a != "--sizes").Skip(1).FirstOrDefault()?.Split(',').Select(int.Parse).ToHashSet();
    foreach (var (size, repeats) in new[] { (512, 31), (64, 31), (1024, 9) })
    {
        if (sizes is not null && !sizes.Contains(size))
        {
            continue;
        }
        var overhead = OverheadBenchmark.Measure(models, width: size, height: size, steps: 20, repeats: repeats);
        var suffix = size == 512 ? "" : $"_{size}";
        Print($"pipeline.generation_ms{suffix}", overhead.Pipeline, "0.00");
        Print($"pipeline.direct_onnx_ms{suffix}", overhead.Direct, "0.00");
        Print($"pipeline.overhead_ratio{suffix}", overhead.Ratio, "0.000");
        Print($"pipeline.overhead_ratio{suffix}_min", overhead.MinRatio, "0.000");
        Print($"pipeline.overhead_ratio{suffix}_max", overhead.MaxRatio, "0.000");
        if (size == 512)
        {
            Print("pipeline.png_encode_ms", overhead.PngEncode);
        }
    }
    if (args.Contains("--pipeline-only"))
    {
        return 0;
    }

    await using var stack = await StackBenchmark.StartAsync(root);

    // Dispatch: one job at a time into an idle worker, so the time from enqueue to start is the job engine's alone.
    var dispatch = new List<double>();
    var workers = await stack.StartWorkersAsync(1, models, "sd15");
    for (var i = 0; i < 220; i++)
    {
        var id = await stack.SubmitAsync(new ImageJobSpec { Prompt = $"dispatch {i}", ModelId = "sd15", Width = 256, Height = 256, Steps = 1, Seed = i });
        await using var db = stack.Database();
        await Readiness.WaitUntilAsync(() => db.ImageJobs.AnyAsync(j => j.Id == id && j.State == ImageJobState.Succeeded), workers, TimeSpan.FromMinutes(1), StackBenchmark.PollInterval);
        var job = await db.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == id);
        if (i >= 20)
        {
            // The first jobs warm up connections and JIT on both sides.
            dispatch.Add((job.StartedAt!.Value - job.CreatedAt).TotalMilliseconds);
        }
    }
    foreach (var worker in workers)
    {
        await worker.DisposeAsync();
    }
    dispatch.Sort();
    Print("dispatch.jobs", dispatch.Count, "0");
    Print("dispatch.p50_ms", Percentile(dispatch, 0.50));
    Print("dispatch.p99_ms", Percentile(dispatch, 0.99));

    // Throughput: a burst of tiny-model jobs drained by N workers sharing the queue.
    var best = 0.0;
    foreach (var count in new[] { 1, 2, 4 })
    {
        var pool = await stack.StartWorkersAsync(count, models, "sd15");
        const int Jobs = 80;
        var watch = Stopwatch.StartNew();
        var ids = new List<Guid>();
        for (var i = 0; i < Jobs; i++)
        {
            ids.Add(await stack.SubmitAsync(new ImageJobSpec { Prompt = $"burst {count} {i}", ModelId = "sd15", Width = 256, Height = 256, Steps = 4, Seed = i }));
        }
        await using (var db = stack.Database())
        {
            await Readiness.WaitUntilAsync(async () => await db.ImageJobs.CountAsync(j => ids.Contains(j.Id) && j.State == ImageJobState.Succeeded) == Jobs, pool, TimeSpan.FromMinutes(5), StackBenchmark.PollInterval);
        }
        var perSecond = Jobs / watch.Elapsed.TotalSeconds;
        best = Math.Max(best, perSecond);
        Print($"throughput.jobs_per_s.workers_{count}", perSecond, "0.0");
        foreach (var worker in pool)
        {
            await worker.DisposeAsync();
        }
    }
    Print("throughput.jobs_per_s", best, "0.0");
}
finally
{
    Directory.Delete(models, recursive: true);
}
return 0;

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static void Print(string key, double value, string format = "0.0")
    => Console.WriteLine($"{key}={value.ToString(format, CultureInfo.InvariantCulture)}");
