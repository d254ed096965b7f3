// A stack run in a child process by lifecycle.test.ts: it SIGKILLs itself the moment its progress
// log prints a line containing IDBRIDGE_KILL_AT (e.g. "CREATE request"), i.e. after Cloud Control
// accepted the request and before iac recorded the outcome — a crash mid-apply.
import AWS from "../aws/control.ts";
import { idbridge } from "../index.ts";

const env = process.env;
const killAt = env.IDBRIDGE_KILL_AT;
const app = await idbridge.app("crash", {
  stage: "crash",
  home: env.IDBRIDGE_TEST_HOME!,
  backend: env.IDBRIDGE_TEST_BACKEND === "aws" ? "aws" : "local",
  ...(env.IDBRIDGE_TEST_ENDPOINT
    ? {
        endpoint: env.IDBRIDGE_TEST_ENDPOINT,
        region: "us-east-1",
        credentials: { accessKeyId: env.IDBRIDGE_TEST_KEY!, secretAccessKey: env.IDBRIDGE_TEST_SECRET! },
        accountId: "000000000000",
      }
    : {}),
  log: (line) => {
    process.stderr.write(`${line}\n`);
    if (killAt && line.includes(killAt)) process.kill(process.pid, "SIGKILL");
  },
});
await AWS.CleanRooms.Collaboration("collaboration", {
  Name: "crash test",
  Description: "created by a process that dies mid-apply",
  CreatorDisplayName: "advertiser",
  CreatorMemberAbilities: ["CAN_QUERY", "CAN_RECEIVE_RESULTS"],
  QueryLogStatus: "DISABLED",
});
await AWS.S3.Bucket("bucket", { BucketName: "idbridge-crash-test" });
await app.finalize();
