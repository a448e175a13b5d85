using System.Net;
using System.Net.Sockets;

namespace Heurist.LocalRunner.Tests;

public sealed class FreePortTests
{
    [Fact]
    public void A_free_port_can_be_listened_on()
    {
        using var listener = new TcpListener(IPAddress.Loopback, FreePort.Next());

        listener.Start();

        Assert.True(listener.Server.IsBound);
    }

    [Fact]
    public void Port_zero_picks_a_free_port()
    {
        var port = FreePort.OrFree(0, "127.0.0.1", "Local:PortalPort", fallBackToFree: false);

        Assert.InRange(port, 1, 65535);
    }

    [Fact]
    public void A_free_configured_port_is_kept()
    {
        var port = FreePort.Next();

        Assert.Equal(port, FreePort.OrFree(port, "127.0.0.1", "Local:PortalPort", fallBackToFree: false));
    }

    [Fact]
    public void A_port_in_use_is_refused_naming_the_setting_and_its_variable()
    {
        using var taken = Listen();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = Assert.Throws<LocalSetupException>(() => FreePort.OrFree(port, "127.0.0.1", "Local:PortalPort", fallBackToFree: false));

        Assert.Equal($"Local:PortalPort: port {port} is in use; set Local__PortalPort to another port, or 0 for a free one", error.Message);
    }

    [Fact]
    public void A_port_in_use_is_replaced_by_a_free_one_where_that_is_allowed()
    {
        using var taken = Listen();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var chosen = FreePort.OrFree(port, "127.0.0.1", "Local:AnvilPort", fallBackToFree: true);

        Assert.NotEqual(port, chosen);
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }
}
