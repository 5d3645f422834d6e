using Workmates.OttKit.Cli;

// The blueprint's scheduled database tasks (ECS tasks on a schedule), one image with three modes named by the first
// argument: "backup" (the default), "health" and "patch". The logic is the library's ScheduledDatabaseTask
// (Workmates.OttKit.Cli.Core), which Workmates.OttKit.Testing's rehearsal runs in process with the environment it
// resolves from the synthesized task definition; this entry point only hands it the process. Each mode reads only the
// variables BackupTaskEnvironment.Settings(mode) declares (the blueprint generates the task definitions from it):
//   OTTKIT_MONGO_CONNECTION_STRING  mongodb:// URI of the set without credentials (the database stack's output), and
//   OTTKIT_MONGO_USERNAME / OTTKIT_MONGO_PASSWORD  the user, injected by ECS from the {username,password} secret
//   OTTKIT_MONGO_TLS_CA           with TLS, the replica set's CA certificate (the secret's "ca" key)
//   OTTKIT_MONGO_URI              or a complete mongodb:// URI instead of the three above
//   OTTKIT_ENVIRONMENT            the Environment dimension of the metrics (default "default")
// backup: OTTKIT_BACKUP_BUCKET, OTTKIT_BACKUP_PREFIX (default "mongo"), OTTKIT_BACKUP_KMS_KEY_ID,
//   OTTKIT_BACKUP_RETENTION_DAYS (default 15), OTTKIT_BACKUP_MIN_KEEP (default 3).
// health: OTTKIT_HEALTH_TIMEOUT_SECONDS (default 10). patch: the ADMIN user's connection (replSetStepDown).
// Exit codes: see ScheduledDatabaseTask (0 success; 1, 2, 3 by mode; 64 bad configuration).

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var variables = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
{
    if (entry.Key is string name && entry.Value is string value)
    {
        variables[name] = value;
    }
}

return await ScheduledDatabaseTask.RunAsync(args, variables, TimeProvider.System, Path.GetTempPath(), Console.Out, Console.Error, cancellation.Token);
