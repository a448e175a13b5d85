using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Heurist.ServiceDefaults;

/// <summary>
/// A check that must pass before a host starts, tied to the setting that fixes it when it fails.
/// The check throws to fail; its exception's message is shown after the setting's name.
/// </summary>
public sealed record StartupCheck(string Setting, Func<IServiceProvider, CancellationToken, Task> CheckAsync);

/// <summary>
/// Runs configuration validation and start-up checks before the host starts, so that a bad setting stops it
/// with one line that names the setting instead of a stack trace.
/// </summary>
public static class StartupChecks
{
    /// <summary>Registers a check that runs, in registration order, before the host starts.</summary>
    public static IServiceCollection AddStartupCheck(this IServiceCollection services, string setting, Func<IServiceProvider, CancellationToken, Task> checkAsync)
        => services.AddSingleton(new StartupCheck(setting, checkAsync));

    /// <summary>
    /// Validates options and runs the start-up checks. On the first failure it writes "error: Setting: reason"
    /// to stderr and returns false; the host should then exit without starting. Call it right after Build(),
    /// before mapping endpoints, because some mappings already resolve configured services.
    /// </summary>
    public static async Task<bool> PassesStartupChecksAsync(this IHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var failure = await FindFailureAsync(host.Services, cancellationToken);
        if (failure is null)
        {
            return true;
        }
        await Console.Error.WriteLineAsync($"error: {failure}");
        return false;
    }

    /// <summary>Returns the first failure as "Setting: reason", or null when everything passes.</summary>
    public static async Task<string?> FindFailureAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures.FirstOrDefault() ?? ex.Message;
        }

        foreach (var check in services.GetServices<StartupCheck>())
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(20));
                await check.CheckAsync(services, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return $"{check.Setting}: did not answer within 20 seconds";
            }
#pragma warning disable CA1031 // Any failure of a check is reported the same way: one line naming the setting.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return $"{check.Setting}: {ex.Message}";
            }
        }
        return null;
    }
}
