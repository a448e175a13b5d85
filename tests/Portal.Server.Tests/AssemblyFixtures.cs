using Heurist.Testing;

[assembly: AssemblyFixture(typeof(PostgresFixture))]
[assembly: AssemblyFixture(typeof(DeployedChainFixture))]
[assembly: AssemblyFixture(typeof(TinyModelsFixture))]
