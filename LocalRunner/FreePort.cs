using System.Net;
using System.Net.Sockets;

namespace Heurist.LocalRunner;

/// <summary>TCP ports for the processes the runner, the tests and the benchmarks start.</summary>
public static class FreePort
{
    /// <summary>A TCP port on loopback that nothing listens on right now.</summary>
    public static int Next() => Next(IPAddress.Loopback);

    /// <summary>A TCP port on <paramref name="address"/> that nothing listens on right now.</summary>
    public static int Next(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The configured port of <paramref name="setting"/>: 0 picks a free one; a port in use is refused naming the setting,
    /// or, with <paramref name="fallBackToFree"/>, replaced by a free one.
    /// </summary>
    internal static int OrFree(int port, string host, string setting, bool fallBackToFree)
    {
        var address = IPAddress.Parse(host);
        if (port == 0)
        {
            return Next(address);
        }
        if (IsFree(address, port))
        {
            return port;
        }
        return fallBackToFree
            ? Next(address)
            : throw new LocalSetupException(setting, $"port {port} is in use; set {setting.Replace(":", "__", StringComparison.Ordinal)} to another port, or 0 for a free one");
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
