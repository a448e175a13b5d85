using System.Globalization;
using Npgsql;

namespace Heurist.NetworkGenerator;

/// <summary>The command line: parses, generates, and turns every refusal or failure into one line and an exit code.</summary>
public static class GeneratorCommand
{
    /// <summary>Bad arguments, or a database the generator will not fill.</summary>
    public const int Refused = 2;

    /// <summary>The database could not be reached or the generation failed.</summary>
    public const int Failed = 1;

    /// <summary>Runs the generator. Progress goes to <paramref name="error"/>, the key=value summary to <paramref name="output"/>.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Any(a => a is "--help" or "-h"))
        {
            await output.WriteLineAsync(GeneratorOptions.Usage).ConfigureAwait(false);
            return 0;
        }
        try
        {
            var options = GeneratorOptions.Parse(args);
            var result = await SyntheticNetwork.GenerateAsync(options, error, cancellationToken).ConfigureAwait(false);
            var lines = new (string Key, string Value)[]
            {
                ("miners", result.Miners.ToString(CultureInfo.InvariantCulture)),
                ("active_miners", result.ActiveMiners.ToString(CultureInfo.InvariantCulture)),
                ("jobs", result.Jobs.ToString(CultureInfo.InvariantCulture)),
                ("credits", result.Credits.ToString(CultureInfo.InvariantCulture)),
                ("sessions", result.Sessions.ToString(CultureInfo.InvariantCulture)),
                ("nft_tokens", result.NftTokens.ToString(CultureInfo.InvariantCulture)),
                ("now", result.Now.ToString("O", CultureInfo.InvariantCulture)),
                ("seconds", result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)),
                ("jobs_per_s", (result.Jobs / result.Elapsed.TotalSeconds).ToString("0", CultureInfo.InvariantCulture)),
                ("database_mb", (result.DatabaseBytes / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture)),
            };
            foreach (var (key, value) in lines)
            {
                await output.WriteLineAsync($"{key}={value}").ConfigureAwait(false);
            }
            return 0;
        }
        catch (GeneratorArgumentException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return Refused;
        }
        catch (GeneratorRefusedException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return Refused;
        }
        catch (NpgsqlException ex)
        {
            var cause = ex.InnerException is { } inner ? $" ({inner.Message})" : "";
            await error.WriteLineAsync($"error: --connection: {OneLine(ex.Message + cause)}").ConfigureAwait(false);
            return Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Stopped; nothing of the interrupted step was kept.").ConfigureAwait(false);
            return Failed;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
