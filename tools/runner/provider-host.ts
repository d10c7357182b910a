// The SDK's dynamic-provider host, started the way the engine starts a provider plugin: a child
// `node <project>/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js <engineAddress>` in the
// project directory, whose first stdout line is the port of its ResourceProvider gRPC server.
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as providerrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import type { PropertyMap } from "./properties";
import type { Diagnostic } from "./types";

const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;
const INIT_FAILED_TYPE = "pulumirpc.ErrorResourceInitFailed";

/** The `DiffResponse.DiffChanges` values. */
export type DiffChanges = "unknown" | "none" | "some";

/** A provider diff as the engine reads it. */
export interface DiffResult {
  changes: DiffChanges;
  replaces: string[];
  diffs: string[];
  deleteBeforeReplace: boolean;
}

/**
 * A create or update that failed after the resource came into being (`ErrorResourceInitFailed` in
 * `grpc-status-details-bin`): the engine keeps `id` and `properties` in state.
 */
export class ResourceInitError extends Error {
  /** Brand for {@link ResourceInitError.isInstance}. */
  readonly brand = "ResourceInitError";
  constructor(
    message: string,
    readonly id: string,
    readonly properties: PropertyMap,
    readonly reasons: string[],
  ) {
    super(message);
    this.name = "ResourceInitError";
  }

  /** Whether `value` is a {@link ResourceInitError}, across module copies. */
  static isInstance(value: unknown): value is ResourceInitError {
    return value instanceof Error && (value as Partial<ResourceInitError>).brand === "ResourceInitError";
  }
}

/**
 * Where the provider host runs. `process` (the default): a plain child process, as the CLI starts a
 * plugin. `pidNamespace`: in a fresh PID namespace (`unshare --pid --fork --mount-proc --kill-child`,
 * Linux, root or user namespaces), as a retried CI job's new container would run it: the host is pid 1
 * there, so every such host has the pid the previous one had, and it sees only its own processes. A
 * test uses it to retry after a kill "in a new container"; nothing else about the host changes.
 */
export type ProviderHostIsolation = "process" | "pidNamespace";

/** Options for {@link ProviderHost.start}. */
export interface ProviderHostOptions {
  projectDir: string;
  engineAddress: string;
  project: string;
  stack: string;
  onDiagnostic: (diagnostic: Diagnostic) => void;
  env?: Record<string, string>;
  /** Default `process`; see {@link ProviderHostIsolation}. */
  isolation?: ProviderHostIsolation;
}

/** The command that starts `args` (node and its arguments) under `isolation`. */
function launchCommand(isolation: ProviderHostIsolation, args: string[]): [string, string[]] {
  switch (isolation) {
    case "process":
      return [process.execPath, args];
    case "pidNamespace":
      // --fork: the namespace's first process (pid 1) is the host itself, not unshare;
      // --kill-child: the host dies with unshare, so stopping unshare never leaves it running.
      return ["unshare", ["--pid", "--fork", "--mount-proc", "--kill-child", process.execPath, ...args]];
  }
}

/**
 * The host's own pid, as this process sees it: the child itself, or under `pidNamespace` unshare's
 * only child (read once the host has printed its port, so it exists).
 */
