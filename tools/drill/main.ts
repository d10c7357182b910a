/**
 * `npm run drill`: the restore drill, one command from a fresh clone.
 *
 * Starts the local Graph emulator (or, with `--tenant real`, uses a real tenant from the environment),
 * runs `examples/restore-drill` with `up` through the Automation API or the lifecycle runner, shows live
 * progress from Graph while it runs, then writes drill-report/report.{json,md,html} and tears down.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { emulatorStackConfig, startEmulator, type Emulator } from "../emulator";
import { rerunTrustingEmulatorCa, trustsEmulatorCa } from "../trustEmulatorCa";
import { findPulumiCli, type ConfigValue } from "../runner";
import { parseDrillOptions, DRILL_USAGE, type DrillOptions } from "./options";
import { ProgressView, type SessionProgress } from "./progress";
import { chooseMode, runDrillProgram, type ProgramRun } from "./run-program";
import {
  collectSession,
  createObserverClient,
  labelRestorePoints,
  observeProgress,
  type ObserverSettings,
} from "./observe";
import { buildDrillReport, writeDrillReport, type DrillFacts, type DrillTarget } from "./report";
import { renderDrillSummary } from "./summary";
import { writeEmulatorEvidence } from "./evidence";
import { countRequests } from "./requests";
import { readProgramOutputs, type ProgramSession } from "./outputs";
import { repositoryDir } from "../repository";
import { RESTORE_SESSION_KINDS } from "../../provider/model";

const REPO_DIR = repositoryDir();
const POLL_INTERVAL_IN_MS = 250;

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(REPO_DIR, "package.json"), "utf8")) as { version: string })
    .version;
}

/** Where the drill runs: the emulator's settings, or the environment's for a real tenant. */
interface Environment {
  readonly target: DrillTarget;
  /** `m365-backup:*` config for the program (empty for a real tenant: the provider reads the environment). */
  readonly programConfig: Record<string, ConfigValue>;
  readonly observer: ObserverSettings;
  /** The program's application id, to pick its requests and sessions. */
  readonly programAppId?: string;
  readonly emulator?: Emulator;
}

async function emulatorEnvironment(options: DrillOptions): Promise<Environment> {
  const emulator = await startEmulator({ seed: options.seed, restoreMs: options.restoreMs });
  const auditor = emulator.clients.find((client) => client.name === "readOnly");
  const common = {
    tenantId: emulator.tenantId,
    authorityHost: emulator.authorityHost,
    graphEndpoint: emulator.graphEndpoint,
  };
  return {
    emulator,
    target: {
      kind: "emulator",
      tenantId: emulator.tenantId,
      graphEndpoint: emulator.graphEndpoint,
      apiVersion: "v1.0",
    },
    programConfig: emulatorStackConfig(emulator),
    observer: auditor?.secret
      ? { ...common, clientId: auditor.clientId, clientSecret: auditor.secret }
      : { ...common, clientId: emulator.clientId, clientSecret: emulator.clientSecret },
    programAppId: emulator.clientId,
  };
}

function realTenantEnvironment(): Environment {
  const env = process.env;
  if (!env.AZURE_TENANT_ID) {
    throw new Error(
      "--tenant real needs the m365-backup settings in the environment: AZURE_TENANT_ID, AZURE_CLIENT_ID and a credential (see docs/drill.md).",
    );
  }
  if (
    !["RESTORE_DRILL_MAILBOXES", "RESTORE_DRILL_SITES", "RESTORE_DRILL_ONEDRIVE_OWNERS"].some(
      (name) => env[name],
    )
  ) {
    throw new Error(
      "--tenant real needs to know what to restore: set RESTORE_DRILL_MAILBOXES, RESTORE_DRILL_SITES and/or " +
        "RESTORE_DRILL_ONEDRIVE_OWNERS (comma-separated); the program's defaults name the emulator's tenant.",
    );
  }
  return {
    target: {
      kind: "realTenant",
      tenantId: env.AZURE_TENANT_ID,
      graphEndpoint: env.M365_BACKUP_GRAPH_ENDPOINT || "https://graph.microsoft.com",
      apiVersion: env.M365_BACKUP_API_VERSION || "v1.0",
    },
    programConfig: {},
    observer: {},
    ...(env.AZURE_CLIENT_ID ? { programAppId: env.AZURE_CLIENT_ID } : {}),
  };
}

/** `restore-drill:*` config: a fresh run id, and what the flags or RESTORE_DRILL_* variables set. */
function drillConfig(options: DrillOptions): Record<string, ConfigValue> {
  const config: Record<string, ConfigValue> = { "restore-drill:runId": randomUUID() };
  if (options.targetRtoMinutes !== undefined) {
    config["restore-drill:targetRtoMinutes"] = String(options.targetRtoMinutes);
  }
  if (options.completionTimeoutMinutes !== undefined) {
    config["restore-drill:completionTimeoutMinutes"] = String(options.completionTimeoutMinutes);
  }
  if (options.restorePointTime !== undefined) {
    config["restore-drill:restorePointTime"] = options.restorePointTime;
  }
  const lists = {
    mailboxes: "RESTORE_DRILL_MAILBOXES",
    sites: "RESTORE_DRILL_SITES",
    oneDriveOwners: "RESTORE_DRILL_ONEDRIVE_OWNERS",
  };
  for (const [key, variable] of Object.entries(lists)) {
    // Against a real tenant an unset list means "none": the program's defaults name the emulator's people.
    const value = process.env[variable] ?? (options.tenant === "real" ? "" : undefined);
    if (value !== undefined) {
      config[`restore-drill:${key}`] = JSON.stringify(
        value
          .split(",")
          .map((item) => item.trim())
          .filter(Boolean),
      );
    }
  }
  return config;
}

