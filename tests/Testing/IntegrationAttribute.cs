using Xunit.v3;

namespace Heurist.Testing;

/// <summary>
/// Marks tests that need real infrastructure: PostgreSQL, anvil, Chromium, or a child process. They get the trait
/// Category=Integration, and ./test.sh --fast leaves them out (dotnet test --filter "Category!=Integration").
/// On an assembly, it marks every test in it: do that where an assembly fixture starts infrastructure for every test.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method)]
public sealed class IntegrationAttribute : Attribute, ITraitAttribute
{
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => [new("Category", "Integration")];
}
