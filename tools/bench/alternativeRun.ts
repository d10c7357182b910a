/**
 * Section 7: runs `alternative.ts` (compiled) as its own Node process, as a user runs a script, against
 * the same kind of emulator and the same plan as the provider's drill, and measures it the same way.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../emulator";
import type { PlannedSession } from "./drill";
import { analyzeDrill, type FinalSession } from "./drillAnalysis";
import type { DrillFigures } from "./model";

/** The emulator to run against and how to measure. */
export interface AlternativeContext {
  readonly emulator: Emulator;
  readonly label: string;
  readonly pollInMs: number;
  readonly latencyInMs: number;
  readonly pageSize: number;
  readonly retryAfterInMs: number;
  readonly artifactsPerSession: number;
}

interface ScriptResult {
  sessions: (FinalSession & { artifactCount: number; failedArtifacts: number })[];
  errors: string[];
}

function runScript(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, "alternative.js")], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stderr }));
  });
}

/** Runs the plain script once and measures it. */
export async function runAlternative(context: AlternativeContext, plan: readonly PlannedSession[]): Promise<DrillFigures> {
  const { emulator } = context;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-backup-bench-alternative-"));
  try {
    const planFile = path.join(dir, "plan.json");
    const resultFile = path.join(dir, "result.json");
    fs.writeFileSync(planFile, JSON.stringify({ sessions: plan }));
    emulator.requestLog.clear();
    const startedAtInMs = Date.now();
    const run = await runScript(scriptEnvironment(emulator, planFile, resultFile, context.pollInMs));
    const wallInMs = Date.now() - startedAtInMs;
    const result: ScriptResult = fs.existsSync(resultFile)
      ? (JSON.parse(fs.readFileSync(resultFile, "utf8")) as ScriptResult)
      : { sessions: [], errors: [`the script wrote no result (exit ${run.code}): ${run.stderr.trim()}`] };
    const failedArtifacts = result.sessions.reduce((sum, session) => sum + session.failedArtifacts, 0);
    return analyzeDrill({
      label: context.label,
      plannedSessions: plan.length,
      artifactsPerSession: context.artifactsPerSession,
      entries: emulator.requestLog.entries(),
      sessions: result.sessions,
      sessionsInEmulator: emulator.service.sessionIds().length,
      wallInMs,
      startedAtInMs,
      latencyInMs: context.latencyInMs,
      pageSize: context.pageSize,
      retryAfterInMs: context.retryAfterInMs,
      failures: [...result.errors, ...(failedArtifacts > 0 ? [`${failedArtifacts} artifact(s) failed`] : [])],
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function scriptEnvironment(emulator: Emulator, planFile: string, resultFile: string, pollInMs: number): Record<string, string> {
  return {
    AZURE_TENANT_ID: emulator.tenantId,
    AZURE_CLIENT_ID: emulator.clientId,
    AZURE_CLIENT_SECRET: emulator.clientSecret,
    AZURE_AUTHORITY_HOST: emulator.authorityHost,
    GRAPH_ENDPOINT: emulator.graphEndpoint,
    NODE_EXTRA_CA_CERTS: emulator.caCertPath,
    DRILL_PLAN: planFile,
    DRILL_RESULT: resultFile,
    POLL_INTERVAL_MS: String(pollInMs),
  };
}
