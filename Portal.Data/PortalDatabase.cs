using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Heurist.Portal.Data;

/// <summary>The database settings: the "Portal" connection string.</summary>
public sealed class PortalDatabaseOptions
{
    /// <summary>Configuration section; the key is "ConnectionStrings:Portal" (environment: ConnectionStrings__Portal).</summary>
    public const string Section = "ConnectionStrings";

    public const string SettingName = "ConnectionStrings:Portal";

    public string? Portal { get; set; }
}

/// <summary>Registration of the portal's database, and the checks a host runs on it before it starts.</summary>
public static class PortalDatabase
{
    /// <summary>
    /// Registers the options (validated at start), a pooled DbContext factory and a scoped DbContext on PostgreSQL, and adds
    /// Npgsql's traces and metrics to the host's OpenTelemetry.
    /// </summary>
    public static IServiceCollection AddPortalDatabase(this IServiceCollection services)
    {
        services.AddOptions<PortalDatabaseOptions>()
            .BindConfiguration(PortalDatabaseOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PortalDatabaseOptions>, PortalDatabaseOptionsValidator>();
        // Pooled: a context built from scratch resolves EF's internal services (query translators, the model lookup) each
        // time, which cost more CPU than the short queries most requests make.
        services.AddPooledDbContextFactory<PortalDbContext>((provider, options) =>
            options.UsePortalDatabase(provider.GetRequiredService<IOptions<PortalDatabaseOptions>>().Value.Portal));
        // Every command and connection of the host, Hangfire's included, whichever data source opened it.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddNpgsql());
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddNpgsqlInstrumentation());
        return services;
    }

    /// <summary>
    /// Npgsql on <paramref name="connectionString"/>, with the snake_case names that the migrations and the hand-written
    /// SQL use. Every <see cref="PortalDbContext"/> is configured here, so that none can see other names.
    /// </summary>
    public static DbContextOptionsBuilder UsePortalDatabase(this DbContextOptionsBuilder options, string? connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        // PostgreSQL folds unquoted names to lower case, so snake_case keeps hand-written SQL readable.
        return options.UseNpgsql(connectionString).UseSnakeCaseNamingConvention();
    }

    /// <summary>A context on one database, for code without a host: the runner's migrations, tools, benchmarks and tests.</summary>
    public static PortalDbContext CreateContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        options.UsePortalDatabase(connectionString);
        return new PortalDbContext(options.Options);
    }

    /// <summary>Returns null when the connection string can be used, else what is wrong with it.</summary>
    public static string? ValidateConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return $"{PortalDatabaseOptions.SettingName} is not set: give the PostgreSQL connection string (Host=…;Port=…;Username=…;Database=…).";
        }
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host)
                ? $"{PortalDatabaseOptions.SettingName} has no Host."
                : null;
        }
        catch (ArgumentException ex)
        {
            return $"{PortalDatabaseOptions.SettingName} is not a valid PostgreSQL connection string ({ex.Message}).";
        }
    }

    /// <summary>
    /// Opens a connection, and when <paramref name="requireSchema"/> is set, checks that the migrations have been applied.
    /// Throws with a message fit for one line after the setting's name.
    /// </summary>
    public static async Task VerifyAsync(string connectionString, bool requireSchema, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"cannot connect to PostgreSQL at {builder.Host}:{builder.Port}, database '{builder.Database}' ({FirstLine(ex.Message)})", ex);
        }

        if (requireSchema)
        {
            await using var command = new NpgsqlCommand("SELECT to_regclass('public.miners') IS NOT NULL", connection);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                throw new InvalidOperationException(
                    $"database '{builder.Database}' at {builder.Host}:{builder.Port} has no portal tables: apply the migrations first (./run.sh applies them; see the README, \"Database\").");
            }
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private sealed class PortalDatabaseOptionsValidator : IValidateOptions<PortalDatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, PortalDatabaseOptions options)
            => ValidateConnectionString(options.Portal) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }
}
