// The lifecycle runner: `preview`, `up`, `refresh`, `import` and `destroy` for one stack of one Pulumi
// project, without the Pulumi CLI. The program runs in a child process under the SDK's mocks, with a
// resource monitor that hands each registration to the runner; the runner drives the SDK's own
// dynamic-provider host over gRPC with the engine's rules and keeps a checkpoint between operations.
import * as fs from "node:fs";
import * as path from "node:path";
import { CheckpointStore, type ResourceState } from "./checkpoint";
import { Deployment } from "./deployment";
import { type EngineService, startEngineService } from "./engine-service";
import { Limiter, messageOf, Operation } from "./operation";
import { runProgram } from "./program";
import { makeSecret, type PropertyMap } from "./properties";
import { ProviderHost, type ProviderHostIsolation } from "./provider-host";
import { deleteResource, refreshResource, reportInterruptedOperations } from "./steps";
import type { ConfigValue, Diagnostic, OperationResult } from "./types";
import { makeUrn, type StackIdentity } from "./urn";

/**
 * Registrations processed at once when `parallel` is not given: 16, the `--parallel` value the Pulumi
 * CLI's help has long given. A resource that waits for a restore holds one of these slots throughout.
 */
export const DEFAULT_PARALLEL = 16;

/** Options for {@link LifecycleRunner}. */
export interface RunnerOptions {
  /** The Pulumi project directory (holds `Pulumi.yaml` and the `node_modules` with `@pulumi/pulumi`). */
  projectDir: string;
  /** The program's entry file, absolute or relative to `projectDir`. Default: `main` of the project's `package.json`, else `index.js`. */
  program?: string;
  /** Stack name. Default `dev`. */
  stack?: string;
  /** Project name. Default: `name` in `Pulumi.yaml`. */
  project?: string;
  /** Stack configuration, full keys (`m365-backup:tenantId`). Never written to the checkpoint. */
  config?: Record<string, ConfigValue>;
  /** Checkpoint file. Default `<projectDir>/.runner/<stack>.json`. */
  checkpointPath?: string;
  /** Passphrase for secrets in the checkpoint. Default `""` (like an empty `PULUMI_CONFIG_PASSPHRASE`). */
  secretsPassphrase?: string;
  /** Most registrations processed at once (the engine's `--parallel`). Default {@link DEFAULT_PARALLEL}. */
  parallel?: number;
  /** Extra environment for the provider host and the program. */
  env?: Record<string, string>;
  /** Where the provider host runs; default `process` (see {@link ProviderHostIsolation}). */
  providerHostIsolation?: ProviderHostIsolation;
}

/** Options for `up`, `preview`, `refresh`, `import` and `destroy`. */
export interface OperationOptions {
  /** Resolve with `errors` instead of rejecting with {@link LifecycleError} when a step fails. */
  allowErrors?: boolean;
}

/** Options for `up` and `preview`. */
export interface UpOptions extends OperationOptions {
  /** Import instead of create: resource name (or URN) → id, like the `import` resource option. */
  imports?: Record<string, string>;
}

/** Thrown by an operation that had errors, unless `allowErrors` was set; `result` has the full report. */
export class LifecycleError extends Error {
  /** Brand for {@link LifecycleError.isInstance}. */
  readonly brand = "LifecycleError";
  constructor(readonly result: OperationResult) {
    super(
      result.errors
        .map((error) => `${error.urn ?? "program"}: ${error.operation}: ${error.message}`)
        .join("\n"),
    );
    this.name = "LifecycleError";
  }

  /** Whether `value` is a {@link LifecycleError}, across module copies. */
  static isInstance(value: unknown): value is LifecycleError {
    return value instanceof Error && (value as Partial<LifecycleError>).brand === "LifecycleError";
  }
}

/**
 * Drives a Pulumi program's dynamic resources the way `pulumi up` does, without the CLI.
 *
 * @example
 * ```ts
 * const runner = new LifecycleRunner({ projectDir, program: "index.js", config: { "toy:url": url } });
 * try {
 *   const first = await runner.up();      // steps: create …
 *   const second = await runner.up();     // steps: same …
 *   await runner.destroy();
 * } finally {
 *   await runner.close();
 * }
 * ```
 */
export class LifecycleRunner {
  /** The checkpoint file this runner reads and writes. */
  readonly checkpointPath: string;
  private readonly identity: StackIdentity;
  private readonly store: CheckpointStore;
  private readonly programPath: string;
  private readonly sink: Diagnostic[][] = [];
  private engine: EngineService | undefined;
  private host: ProviderHost | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private isolation: ProviderHostIsolation;

  constructor(private readonly options: RunnerOptions) {
    this.isolation = options.providerHostIsolation ?? "process";
    const stack = options.stack ?? "dev";
    this.identity = { project: options.project ?? readProjectName(options.projectDir), stack };
    this.checkpointPath = options.checkpointPath ?? path.join(options.projectDir, ".runner", `${stack}.json`);
    this.store = new CheckpointStore(this.checkpointPath, this.identity, options.secretsPassphrase ?? "");
    this.programPath = path.resolve(
      options.projectDir,
      options.program ?? defaultProgram(options.projectDir),
    );
  }

