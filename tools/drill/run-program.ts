/**
 * Runs the drill program (`examples/restore-drill`) once, `up` only, from the package installed the
 * way a user installs it: through the Automation API when a `pulumi` CLI is on PATH (temporary local
 * file backend and passphrase, no account), otherwise through the lifecycle runner.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createProject, LifecycleRunner, runWithAutomation, type ConfigValue } from "../runner";
import { installPackedPackage } from "./install";
import type { DrillMode } from "./report";
import type { ModeChoice } from "./options";

/** The mode a choice comes to on this machine, and why, in words for the console. */
export function chooseMode(
  choice: ModeChoice,
  pulumiCli: string | undefined,
): { mode: DrillMode; reason: string } {
  switch (choice) {
    case "automation":
      if (pulumiCli === undefined) {
        throw new Error("--mode automation needs the pulumi CLI on PATH; none was found.");
      }
      return { mode: "automationApi", reason: `asked for; pulumi CLI at ${pulumiCli}` };
    case "runner":
      return { mode: "lifecycleRunner", reason: "asked for" };
    case "auto":
      return pulumiCli === undefined
        ? { mode: "lifecycleRunner", reason: "no pulumi CLI on PATH" }
        : { mode: "automationApi", reason: `pulumi CLI found at ${pulumiCli}` };
    default: {
      const unexpected: never = choice;
      throw new Error(`unknown mode ${String(unexpected)}`);
    }
  }
}

export interface ProgramRun {
  /** Stack outputs (plain values); empty when the run failed before producing them. */
  readonly outputs: Record<string, unknown>;
  /** One line per step, like the CLI's (`+ create ... drill-mailboxes`). */
  readonly steps: readonly string[];
  /** The run's failure, verbatim; undefined when `up` succeeded. */
  readonly error?: string;
}

export interface RunProgramOptions {
  readonly mode: DrillMode;
  /** The repository (to pack and install, and to read the program from). */
  readonly repoDir: string;
  /** Stack configuration, full keys. */
  readonly config: Record<string, ConfigValue>;
  /** Called with progress lines (install, steps). */
  readonly onNote: (line: string) => void;
}

const PROGRAM = path.join("examples", "restore-drill", "index.js");

function stepLine(op: string, type: string, name: string, durationInMs: number, error?: string): string {
  const symbol = op === "create" ? "+" : op === "same" ? " " : op === "delete" ? "-" : "~";
  return `${symbol} ${op} ${type.replace(/^pulumi-nodejs:dynamic\//, "")} ${name} (${(durationInMs / 1000).toFixed(1)} s)${error ? `: ${error}` : ""}`;
}

async function runWithRunner(projectDir: string, options: RunProgramOptions): Promise<ProgramRun> {
  const runner = new LifecycleRunner({ projectDir, config: options.config });
  try {
    const result = await runner.up({ allowErrors: true });
    const steps = result.steps
      .filter((step) => step.custom)
      .map((step) => stepLine(step.op, step.type, step.name, step.durationInMs, step.error));
    const error = result.errors.map(
      (failure) => `${failure.urn ?? "program"}: ${failure.operation}: ${failure.message}`,
    );
    return { outputs: result.outputs, steps, ...(error.length > 0 ? { error: error.join("\n") } : {}) };
  } finally {
    await runner.close();
  }
}

async function runWithCli(projectDir: string, options: RunProgramOptions): Promise<ProgramRun> {
  const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-backup-drill-backend-"));
  try {
    const result = await runWithAutomation(
      {
        projectDir,
        stack: "drill",
        config: options.config,
        backendDir,
        passphrase: randomBytes(18).toString("base64"),
      },
      "up",
    );
    const steps = Object.entries(result.summary).map(([op, count]) => `${op}: ${count ?? 0}`);
    return { outputs: result.outputs, steps };
  } catch (error) {
    return { outputs: {}, steps: [], error: error instanceof Error ? error.message : String(error) };
  } finally {
    fs.rmSync(backendDir, { recursive: true, force: true });
  }
}

/** Installs the packed package into a temporary project holding the drill program, and runs `up`. */
export async function runDrillProgram(options: RunProgramOptions): Promise<ProgramRun> {
  options.onNote("Packing the package and installing the tarball into a temporary Pulumi project…");
  const installed = await installPackedPackage(options.repoDir);
  try {
    options.onNote(
      `Installed ${installed.packageName}@${installed.packageVersion} from ${path.basename(installed.tarballPath)} ` +
        `in ${(installed.durationInMs / 1000).toFixed(1)} s.`,
    );
    const projectDir = createProject({
      nodeModulesDir: installed.nodeModulesDir,
      name: "restore-drill",
      program: "index.js",
      source: fs.readFileSync(path.join(options.repoDir, PROGRAM), "utf8"),
    });
    try {
      return await (options.mode === "automationApi"
        ? runWithCli(projectDir, options)
        : runWithRunner(projectDir, options));
    } finally {
      fs.rmSync(projectDir, { recursive: true, force: true });
    }
  } finally {
    installed.remove();
  }
}
