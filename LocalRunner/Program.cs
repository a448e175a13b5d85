using Heurist.LocalRunner;

// ./run.sh → this runner. "migrate" applies the database migrations and exits.
return await Runner.RunAsync(args);
