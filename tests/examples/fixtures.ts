/**
 * Shared pieces of the example tests: each example is copied into a throwaway Pulumi project linked to
 * the package installed from its tarball (one install per test process, shared with the other suites),
 * with the `m365-backup:*` values its Pulumi.yaml sets, and run through the lifecycle runner.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator } from "../../tools/emulator";
import { createProject, installPackage, type StepReport } from "../../tools/runner";
import { graphCall } from "../helpers/emulator";

/** `examples/<name>` in this repository. */
export function exampleDir(name: string): string {
  return path.join(__dirname, "..", "..", "examples", name);
}

/**
 * js-yaml, which this repository does not depend on directly: the copy `@pulumi/pulumi` ships (tests only).
 */
export function loadYaml(text: string): unknown {
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require(require.resolve("js-yaml", { paths: [pulumiDir] })) as { load(text: string): unknown };
  return yaml.load(text);
}

/**
 * The config values the example's Pulumi.yaml sets for other namespaces (`m365-backup:apiVersion:
 * { value: beta }`), which `pulumi up` applies to every stack; empty values mean unset and are left out.
 */
export function projectConfigValues(dir: string): Record<string, string> {
  const project = loadYaml(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
    config?: Record<string, { value?: unknown } | undefined>;
  };
  const values: Record<string, string> = {};
  for (const [key, declaration] of Object.entries(project.config ?? {})) {
    const value = declaration?.value;
    if (
      key.includes(":") &&
      (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    ) {
      if (value !== "") values[key] = String(value);
    }
  }
  return values;
}

/**
 * A Pulumi project holding the example's files (every file but package.json and README.md, which the
 * linked install replaces), with node_modules linked to the shared install of the packed package.
 */
export async function exampleProject(name: string): Promise<string> {
  const dir = exampleDir(name);
  const files: Record<string, string> = {};
  for (const file of fs.readdirSync(dir)) {
    if (/\.(js|yaml)$/.test(file)) {
      files[file] = fs.readFileSync(path.join(dir, file), "utf8");
    }
  }
  return createProject({ from: await installPackage(), name, files });
}

/** The restore-session steps as [op, resource type], sorted by type (steps complete in any order). */
export function sessionSteps(steps: StepReport[]): [string, string][] {
  return steps
    .filter((step) => step.custom)
    .map((step): [string, string] => [step.op, step.type.split(":").pop() ?? step.type])
    .sort((a, b) => a[1].localeCompare(b[1]));
}

/** Every page of a Graph collection, as the read-write client sees it. */
export async function graphList(
  emulator: Emulator,
  collectionPath: string,
  version: "v1.0" | "beta" = "v1.0",
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let next: string | undefined = collectionPath;
  while (next !== undefined) {
    const page = await graphCall(emulator, { method: "GET", path: next, version });
    if (page.status !== 200) {
      throw new Error(`GET ${next} answered ${page.status}: ${page.text}`);
    }
    items.push(...(page.body.value as Record<string, unknown>[]));
    next = page.body["@odata.nextLink"] as string | undefined;
  }
  return items;
}

/** A Graph GET that must succeed. */
export async function graphGet(
  emulator: Emulator,
  resourcePath: string,
  version: "v1.0" | "beta" = "v1.0",
): Promise<Record<string, unknown>> {
  const response = await graphCall(emulator, { method: "GET", path: resourcePath, version });
  if (response.status !== 200) {
    throw new Error(`GET ${resourcePath} answered ${response.status}: ${response.text}`);
  }
  return response.body as Record<string, unknown>;
}

/** The Graph writes in the request log as `METHOD path`; searches and browse queries are reads. */
export function graphWrites(emulator: Emulator): string[] {
  return emulator.requestLog
    .entries({ kind: "graph" })
    .filter((entry) => entry.method !== "GET" && !/\/(restorePoints\/search|browse)$/.test(entry.path))
    .map((entry) => `${entry.method} ${entry.path}`);
}
