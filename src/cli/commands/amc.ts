import type { Command } from "commander";
import { CliError } from "../cli-error.ts";
import { addHomeOption } from "../home-option.ts";

interface AmcOptions {
  endpoint?: string;
  home?: string;
  instance?: string;
  json?: boolean;
}

const ENV_HELP = `
Targets the local cloud by default: the running \`idbridge serve\` for --home, or a server started
for this one command. With --endpoint (e.g. https://advertising-api.amazon.com) it calls real AMC,
with credentials from the environment (never printed or logged):
  AMC_ACCESS_TOKEN    Login with Amazon access token (Authorization: Bearer)
  AMC_CLIENT_ID       Amazon Ads API client id (Amazon-Advertising-API-ClientId)
  AMC_ACCOUNT_ID      AMC account id (Amazon-Advertising-API-AdvertiserId)
  AMC_MARKETPLACE_ID  marketplace id (Amazon-Advertising-API-MarketplaceId)
  AMC_INSTANCE_ID     AMC instance id (or --instance)
Limits: 5 ID mapping tables per instance, one refresh per table per 14 days, us-east-1 only.`;

async function withClient<T>(
  command: Command,
  run: (client: import("../../amc-client/index.ts").AmcClient) => Promise<T>,
): Promise<void> {
  const options = command.optsWithGlobals<AmcOptions>();
  const { AmcApiError, AmcConfigError, connectAmc } = await import("../../amc-client/index.ts");
  let connection: Awaited<ReturnType<typeof connectAmc>>;
  try {
    connection = await connectAmc({
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.home ? { home: options.home } : {}),
      ...(options.instance ? { instanceId: options.instance } : {}),
    });
  } catch (error) {
    if (error instanceof AmcConfigError) throw new CliError(error.message, error.hint);
    throw error;
  }
  try {
    const result = await run(connection.client);
    if (result !== undefined) print(result, options.json === true);
  } catch (error) {
    if (error instanceof AmcApiError) throw new CliError(error.message, error.hint);
    throw error;
  } finally {
    await connection.close();
  }
}

function print(result: unknown, json: boolean): void {
  if (json || typeof result !== "string") process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${result}\n`);
}

const progressLine = (job: import("../../amc-client/index.ts").IdMappingJob, elapsedMs: number) => {
  const m = job.metrics ?? {};
  const done = m.totalRecordsProcessed ?? 0;
  const total = m.inputRecords ?? 0;
  const rate = elapsedMs > 0 ? Math.round((done / elapsedMs) * 1000) : 0;
  return `job ${job.status.padEnd(9)} ${done}/${total || "?"} records${rate ? `, ${rate} rows/s` : ""}${m.totalMappedSourceRecords !== undefined ? `, ${m.totalMappedSourceRecords} mapped` : ""}`;
};

/** Follows a job with progress on stderr (when it is a terminal) and returns it. */
async function follow(client: import("../../amc-client/index.ts").AmcClient, tableId: string, jobId: string) {
  const tty = process.stderr.isTTY;
  const job = await client.waitForJob(tableId, jobId, {
    onProgress: (j, elapsed) => {
      if (tty) process.stderr.write(`\r${progressLine(j, elapsed)}\x1b[K`);
    },
  });
  if (tty) process.stderr.write("\n");
  return job;
}

export function register(program: Command): void {
  const amc = program
    .command("amc")
    .description(
      "call the AMC admin API: ID namespaces, ID mapping tables, jobs (Amazon Ads' AMC identity guide, steps 2–5)",
    )
    .option("--endpoint <url>", "real AMC API base URL (default: the local cloud)");
  addHomeOption(amc, "local cloud");
  amc
    .option("--instance <id>", "AMC instance id (default: AMC_INSTANCE_ID, or the local instance)")
    .option("--json", "machine-readable output")
    .addHelpText("after", ENV_HELP);

  amc
    .command("collaboration")
    .description("the collaboration behind the instance, with membership ids")
    .action((_options, command: Command) => withClient(command, (client) => client.getCollaboration()));

  amc
    .command("namespaces")
    .description("ID namespaces associated with the collaboration and not yet used by a mapping table")
    .action((_options, command: Command) => withClient(command, (client) => client.listNamespaces()));

  const tables = amc.command("tables").description("ID mapping tables (at most 5 per instance)");
  tables
    .command("create")
    .description("create an ID mapping table from a SOURCE namespace and start its population job")
    .requiredOption("--name <name>", "table name")
    .requiredOption("--namespace-arn <arn>", "the SOURCE ID namespace's ARN (see `amc namespaces`)")
    .option("--description <text>", "table description")
    .option("--wait", "follow the population job until it ends")
    .action(
      (
        options: { name: string; namespaceArn: string; description?: string; wait?: boolean },
        command: Command,
      ) =>
        withClient(command, async (client) => {
          const created = await client.createTable({
            idMappingTableName: options.name,
            sourceIdNamespaceArn: options.namespaceArn,
            ...(options.description ? { description: options.description } : {}),
          });
          if (!options.wait) return created;
          const job = await follow(client, created.idMappingTable.id, created.idMappingWorkflowJobId);
          return { ...created, job };
        }),
    );
  tables
    .command("list")
    .description("the instance's ID mapping tables")
    .action((_options, command: Command) => withClient(command, (client) => client.listTables()));
  tables
    .command("get <tableId>")
    .description("one ID mapping table")
    .action((tableId: string, _options, command: Command) =>
      withClient(command, (client) => client.getTable(tableId)),
    );
  tables
    .command("refresh <tableId>")
    .description("re-populate a table from its input (at most once per 14 days)")
    .option("--wait", "follow the refresh job until it ends")
    .action((tableId: string, options: { wait?: boolean }, command: Command) =>
      withClient(command, async (client) => {
        const answer = await client.refreshTable(tableId);
        if (!options.wait || !answer.idMappingWorkflowJobId) return answer;
        return { ...answer, job: await follow(client, tableId, answer.idMappingWorkflowJobId) };
      }),
    );
  tables
    .command("delete <tableId>")
    .description("delete an ID mapping table")
    .action((tableId: string, _options, command: Command) =>
      withClient(command, async (client) => {
        await client.deleteTable(tableId);
        return `deleted ID mapping table ${tableId}`;
      }),
    );

  amc
    .command("job <jobId>")
    .description("an ID mapping job's status and metrics")
    .option("--table <tableId>", "the job's table (default: found among the instance's tables)")
    .option("--wait", "follow the job until it ends")
    .action((jobId: string, options: { table?: string; wait?: boolean }, command: Command) =>
      withClient(command, async (client) => {
        const tableId = options.table ?? (await findTableOfJob(client, jobId));
        return options.wait ? follow(client, tableId, jobId) : client.getJob(tableId, jobId);
      }),
    );
}

async function findTableOfJob(
  client: import("../../amc-client/index.ts").AmcClient,
  jobId: string,
): Promise<string> {
  const { AmcApiError } = await import("../../amc-client/index.ts");
  for (const table of await client.listTables()) {
    try {
      await client.getJob(table.id, jobId);
      return table.id;
    } catch (error) {
      if (!(error instanceof AmcApiError && error.status === 404)) throw error;
    }
  }
  throw new CliError(
    `no ID mapping table of this instance has job ${jobId}`,
    "pass --table <tableId> (see `idbridge amc tables list`)",
  );
}
