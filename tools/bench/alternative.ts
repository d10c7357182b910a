/**
 * The alternative a user would write without this package: the same restore drill as a plain script,
 * with the official Microsoft Graph JavaScript client, a token from @azure/identity, and a polling loop.
 *
 * It is written the way a competent engineer writes a one-off runbook script: sessions are created and
 * activated one after another (create with the first 50 artifacts, PATCH the rest 50 at a time, then
 * activate), then one loop polls every unfinished session every few seconds until all are done, and at
 * the end each session's artifacts are listed for the report. Throttling is left to the Graph client's
 * own RetryHandler, which honours Retry-After.
 *
 * Settings come from the environment: AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
 * AZURE_AUTHORITY_HOST, GRAPH_ENDPOINT, DRILL_PLAN (a JSON file: `{ sessions: [{ kind, name, points:
 * [{ restorePointId }] }] }`), POLL_INTERVAL_MS (default 5000) and DRILL_RESULT (where to write the
 * outcome as JSON).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { ClientSecretCredential } from "@azure/identity";
import { Client } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";

export type Kind = "exchange" | "sharePoint" | "oneDriveForBusiness";

export interface PlanSession {
  kind: Kind;
  name: string;
  points: { restorePointId: string }[];
}

export interface Session {
  id: string;
  status: string;
  lastModifiedDateTime: string | null;
  completedDateTime: string | null;
}

interface Page<T> {
  value: T[];
  "@odata.nextLink"?: string;
}

const COLLECTIONS: Record<Kind, { sessions: string; artifacts: string }> = {
  exchange: { sessions: "exchangeRestoreSessions", artifacts: "mailboxRestoreArtifacts" },
  sharePoint: { sessions: "sharePointRestoreSessions", artifacts: "siteRestoreArtifacts" },
  oneDriveForBusiness: { sessions: "oneDriveForBusinessRestoreSessions", artifacts: "driveRestoreArtifacts" },
};
const DONE = ["completed", "completedWithError", "failed"];
// Written out, not imported: this script stands for code written without this package.
const BATCH = 50;

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}.`);
  return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Graph client a user builds: a client secret credential behind the official client. */
export function graphClient(env: NodeJS.ProcessEnv = process.env): Client {
  const read = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`Set ${name}.`);
    return value;
  };
  const graphEndpoint = read("GRAPH_ENDPOINT");
  const credential = new ClientSecretCredential(read("AZURE_TENANT_ID"), read("AZURE_CLIENT_ID"), read("AZURE_CLIENT_SECRET"), {
    authorityHost: read("AZURE_AUTHORITY_HOST"),
    disableInstanceDiscovery: true,
  });
  return Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, {
      scopes: ["https://graph.microsoft.com/.default"],
    }),
    baseUrl: `${graphEndpoint}/`,
    defaultVersion: "v1.0",
    customHosts: new Set([new URL(graphEndpoint).hostname]),
  });
}

/** What the script reports: each session's outcome, and what went wrong. */
export interface ScriptReport {
  sessions: ({ name: string; artifactCount: number; failedArtifacts: number } & Session)[];
  created: { name: string; kind: Kind; id: string }[];
  errors: string[];
}

/**
 * The drill itself. `wait` is how the loop sleeps between rounds: a timer when run as a script; the
 * bench's simulated long restores pass one that moves the emulator's clock instead.
 */
export async function runDrillScript(
  graph: Client,
  plan: { sessions: PlanSession[] },
  pollEvery: number,
  wait: (ms: number) => Promise<unknown> = sleep,
  log: (line: string) => void = (line) => console.log(line),
): Promise<ScriptReport> {
  const created: { name: string; kind: Kind; id: string }[] = [];
  const report: ScriptReport = { sessions: [], created, errors: [] };
  // 1. Create and activate each session.
  for (const planned of plan.sessions) {
    const { sessions, artifacts } = COLLECTIONS[planned.kind];
    const all = planned.points.map((point) => ({
      restorePoint: { id: point.restorePointId },
      destinationType: "new",
    }));
    const session = (await graph
      .api(`/solutions/backupRestore/${sessions}`)
      .post({ [artifacts]: all.slice(0, BATCH) })) as Session;
    for (let start = BATCH; start < all.length; start += BATCH) {
      await graph
        .api(`/solutions/backupRestore/${sessions}/${session.id}`)
        .patch({ [`${artifacts}@delta`]: all.slice(start, start + BATCH) });
    }
    await graph.api(`/solutions/backupRestore/restoreSessions/${session.id}/activate`).post(undefined);
    created.push({ name: planned.name, kind: planned.kind, id: session.id });
    log(`activated ${planned.name} (${session.id})`);
  }

  // 2. Poll until every session has finished.
  const final = new Map<string, Session>();
  while (final.size < created.length) {
    for (const { id } of created.filter((session) => !final.has(session.id))) {
      const session = (await graph
        .api(`/solutions/backupRestore/restoreSessions/${id}`)
        .header("Prefer", "include-unknown-enum-members")
        .get()) as Session;
      if (DONE.includes(session.status)) final.set(id, session);
    }
    if (final.size < created.length) await wait(pollEvery);
  }

  // 3. Report: each session's status and its artifacts' outcomes.
  for (const { name, kind, id } of created) {
    let url: string | undefined = `/solutions/backupRestore/${COLLECTIONS[kind].sessions}/${id}/${COLLECTIONS[kind].artifacts}`;
    let artifactCount = 0;
    let failedArtifacts = 0;
    while (url) {
      const page = (await graph.api(url).header("Prefer", "include-unknown-enum-members").get()) as Page<{
        status: string;
      }>;
      artifactCount += page.value.length;
      failedArtifacts += page.value.filter((artifact) => artifact.status === "failed").length;
      url = page["@odata.nextLink"];
    }
    const session = final.get(id) as Session;
    report.sessions.push({ name, artifactCount, failedArtifacts, ...session });
    log(`${name}: ${session.status}, ${artifactCount} artifacts, ${failedArtifacts} failed`);
  }
  return report;
}

async function main(): Promise<void> {
  const started = Date.now();
  const plan = JSON.parse(readFileSync(setting("DRILL_PLAN"), "utf8")) as { sessions: PlanSession[] };
  const pollEvery = Number(process.env.POLL_INTERVAL_MS ?? 5000);
  try {
    const report = await runDrillScript(graphClient(), plan, pollEvery);
    writeResult({ sessions: report.sessions, errors: report.errors, wallInMs: Date.now() - started });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`drill script failed: ${message}`);
    writeResult({ sessions: [], errors: [message], wallInMs: Date.now() - started });
    process.exitCode = 1;
  }
}

function writeResult(result: unknown): void {
  const file = process.env.DRILL_RESULT;
  if (file) writeFileSync(file, JSON.stringify(result));
}

if (require.main === module) void main();
