using Heurist.Testing;

[assembly: AssemblyFixture(typeof(PostgresFixture))]
[assembly: AssemblyFixture(typeof(DeployedChainFixture))]
[assembly: AssemblyFixture(typeof(TinyModelsFixture))]
// A portal that fails a start-up check writes "error: …" to the console and stops; captured, that line shows in the
// failing test's output instead of only a disposed-provider error.
[assembly: CaptureConsole]
