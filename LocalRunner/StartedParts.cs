namespace Heurist.LocalRunner;

/// <summary>What the runner has started, stopped in the reverse order.</summary>
internal sealed class StartedParts : IAsyncDisposable
{
    private readonly Stack<(string Name, IAsyncDisposable Part)> _parts = new();

    public void Add(string name, IAsyncDisposable part) => _parts.Push((name, part));

    public async ValueTask DisposeAsync()
    {
        while (_parts.TryPop(out var entry))
        {
            Console.WriteLine($"Stopping {entry.Name}…");
            await entry.Part.DisposeAsync();
        }
    }
}