  /** Check and Diff only: reports the planned steps and calls no Create, Update or Delete. */
  preview(options: UpOptions = {}): Promise<OperationResult> {
    return this.serialize(() => this.deploy(true, options));
  }

  /** Runs the program and brings the stack to match it. */
  up(options: UpOptions = {}): Promise<OperationResult> {
    return this.serialize(() => this.deploy(false, options));
  }

  /** `up` that imports the named resources (name or URN → id) instead of creating them. */
  import(ids: Record<string, string>, options: OperationOptions = {}): Promise<OperationResult> {
    return this.up({ ...options, imports: ids });
  }

  /** Reads every resource in state; drops those whose Read returns no id. */
  refresh(options: OperationOptions = {}): Promise<OperationResult> {
    return this.serialize(async () => {
      const operation = await this.begin(false);
      const limiter = new Limiter(this.options.parallel ?? DEFAULT_PARALLEL);
      const resources = operation.state.resources.filter((resource) => resource.custom && resource.id);
      await Promise.all(resources.map((resource) => limiter.run(() => refreshResource(operation, resource))));
      return this.end(operation, options);
    });
  }

  /** Deletes every resource in state, dependents first. */
  destroy(options: OperationOptions = {}): Promise<OperationResult> {
    return this.serialize(async () => {
      const operation = await this.begin(false);
      for (const resource of [...operation.state.resources].reverse()) {
        if (!(await deleteResource(operation, resource, "delete"))) {
          break;
        }
      }
      if (!operation.failed) {
        operation.state.outputs = {};
        operation.save();
      }
      return this.end(operation, options);
    });
  }

  /**
   * Kills the dynamic-provider host (SIGKILL) and starts a fresh one, configured again. Waits for a
   * running operation to finish first; to interrupt one, kill {@link providerHostPid} instead.
   * `isolation` changes where this host and the later ones run (a retry "in a new container").
   */
  restartProviderHost(options: { isolation?: ProviderHostIsolation } = {}): Promise<void> {
    return this.serialize(async () => {
      if (options.isolation !== undefined) this.isolation = options.isolation;
      await this.host?.stop();
      this.host = undefined;
      await this.ensureHost();
    });
  }

  /** The process id of the current dynamic-provider host, if one runs. */
  get providerHostPid(): number | undefined {
    return this.host?.pid;
  }

  /** The current host's pid as it sees itself (1 when it runs in a fresh PID namespace). */
  get providerHostOwnPid(): number | undefined {
    return this.host?.ownPid;
  }

  /** The resources in the checkpoint (secrets unwrapped only in memory). */
  resources(): ResourceState[] {
    return this.store.load().resources;
  }

  /**
   * Stops the provider host and the Engine service: the host at once (an operation still running fails its
   * remaining provider calls), then, once that operation has ended, the Engine service.
   */
  async close(): Promise<void> {
    const host = this.host;
    this.host = undefined;
    await host?.stop();
    return this.serialize(async () => {
      await this.host?.stop();
      this.host = undefined;
      await this.engine?.close();
      this.engine = undefined;
    });
  }

  private async deploy(preview: boolean, options: UpOptions): Promise<OperationResult> {
    const operation = await this.begin(preview);
    const deployment = new Deployment(
      operation,
      this.identity,
      new Limiter(this.options.parallel ?? DEFAULT_PARALLEL),
      options.imports ?? {},
    );
    const stackUrn = makeUrn(
      this.identity,
      "pulumi:pulumi:Stack",
      `${this.identity.project}-${this.identity.stack}`,
      "",
    );
    const run = await runProgram(
      {
        start: {
          projectDir: this.options.projectDir,
          programPath: this.programPath,
          ...this.identity,
          preview,
        },
        env: { ...this.programConfigEnv(), ...this.options.env },
      },
      {
        register: (registration) => deployment.register(registration),
        read: (request) => deployment.read(request),
        onOutputs: (urn, outputs) => this.recordOutputs(operation, urn, stackUrn, outputs),
        onDiagnostic: (diagnostic) => operation.diagnostics.push(diagnostic),
      },
    );
    await deployment.settle();
    if (run.error !== undefined) {
      if (operation.failed) {
        operation.diagnostics.push({ severity: "error", message: run.error, source: "program" });
      } else {
        operation.fail({ operation: "program", message: run.error });
      }
    }
    await deployment.finish();
    return this.end(operation, options);
  }

  private recordOutputs(operation: Operation, urn: string, stackUrn: string, outputs: PropertyMap): void {
    if (urn === stackUrn) {
      operation.stackOutputs = outputs;
    }
    if (operation.preview) {
      return;
    }
    if (urn === stackUrn) {
      operation.state.outputs = outputs;
    }
    const resource = operation.find(urn);
    if (resource && !resource.custom) {
      operation.put({ ...resource, outputs });
    }
  }

