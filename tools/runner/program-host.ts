// The program host: a child process, started by the runner with the Pulumi project as its working
// directory, that runs one Pulumi program under `pulumi.runtime.setMocks` applied to the project's own
// `@pulumi/pulumi` (the copy the installed package also loads). Its resource monitor forwards every
// registration, in the wire form the engine would receive, to the runner and waits for the real
// outcome, so outputs of created resources flow to dependent resources as they do under the engine.
import { createRequire } from "node:module";
import * as path from "node:path";
import type { PropertyMap } from "./properties";
import type { HostMessage, ReadRequest, RunnerMessage, StartMessage } from "./protocol";
import type { Registration, RegistrationOutcome } from "./types";

/** The slice of a protobuf Struct the host uses. */
interface StructLike {
  toJavaScript(): PropertyMap;
}

interface StructClass {
  fromJavaScript(value: PropertyMap): unknown;
}

/** The getters of `pulumirpc.RegisterResourceRequest` the host reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): StructLike | undefined;
  getDependenciesList(): string[];
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getImportid(): string;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getRetainondelete(): boolean;
  getProvider(): string;
}

interface ReadResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getId(): string;
  getProperties(): StructLike | undefined;
  getDependenciesList(): string[];
}

interface OutputsRequest {
  getUrn(): string;
  getOutputs(): StructLike | undefined;
}

type Callback = (error: Error | null, response?: unknown) => void;

interface Monitor {
  resources: Map<string, { urn: string; id: string | null; state: PropertyMap }>;
  registerResource(request: RegisterRequest, callback: Callback): void;
  readResource(request: ReadResourceRequest, callback: Callback): void;
  registerResourceOutputs(request: OutputsRequest, callback: Callback): void;
}

interface PulumiRuntime {
  setMocks(mocks: unknown, project: string, stack: string, preview: boolean): Promise<void>;
  getMonitor(): Monitor;
  runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
  waitForRPCs(): Promise<void>;
}

interface ResponseClass {
  new (): {
    setUrn(urn: string): void;
    setId?(id: string): void;
    setObject?(object: unknown): void;
    setProperties?(object: unknown): void;
  };
}

// Modules are loaded by path at run time (from the project's node_modules, or the program itself).
const load = createRequire(__filename);

let nextSeq = 0;
const pending = new Map<
  number,
  { resolve: (outcome: RegistrationOutcome) => void; reject: (error: Error) => void }
>();

function send(message: HostMessage): void {
  process.send?.(message);
}

function ask(build: (seq: number) => HostMessage): Promise<RegistrationOutcome> {
  const seq = nextSeq++;
  return new Promise<RegistrationOutcome>((resolve, reject) => {
    pending.set(seq, { resolve, reject });
    send(build(seq));
  });
}

function toRegistration(request: RegisterRequest): Registration {
  return {
    type: request.getType(),
    name: request.getName(),
    custom: request.getCustom(),
    parent: request.getParent(),
    object: request.getObject()?.toJavaScript() ?? {},
    dependencies: request.getDependenciesList(),
    ...(request.getDeletebeforereplacedefined()
      ? { deleteBeforeReplace: request.getDeletebeforereplace() }
      : {}),
    importId: request.getImportid(),
    ignoreChanges: request.getIgnorechangesList(),
    replaceOnChanges: request.getReplaceonchangesList(),
    retainOnDelete: request.getRetainondelete(),
    provider: request.getProvider(),
  };
}

function toReadRequest(request: ReadResourceRequest): ReadRequest {
  return {
    type: request.getType(),
    name: request.getName(),
    id: request.getId(),
    parent: request.getParent(),
    object: request.getProperties()?.toJavaScript() ?? {},
    dependencies: request.getDependenciesList(),
  };
}

/** Replaces the mock monitor's resource calls with ones that ask the runner. */
function installMonitor(pulumiDir: string, monitor: Monitor): void {
  const resourceProto = load(path.join(pulumiDir, "proto", "resource_pb")) as Record<string, ResponseClass>;
  const structPath = require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] });
  const Struct = (load(structPath) as { Struct: StructClass }).Struct;

  const remember = (outcome: RegistrationOutcome): void => {
    monitor.resources.set(outcome.urn, { urn: outcome.urn, id: outcome.id || null, state: outcome.object });
  };
  monitor.registerResource = (request, callback) => {
    ask((seq) => ({ kind: "register", seq, registration: toRegistration(request) })).then(
      (outcome) => {
        remember(outcome);
        const response = new resourceProto.RegisterResourceResponse();
        response.setUrn(outcome.urn);
        response.setId?.(outcome.id);
        response.setObject?.(Struct.fromJavaScript(outcome.object));
        callback(null, response);
      },
      (error: Error) => callback(error),
    );
  };
  monitor.readResource = (request, callback) => {
    ask((seq) => ({ kind: "read", seq, read: toReadRequest(request) })).then(
      (outcome) => {
        remember(outcome);
        const response = new resourceProto.ReadResourceResponse();
        response.setUrn(outcome.urn);
        response.setProperties?.(Struct.fromJavaScript(outcome.object));
        callback(null, response);
      },
      (error: Error) => callback(error),
    );
  };
  monitor.registerResourceOutputs = (request, callback) => {
    send({ kind: "outputs", urn: request.getUrn(), outputs: request.getOutputs()?.toJavaScript() ?? {} });
    callback(null, {});
  };
}

