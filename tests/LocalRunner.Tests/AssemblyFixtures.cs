using Heurist.Testing;

[assembly: AssemblyFixture(typeof(PostgresFixture))]
