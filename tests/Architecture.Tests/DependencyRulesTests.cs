namespace Heurist.Architecture.Tests;

/// <summary>
/// The dependency rules: Protocol ← everything; the worker never references the server; the client never references
/// Data; the worker's Diffusion code never touches Portal.Data; the server uses client types only to render components.
/// Each rule also has a positive control, so that a scanner that finds nothing cannot pass for a rule that holds.
/// </summary>
public sealed class DependencyRulesTests
{
    private const string Worker = "Inference.Worker/Inference.Worker.csproj";
    private const string Client = "Portal.Client/Portal.Client.csproj";
    private const string Server = "Portal.Server/Portal.Server.csproj";
    private const string Data = "Portal.Data/Portal.Data.csproj";
    private const string Protocol = "Protocol/Protocol.csproj";

    [Fact]
    public void The_worker_never_references_the_server()
    {
        Assert.DoesNotContain(Server, SourceTree.AllReferences(Worker));
        Assert.Empty(SourceTree.Mentions("Inference.Worker", "Heurist.Portal.Server"));
    }

    [Fact]
    public void The_client_never_references_data_not_even_through_another_project()
    {
        Assert.DoesNotContain(Data, SourceTree.AllReferences(Client));
        Assert.Empty(SourceTree.Mentions("Portal.Client", "Heurist.Portal.Data"));
    }

    [Fact]
    public void The_workers_diffusion_code_never_references_data()
    {
        Assert.Empty(SourceTree.Mentions("Inference.Worker/Diffusion", "Heurist.Portal.Data"));
        // Control: the job and heartbeat layer does use it, and the scanner sees that.
        Assert.NotEmpty(SourceTree.Mentions("Inference.Worker/Jobs", "Heurist.Portal.Data"));
        Assert.Contains(Data, SourceTree.DirectReferences(Worker));
    }

    [Fact]
    public void The_server_uses_client_types_only_to_render_components()
    {
        var outsideComponents = SourceTree.Mentions("Portal.Server", "Heurist.Portal.Client")
            .Where(mention => !mention.StartsWith("Portal.Server/Components/", StringComparison.Ordinal));

        Assert.Empty(outsideComponents);
        Assert.NotEmpty(SourceTree.Mentions("Portal.Server/Components", "Heurist.Portal.Client"));
    }

    [Fact]
    public void The_api_contract_lives_in_protocol_which_references_no_project_and_does_no_io()
    {
        Assert.Empty(SourceTree.DirectReferences(Protocol));
        foreach (var project in new[] { Client, Server, Worker, Data })
        {
            Assert.Contains(Protocol, SourceTree.AllReferences(project));
        }
        Assert.Empty(SourceTree.Mentions("Protocol", "System.IO"));
        Assert.Empty(SourceTree.Mentions("Protocol", "System.Net.Http"));
        Assert.NotEmpty(SourceTree.Mentions("Portal.Client", "Heurist.Protocol.Api"));
    }
}