  private async begin(preview: boolean): Promise<Operation> {
    const diagnostics: Diagnostic[] = [];
    this.sink.length = 0;
    this.sink.push(diagnostics);
    const host = await this.ensureHost();
    const operation = new Operation(host, this.store.load(), preview ? undefined : this.store, preview);
    operation.diagnostics.push(...diagnostics);
    reportInterruptedOperations(operation);
    this.sink[0] = operation.diagnostics;
    return operation;
  }

  private end(operation: Operation, options: OperationOptions): OperationResult {
    const result = operation.result();
    if (result.errors.length > 0 && !options.allowErrors) {
      throw new LifecycleError(result);
    }
    return result;
  }

  private async ensureHost(): Promise<ProviderHost> {
    if (this.host) {
      return this.host;
    }
    const onDiagnostic = (diagnostic: Diagnostic): void => {
      this.sink[0]?.push(diagnostic);
    };
    this.engine ??= await startEngineService(onDiagnostic);
    const host = await ProviderHost.start({
      projectDir: this.options.projectDir,
      engineAddress: this.engine.address,
      ...this.identity,
      onDiagnostic,
      ...(this.options.env ? { env: this.options.env } : {}),
      isolation: this.isolation,
    });
    try {
      await host.configure(this.configureArgs());
    } catch (error) {
      await host.stop();
      throw new Error(`Configure failed: ${messageOf(error)}`);
    }
    this.host = host;
    return host;
  }

  /** Configure's args: every config value, secrets wrapped as Pulumi secrets. */
  private configureArgs(): PropertyMap {
    const args: PropertyMap = {};
    for (const [key, value] of Object.entries(this.options.config ?? {})) {
      args[key] = typeof value === "string" ? value : makeSecret(value.value);
    }
    return args;
  }

  /** The program's config, as the language host passes it (`PULUMI_CONFIG`, `PULUMI_CONFIG_SECRET_KEYS`). */
  private programConfigEnv(): Record<string, string> {
    const config: Record<string, string> = {};
    const secret: string[] = [];
    for (const [key, value] of Object.entries(this.options.config ?? {})) {
      config[key] = typeof value === "string" ? value : value.value;
      if (typeof value !== "string") {
        secret.push(key);
      }
    }
    return { PULUMI_CONFIG: JSON.stringify(config), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secret) };
  }

  /** Runs operations one at a time, as one stack allows one update at a time. */
  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** An operation {@link runOperation} can run. */
export type OperationName = "preview" | "up" | "refresh" | "destroy";

/**
 * One operation with a runner made for it and closed after: the simplest way to run a program file
 * from a project directory against stack config.
 *
 * @example
 * ```ts
 * const result = await runOperation({ projectDir, program: "index.js", config }, "up");
 * console.log(result.summary, result.outputs, result.diagnostics);
 * ```
 */
export async function runOperation(
  options: RunnerOptions,
  operation: OperationName,
  operationOptions: UpOptions = {},
): Promise<OperationResult> {
  const runner = new LifecycleRunner(options);
  try {
    switch (operation) {
      case "preview":
        return await runner.preview(operationOptions);
      case "up":
        return await runner.up(operationOptions);
      case "refresh":
        return await runner.refresh(operationOptions);
      case "destroy":
        return await runner.destroy(operationOptions);
      default: {
        const unexpected: never = operation;
        throw new Error(`unknown operation ${String(unexpected)}`);
      }
    }
  } finally {
    await runner.close();
  }
}

function readProjectName(projectDir: string): string {
  const file = path.join(projectDir, "Pulumi.yaml");
  const match = fs.existsSync(file) ? /^name:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(file, "utf8")) : null;
  if (!match?.[1]) {
    throw new Error(`${file} does not name the project (expected a "name:" line)`);
  }
  return match[1];
}

/**
 * The program the Pulumi CLI would run: `main` in Pulumi.yaml names a file or a folder relative to the
 * project (the repository root's Pulumi.yaml points at examples/restore-drill/); a folder's program is
 * its package.json `main`, else its index.js.
 */
function defaultProgram(projectDir: string): string {
  const yamlMain = readPulumiYamlMain(projectDir);
  const base = yamlMain === undefined ? projectDir : path.resolve(projectDir, yamlMain);
  if (yamlMain !== undefined && fs.existsSync(base) && fs.statSync(base).isFile()) {
    return base;
  }
  const manifest = path.join(base, "package.json");
  if (fs.existsSync(manifest)) {
    const main = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { main?: unknown }).main;
    if (typeof main === "string") {
      return path.resolve(base, main);
    }
  }
  return path.join(base, "index.js");
}

function readPulumiYamlMain(projectDir: string): string | undefined {
  const file = path.join(projectDir, "Pulumi.yaml");
  const match = fs.existsSync(file) ? /^main:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(file, "utf8")) : null;
  return match?.[1];
}