function loadProgram(start: StartMessage): Promise<unknown> {
  if (start.programPath.endsWith(".ts")) {
    // Pulumi's language host compiles TypeScript with ts-node; use the project's copy, else the runner's.
    const tsNode = require.resolve("ts-node/register/transpile-only", {
      paths: [start.projectDir, __dirname],
    });
    load(tsNode);
  }
  const loaded = load(start.programPath) as unknown;
  const entry = (loaded as { default?: unknown } | undefined)?.default;
  if (typeof loaded === "function") {
    return Promise.resolve((loaded as () => unknown)());
  }
  if (typeof entry === "function") {
    return Promise.resolve((entry as () => unknown)());
  }
  return Promise.resolve(loaded);
}

async function run(start: StartMessage): Promise<void> {
  const pulumiEntry = require.resolve("@pulumi/pulumi", { paths: [start.projectDir] });
  const pulumiDir = path.dirname(pulumiEntry);
  const runtime = load(path.join(pulumiDir, "runtime")) as PulumiRuntime;
  const mocks = {
    newResource: () => Promise.reject(new Error("the runner's monitor handles registrations")),
    call: (args: { token: string }) =>
      Promise.reject(new Error(`the lifecycle runner does not support invoke ${args.token}`)),
  };
  await runtime.setMocks(mocks, start.project, start.stack, start.preview);
  installMonitor(pulumiDir, runtime.getMonitor());
  await runtime.runInPulumiStack(() => loadProgram(start));
  await runtime.waitForRPCs();
}

const programErrors: string[] = [];

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

process.on("unhandledRejection", (reason) => programErrors.push(describe(reason)));
process.on("uncaughtException", (error) => programErrors.push(describe(error)));

process.on("message", (message: RunnerMessage) => {
  if (message.kind === "registered") {
    const waiter = pending.get(message.seq);
    pending.delete(message.seq);
    if (message.outcome) {
      waiter?.resolve(message.outcome);
    } else {
      waiter?.reject(new Error(message.error ?? "registration failed"));
    }
    return;
  }
  run(message).then(
    () =>
      send(
        programErrors.length === 0 ? { kind: "done" } : { kind: "failed", message: programErrors.join("\n") },
      ),
    (error: unknown) => send({ kind: "failed", message: [describe(error), ...programErrors].join("\n") }),
  );
});
