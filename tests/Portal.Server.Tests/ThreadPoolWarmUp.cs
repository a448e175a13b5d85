using System.Runtime.CompilerServices;

namespace Heurist.Portal.Server.Tests;

internal static class ThreadPoolWarmUp
{
    // WebApplicationFactory starts each in-process portal by blocking a pool thread until the portal has started,
    // and the portal's own start needs pool threads. With several portals starting at once on a 2-core machine
    // under load, a pool that grows a thread or two per second can stall a start-up check past its 20 s limit.
    [ModuleInitializer]
    public static void Initialize()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }
}
