using Heurist.E2E;
using Heurist.Testing;

[assembly: AssemblyFixture(typeof(RunningPortal))]
[assembly: AssemblyFixture(typeof(BrowserFixture))]
// Every journey needs the running stack and Chromium.
[assembly: Integration]
// Browser journeys and whole-stack runs share two cores; one at a time keeps their timing realistic.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
