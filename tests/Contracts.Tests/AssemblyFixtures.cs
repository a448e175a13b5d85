using Heurist.Testing;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// xunit starts an assembly fixture for any test it runs, so every test here starts anvil: none is a unit test.
[assembly: Integration]
