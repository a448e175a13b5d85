using Heurist.E2E;

[assembly: AssemblyFixture(typeof(RunningPortal))]
[assembly: AssemblyFixture(typeof(BrowserFixture))]
// Browser journeys and whole-stack runs share two cores; one at a time keeps their timing realistic.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