function hostPid(child: ChildProcess, isolation: ProviderHostIsolation): number | undefined {
  if (isolation === "process" || child.pid === undefined) return child.pid;
  const children = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim();
  const pid = Number(children.split(/\s+/)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** A running dynamic-provider host and a gRPC client connected to it. */
export class ProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: providerrpc.ResourceProviderClient,
    private readonly exited: Promise<void>,
    private readonly hostProcessId: number | undefined,
  ) {}

  /** Starts the host and connects to it. */
  static async start(options: ProviderHostOptions): Promise<ProviderHost> {
    const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", {
      paths: [options.projectDir],
    });
    const [command, args] = launchCommand(options.isolation ?? "process", [entry, options.engineAddress]);
    const child = spawn(command, args, {
      cwd: options.projectDir,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        // The host reads its engine address and project from these, like any SDK process.
        PULUMI_NODEJS_ENGINE: options.engineAddress,
        PULUMI_NODEJS_PROJECT: options.project,
        PULUMI_NODEJS_STACK: options.stack,
        PULUMI_NODEJS_ROOT_DIRECTORY: options.projectDir,
        ...options.env,
      },
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const port = await readPort(child, options.onDiagnostic);
    const client = new providerrpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
      {
        "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
        "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
      },
    );
    return new ProviderHost(child, client, exited, hostPid(child, options.isolation ?? "process"));
  }

  /** The host's process id as this process sees it (for tests that interrupt it with a signal). */
  get pid(): number | undefined {
    return this.hostProcessId;
  }

  /**
   * The host's pid as the host itself sees it (`process.pid` inside it): the same as {@link pid} for a
   * plain child, 1 in a fresh PID namespace. Read from the `NSpid` line of `/proc/<pid>/status`.
   */
  get ownPid(): number | undefined {
    if (this.hostProcessId === undefined) return undefined;
    const status = fs.readFileSync(`/proc/${this.hostProcessId}/status`, "utf8");
    const nspid = /^NSpid:\s+(.*)$/m.exec(status)?.[1].trim().split(/\s+/).pop();
    return nspid === undefined ? this.hostProcessId : Number(nspid);
  }

  /** Sends the stack configuration; values are already in wire form (secrets as signature objects). */
  async configure(config: PropertyMap): Promise<{ acceptSecrets: boolean }> {
    const request = new providerproto.ConfigureRequest();
    request.setArgs(structproto.Struct.fromJavaScript(config));
    request.setAcceptsecrets(true);
    request.setAcceptresources(true);
    const response = await this.call<providerproto.ConfigureResponse>((callback) =>
      this.client.configure(request, callback),
    );
    return { acceptSecrets: response.getAcceptsecrets() };
  }

  /** Check: returns the checked inputs and any failures. */
  async check(
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
  ): Promise<{ inputs: PropertyMap; failures: { property: string; reason: string }[] }> {
    const request = new providerproto.CheckRequest();
    request.setUrn(urn);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    const response = await this.call<providerproto.CheckResponse>((callback) =>
      this.client.check(request, callback),
    );
    return {
      inputs: fromStruct(response.getInputs()),
      failures: response
        .getFailuresList()
        .map((failure) => ({ property: failure.getProperty(), reason: failure.getReason() })),
    };
  }

  /** Diff: `olds` are the stored outputs, `news` the checked inputs. */
  async diff(
    urn: string,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<DiffResult> {
    const request = new providerproto.DiffRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    request.setOldInputs(toStruct(oldInputs));
    const response = await this.call<providerproto.DiffResponse>((callback) =>
      this.client.diff(request, callback),
    );
    const changes = response.getChanges();
    const Changes = providerproto.DiffResponse.DiffChanges;
    return {
      changes: changes === Changes.DIFF_SOME ? "some" : changes === Changes.DIFF_NONE ? "none" : "unknown",
      replaces: response.getReplacesList(),
      diffs: response.getDiffsList(),
      deleteBeforeReplace: response.getDeletebeforereplace(),
    };
  }

  /** Create; a partial creation rejects with {@link ResourceInitError}. */
  async create(urn: string, properties: PropertyMap): Promise<{ id: string; properties: PropertyMap }> {
    const request = new providerproto.CreateRequest();
    request.setUrn(urn);
    request.setProperties(toStruct(properties));
    const response = await this.call<providerproto.CreateResponse>((callback) =>
      this.client.create(request, callback),
    );
    return { id: response.getId(), properties: fromStruct(response.getProperties()) };
  }

  /**
   * Read: an empty `id` in the result means the resource no longer exists. `properties` (the state)
   * and `inputs` left undefined are not sent at all, as the engine sends neither on import;
   * `hasProperties` says whether the answer carried properties (the engine's "does not exist" test on
   * import).
   */
  async read(
    urn: string,
    id: string,
    properties: PropertyMap | undefined,
    inputs: PropertyMap | undefined,
  ): Promise<{ id: string; properties: PropertyMap; hasProperties: boolean; inputs?: PropertyMap }> {
    const request = new providerproto.ReadRequest();
    request.setUrn(urn);
    request.setId(id);
    if (properties !== undefined) request.setProperties(toStruct(properties));
    if (inputs !== undefined) request.setInputs(toStruct(inputs));
    const response = await this.call<providerproto.ReadResponse>((callback) =>
      this.client.read(request, callback),
    );
    const returnedInputs = response.getInputs();
    return {
      id: response.getId(),
      properties: fromStruct(response.getProperties()),
      hasProperties: response.hasProperties(),
      ...(returnedInputs ? { inputs: fromStruct(returnedInputs) } : {}),
    };
  }

  /** Update; a partial failure rejects with {@link ResourceInitError}. */
  async update(
    urn: string,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<PropertyMap> {
    const request = new providerproto.UpdateRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    request.setOldInputs(toStruct(oldInputs));
    const response = await this.call<providerproto.UpdateResponse>((callback) =>
      this.client.update(request, callback),
    );
    return fromStruct(response.getProperties());
  }

  /** Delete. */
  async delete(urn: string, id: string, properties: PropertyMap, oldInputs: PropertyMap): Promise<void> {
    const request = new providerproto.DeleteRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(toStruct(properties));
    request.setOldInputs(toStruct(oldInputs));
    await this.call<emptyproto.Empty>((callback) => this.client.delete(request, callback));
  }

  /** Closes the client and kills the host (SIGKILL: an interruption, not a graceful stop). */
  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGKILL");
    }
    await this.exited;
  }

  private call<Res>(
    start: (callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
  ): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      start((error, response) => (error ? reject(toProviderError(error)) : resolve(response)));
    });
  }
}

