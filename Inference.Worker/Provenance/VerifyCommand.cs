using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Heurist.Inference.Worker.Device;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Pipelines;
using Heurist.Portal.Data;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Provenance;

namespace Heurist.Inference.Worker.Provenance;

/// <summary>
/// <c>verify &lt;metadata.json&gt;</c> or <c>verify --token &lt;id&gt; --portal &lt;url&gt;</c>: re-runs an image's recorded recipe on
/// this machine, with the model folder under --models (or Worker:ModelsPath, or ./.data/models/demo), and prints
/// whether it gave the same bytes. Exit codes: 0 identical, 1 different, 2 cannot verify.
/// </summary>
public static class VerifyCommand
{
    public const int Identical = 0;
    public const int Different = 1;
    public const int CannotVerify = 2;

    private const string Usage =
        "usage: verify <metadata.json> | verify --token <id> --portal <url>   [--models <folder>] [--threads <n>]";

    /// <summary>Runs the command; <paramref name="http"/> fetches a token's metadata (a new HttpClient when null).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (!TryParse(args, out var options, out var usageError))
        {
            await output.WriteLineAsync($"cannot verify: {usageError}\n{Usage}");
            return CannotVerify;
        }

        ImageProvenance recorded;
        try
        {
            recorded = await ReadProvenanceAsync(options, http, cancellationToken)
                ?? throw new InvalidDataException("the metadata has no provenance");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or HttpRequestException or InvalidDataException)
        {
            await output.WriteLineAsync($"cannot verify: {ex.Message}");
            return CannotVerify;
        }

        var outcome = Verify(recorded, options, cancellationToken);
        await output.WriteLineAsync(Describe(recorded, outcome));
        return outcome.State switch
        {
            VerificationState.Identical => Identical,
            VerificationState.Different => Different,
            _ => CannotVerify,
        };
    }

    /// <summary>The outcome as the command prints it.</summary>
    internal static string Describe(ImageProvenance recorded, VerificationOutcome outcome)
    {
        var lines = new List<string>();
        switch (outcome.State)
        {
            case VerificationState.Identical:
                lines.Add($"identical: {outcome.ActualSha256}");
                break;
            case VerificationState.Different:
                lines.Add("different");
                lines.Add($"  expected {recorded.PngSha256}");
                lines.Add($"  actual   {outcome.ActualSha256}");
                if (outcome.Reason is { } reason)
                {
                    lines.Add($"  {reason}");
                }
                break;
            default:
                lines.Add($"cannot verify: {outcome.Reason}");
                break;
        }
        lines.AddRange(outcome.Differences.Select(d => $"  {d}"));
        return string.Join('\n', lines);
    }

    private static VerificationOutcome Verify(ImageProvenance recorded, VerifyOptions options, CancellationToken cancellationToken)
    {
        var catalog = ModelCatalogSetup.Read(options.Configuration);
        if (catalog.FindImageModel(recorded.ModelId) is not { } model)
        {
            return VerificationOutcome.CannotVerify($"{recorded.ModelId} is not in this machine's model catalog");
        }
        if (options.ModelsPath is not { } modelsPath)
        {
            return VerificationOutcome.CannotVerify("no model folder: pass --models <folder> (it holds one folder per model id) or set Worker__ModelsPath");
        }
        var where = $"this machine ({Path.Combine(modelsPath, recorded.ModelId)})";
        ModelFolder folder;
        try
        {
            folder = ModelFolder.Inspect(Path.Combine(modelsPath, recorded.ModelId), model);
        }
        catch (Exception ex) when (ex is ModelFolderException or IOException or JsonException)
        {
            return VerificationOutcome.CannotVerify(ex.Message);
        }
        // Checked before loading: a model with other files is not worth the minutes real weights take to load.
        if (VerificationOutcome.CheckModelFiles(recorded, where, folder.FileHashes) is { } mismatch)
        {
            return mismatch;
        }
        // The recorded thread count unless told otherwise: the recipe runs as it ran.
        var device = new InferenceDevice(DeviceInfo.Detect(ExecutionProviderChoice.Detect(DeviceSetting.Auto, cudaDeviceId: 0)), options.Threads ?? recorded.CpuThreads);
        IImagePipeline pipeline;
        try
        {
            pipeline = PipelineFactory.Create(folder, model, device);
        }
        catch (Exception ex) when (ex is ModelInterfaceException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException or ModelFolderException or ArgumentException)
        {
            return VerificationOutcome.CannotVerify($"{recorded.ModelId} does not load here ({ex.Message})");
        }
        using (pipeline)
        {
            return RecipeRuns.Verify(recorded, pipeline, device, where, cancellationToken);
        }
    }

    private static async Task<ImageProvenance?> ReadProvenanceAsync(VerifyOptions options, HttpClient? http, CancellationToken cancellationToken)
    {
        if (options.MetadataFile is { } file)
        {
            return ImageProvenance.FromMetadata(await File.ReadAllTextAsync(file, cancellationToken));
        }
        var client = http ?? new HttpClient();
        try
        {
            var url = new Uri(options.Portal!, MintingRoutes.Metadata(options.TokenId!));
            using var response = await client.GetAsync(url, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            using var metadata = await response.Content.ReadFromJsonAsync<JsonDocument>(cancellationToken)
                ?? throw new InvalidDataException($"{url} answered no JSON");
            return ImageProvenance.FromMetadata(metadata.RootElement.GetRawText());
        }
        finally
        {
            if (http is null)
            {
                client.Dispose();
            }
        }
    }

    private static bool TryParse(IReadOnlyList<string> args, out VerifyOptions options, out string error)
    {
        string? file = null, token = null, portal = null, models = null;
        int? threads = null;
        error = "";
        options = null!;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--token" or "--portal" or "--models" or "--threads")
            {
                if (i + 1 >= args.Count)
                {
                    error = $"{arg} needs a value";
                    return false;
                }
                var value = args[++i];
                switch (arg)
                {
                    case "--token": token = value; break;
                    case "--portal": portal = value; break;
                    case "--models": models = value; break;
                    default:
                        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 256)
                        {
                            error = "--threads must be a number from 1 to 256";
                            return false;
                        }
                        threads = n;
                        break;
                }
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) || file is not null)
            {
                error = $"unexpected argument '{arg}'";
                return false;
            }
            else
            {
                file = arg;
            }
        }
        if ((file is null) == (token is null))
        {
            error = "give either a metadata file or --token";
            return false;
        }
        Uri? portalUri = null;
        if (token is not null && (portal is null || !Uri.TryCreate(portal.EndsWith('/') ? portal : portal + "/", UriKind.Absolute, out portalUri)))
        {
            error = "--token needs --portal <url> (the portal that serves the NFT's metadata)";
            return false;
        }
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var demo = Path.Combine(".data", "models", "demo");
        models ??= configuration[$"{WorkerOptions.Section}:{nameof(WorkerOptions.ModelsPath)}"] is { Length: > 0 } configured
            ? configured
            : Directory.Exists(demo) ? demo : null;
        options = new VerifyOptions(file, token, portalUri, models, threads, configuration);
        return true;
    }

    private sealed record VerifyOptions(string? MetadataFile, string? TokenId, Uri? Portal, string? ModelsPath, int? Threads, IConfiguration Configuration);
}
