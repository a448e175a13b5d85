using Heurist.Testing;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
