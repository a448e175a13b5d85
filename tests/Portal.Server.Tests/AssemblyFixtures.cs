using Heurist.Testing;

[assembly: AssemblyFixture(typeof(PostgresFixture))]
[assembly: AssemblyFixture(typeof(DeployedChainFixture))]
[assembly: AssemblyFixture(typeof(TinyModelsFixture))]
// xunit starts an assembly fixture for any test it runs, so every test here starts anvil: none is a unit test.
[assembly: Integration]
// A portal that fails a start-up check writes "error: …" to the console and stops; captured, that line shows in the
// failing test's output instead of only a disposed-provider error.
[assembly: CaptureConsole]
