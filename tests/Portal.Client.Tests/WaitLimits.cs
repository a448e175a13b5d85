using System.Runtime.CompilerServices;
using Bunit;

namespace Heurist.Portal.Client.Tests;

internal static class WaitLimits
{
    // WaitForAssertion gives up after one second by default; on a loaded 2-core CI machine renders can lag
    // that long. This is a limit on waiting, never a timing assertion: passing tests finish as soon as they pass.
    [ModuleInitializer]
    public static void Initialize() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
}
