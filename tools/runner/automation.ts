// The same operations through Pulumi's Automation API, for machines that have the Pulumi CLI: a local
// file backend and a passphrase secrets provider, so nothing leaves the machine. Where no `pulumi` is
// on PATH, `findPulumiCli` returns undefined and callers skip, saying so.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ConfigValue } from "./types";

/** Options for {@link runWithAutomation}. */
export interface AutomationOptions {
  /** The Pulumi project directory (its `package.json` `main` is the program). */
  projectDir: string;
  /** Stack name. Default `dev`. */
  stack?: string;
  /** Stack configuration, full keys. */
  config?: Record<string, ConfigValue>;
  /** Directory of the file backend. Default: `<projectDir>/.pulumi-backend`. */
  backendDir?: string;
  /** Passphrase of the secrets provider. Default `""`. */
  passphrase?: string;
}

/** A summary of an Automation API operation, shaped close to the runner's results. */
export interface AutomationResult {
  /** Count of steps per op, as the CLI reports them (`create`, `same`, `update`, …). */
  summary: Partial<Record<string, number>>;
  /** Stack outputs (plain values). */
  outputs: Record<string, unknown>;
  /** The CLI's output. */
  stdout: string;
}

/** The path of the `pulumi` executable on PATH, if there is one. */
export function findPulumiCli(searchPath: string = process.env.PATH ?? ""): string | undefined {
  const names = os.platform() === "win32" ? ["pulumi.exe", "pulumi.cmd"] : ["pulumi"];
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}

/**
 * Runs `preview`, `up`, `refresh` or `destroy` through the Automation API (requires the Pulumi CLI).
 * Throws when no CLI is on PATH; check {@link findPulumiCli} first.
 */
export async function runWithAutomation(
  options: AutomationOptions,
  operation: "preview" | "up" | "refresh" | "destroy",
): Promise<AutomationResult> {
  if (!findPulumiCli()) {
    throw new Error("no pulumi CLI found on PATH: the Automation API path needs it");
  }
  const automation = await import("@pulumi/pulumi/automation");
  const backendDir = options.backendDir ?? path.join(options.projectDir, ".pulumi-backend");
  fs.mkdirSync(backendDir, { recursive: true });
  const stack = await automation.LocalWorkspace.createOrSelectStack(
    { stackName: options.stack ?? "dev", workDir: options.projectDir },
    {
      envVars: {
        PULUMI_BACKEND_URL: `file://${backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? "",
      },
    },
  );
  const config: Record<string, { value: string; secret: boolean }> = {};
  for (const [key, value] of Object.entries(options.config ?? {})) {
    config[key] = typeof value === "string" ? { value, secret: false } : { value: value.value, secret: true };
  }
  await stack.setAllConfig(config);
  switch (operation) {
    case "preview": {
      const result = await stack.preview();
      return { summary: result.changeSummary, outputs: {}, stdout: result.stdout };
    }
    case "up": {
      const result = await stack.up();
      const outputs = Object.fromEntries(
        Object.entries(result.outputs).map(([key, output]) => [key, output.value as unknown]),
      );
      return { summary: result.summary.resourceChanges ?? {}, outputs, stdout: result.stdout };
    }
    case "refresh": {
      const result = await stack.refresh();
      return { summary: result.summary.resourceChanges ?? {}, outputs: {}, stdout: result.stdout };
    }
    case "destroy": {
      const result = await stack.destroy();
      return { summary: result.summary.resourceChanges ?? {}, outputs: {}, stdout: result.stdout };
    }
    default: {
      const unexpected: never = operation;
      throw new Error(`unknown operation ${String(unexpected)}`);
    }
  }
}