function toStruct(map: PropertyMap): structproto.Struct {
  return structproto.Struct.fromJavaScript(map);
}

function fromStruct(struct: structproto.Struct | undefined): PropertyMap {
  return struct?.toJavaScript() ?? {};
}

/** Turns a gRPC error into an Error, or a {@link ResourceInitError} when it carries the detail. */
function toProviderError(error: grpc.ServiceError): Error {
  const message = error.details || error.message;
  const [detailBytes] = error.metadata?.get("grpc-status-details-bin") ?? [];
  if (detailBytes instanceof Buffer) {
    const status = statusproto.Status.deserializeBinary(detailBytes);
    for (const detail of status.getDetailsList()) {
      if (detail.getTypeName() === INIT_FAILED_TYPE || detail.getTypeUrl().endsWith(`/${INIT_FAILED_TYPE}`)) {
        const failed = providerproto.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
        return new ResourceInitError(
          message,
          failed.getId(),
          fromStruct(failed.getProperties()),
          failed.getReasonsList(),
        );
      }
    }
  }
  return new Error(message);
}

/** Waits for the host's first stdout line (its port); later lines and stderr become diagnostics. */
function readPort(child: ChildProcess, onDiagnostic: (diagnostic: Diagnostic) => void): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let port: number | undefined;
    const stdout = readline.createInterface({ input: child.stdout! });
    stdout.on("line", (line) => {
      if (port === undefined) {
        port = Number(line.trim());
        if (Number.isInteger(port) && port > 0) {
          resolve(port);
        } else {
          reject(new Error(`dynamic-provider host printed "${line}" instead of its port`));
        }
        return;
      }
      onDiagnostic({ severity: "info", message: line, source: "provider-stdout" });
    });
    const stderr = readline.createInterface({ input: child.stderr! });
    stderr.on("line", (line) =>
      onDiagnostic({ severity: "warning", message: line, source: "provider-stderr" }),
    );
    child.once("exit", (code, signal) => {
      if (port === undefined) {
        reject(new Error(`dynamic-provider host exited (${code ?? signal}) before printing its port`));
      }
    });
    child.once("error", reject);
  });
}

/** The directory of the `@pulumi/pulumi` a project uses (its `node_modules` copy). */
export function pulumiPackageDir(projectDir: string): string {
  return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectDir] }));
}
