using Heurist.AppHost;

// ./run.sh → this runner. "migrate" applies the database migrations and exits.
return await LocalRunner.RunAsync(args);