/** Polls Graph for progress until stopped; a failed poll is skipped (the next one usually works). */
function startPolling(poll: () => Promise<void>): () => Promise<void> {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await poll().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_IN_MS));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

async function runDrill(options: DrillOptions): Promise<number> {
  const startedAtInMs = Date.now();
  const environment =
    options.tenant === "real" ? realTenantEnvironment() : await emulatorEnvironment(options);
  try {
    const { mode, reason } = chooseMode(options.mode, findPulumiCli());
    const how = mode === "automationApi" ? "the Pulumi Automation API" : "the lifecycle runner";
    const where = environment.emulator
      ? `the local emulator at ${environment.target.graphEndpoint}`
      : `tenant ${environment.target.tenantId}`;
    console.log(`Restore drill against ${where}, through ${how} (${reason}).`);

    const view = new ProgressView(
      process.stdout,
      startedAtInMs,
      process.stdout.isTTY === true && !options.plain,
    );
    const observer = createObserverClient(environment.observer);
    let phase = "installing the package";
    const runPhase = `pulumi up (${mode === "automationApi" ? "Automation API" : "lifecycle runner"})`;
    let latest: SessionProgress[] = [];
    const filter = {
      createdSinceInMs: startedAtInMs - 60_000,
      ...(environment.programAppId ? { createdByAppId: environment.programAppId } : {}),
    };
    const stopPolling = startPolling(async () => {
      latest = await observeProgress(observer, filter);
      view.update({ atInMs: Date.now(), phase, sessions: latest });
    });

    let run: ProgramRun;
    try {
      run = await runDrillProgram({
        mode,
        repoDir: REPO_DIR,
        config: { ...environment.programConfig, ...drillConfig(options) },
        onNote: (line) => {
          view.note(line);
          if (line.startsWith("Installed")) {
            phase = runPhase;
          }
        },
      });
    } finally {
      await stopPolling();
    }
    run.steps.forEach((line) => view.note(line));
    phase = "reading the outcome from Graph";
    latest = await observeProgress(observer, filter).catch(() => latest);
    view.update({ atInMs: Date.now(), phase, sessions: latest });
    view.finish();

    const program = readProgramOutputs(run.outputs);
    const wanted: readonly ProgramSession[] =
      program.sessions.length > 0
        ? program.sessions
        : latest.map((session) => ({ id: session.id, kind: session.kind, name: "", targets: [] }));
    const labels = await labelRestorePoints(observer, {
      restorePointTime: program.restorePointTime ?? new Date().toISOString(),
      mailboxes: program.targetsOf("exchange"),
      sites: program.targetsOf("sharePoint"),
      oneDriveOwners: program.targetsOf("oneDriveForBusiness"),
    }).catch(() => new Map<string, string>());
    const sessions = await Promise.all(
      wanted
        .filter((session) => RESTORE_SESSION_KINDS.includes(session.kind))
        .map((session) =>
          collectSession(observer, {
            id: session.id,
            kind: session.kind,
            ...(session.name ? { resourceName: session.name } : {}),
            labels,
          }),
        ),
    );
    const facts: DrillFacts = {
      mode,
      target: environment.target,
      startedDateTime: new Date(startedAtInMs).toISOString(),
      endedDateTime: new Date().toISOString(),
      targetRtoInMinutes: options.targetRtoMinutes ?? program.targetRtoMinutes ?? 240,
      ...(program.restorePointTime ? { restorePointTime: program.restorePointTime } : {}),
      sessions,
      ...(environment.emulator
        ? { requests: countRequests(environment.emulator.requestLog.entries(), environment.programAppId) }
        : {}),
      ...(run.error ? { runError: run.error } : {}),
      generator: { name: "pulumi-m365-backup drill", version: packageVersion() },
    };
    if (environment.emulator && options.emulatorEvidence) {
      await writeEmulatorEvidence(
        environment.emulator,
        environment.programAppId ?? "",
        options.emulatorEvidence,
      );
    }
    const report = buildDrillReport(facts);
    const paths = writeDrillReport(report, options.outputDir);
    console.log("");
    renderDrillSummary(report, paths, process.cwd()).forEach((line) => console.log(line));
    return report.outcome === "passed" ? 0 : 1;
  } finally {
    await environment.emulator?.close();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseDrillOptions(argv);
  if (options.help) {
    process.stdout.write(DRILL_USAGE);
    return 0;
  }
  if (options.tenant === "emulator" && !trustsEmulatorCa()) {
    return rerunTrustingEmulatorCa(__filename, argv, "m365-backup-drill-ca-");
  }
  return runDrill(options);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`Drill failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
