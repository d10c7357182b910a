// Shared set-up for the runner's tests: a toy project (the toy provider next to a program, linked to
// the repository's node_modules) and a runner configured against a toy server.
import * as fs from "node:fs";
import * as path from "node:path";
import { createProject, LifecycleRunner, type RunnerOptions } from "../../tools/runner";
import type { ToyServer } from "./toy-server";

const TOY_PROVIDER = fs.readFileSync(path.join(__dirname, "fixtures", "toy-provider.js"), "utf8");
const REPO_NODE_MODULES = path.join(__dirname, "..", "..", "node_modules");

/** A toy project whose program is `source` (CommonJS; `ToyItem` and `ToyItemNoDiff` are in scope). */
export class ToyProject {
  readonly dir: string;

  constructor(source: string, nodeModulesDir: string = REPO_NODE_MODULES) {
    this.dir = createProject({ nodeModulesDir, files: { "toy-provider.js": TOY_PROVIDER } });
    this.write(source);
  }

  /** Replaces the program, as a user edits it between runs. */
  write(source: string): void {
    const program = `"use strict";\nconst pulumi = require("@pulumi/pulumi");\nconst { ToyItem, ToyItemNoDiff } = require("./toy-provider");\n${source}\n`;
    fs.writeFileSync(path.join(this.dir, "index.js"), program);
  }

  /** A runner for this project, configured with the toy server's URL and a secret token. */
  runner(server: ToyServer, options: Partial<RunnerOptions> = {}): LifecycleRunner {
    return new LifecycleRunner({
      projectDir: this.dir,
      config: { "toy:url": server.url, "toy:token": { value: "toy-token-value", secret: true } },
      ...options,
    });
  }
}

/** `[op, name]` of each custom-resource step, in order. */
export function customSteps(result: { steps: { op: string; name: string; custom: boolean }[] }): string[][] {
  return result.steps.filter((step) => step.custom).map((step) => [step.op, step.name]);
}
