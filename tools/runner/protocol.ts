// Messages between the runner and the program host (a child process), over Node's IPC channel.
import type { PropertyMap } from "./properties";
import type { Registration, RegistrationOutcome } from "./types";

/** Runner → program host: run the program. */
export interface StartMessage {
  kind: "start";
  projectDir: string;
  /** Absolute path of the program's entry module. */
  programPath: string;
  project: string;
  stack: string;
  preview: boolean;
}

/** Runner → program host: the outcome of one registration. */
export interface RegisteredMessage {
  kind: "registered";
  seq: number;
  outcome?: RegistrationOutcome;
  error?: string;
}

/** A `Resource.get`-style read the program asked for. */
export interface ReadRequest {
  type: string;
  name: string;
  id: string;
  parent: string;
  object: PropertyMap;
  dependencies: string[];
}

/** Program host → runner. */
export type HostMessage =
  | { kind: "register"; seq: number; registration: Registration }
  | { kind: "read"; seq: number; read: ReadRequest }
  | { kind: "outputs"; urn: string; outputs: PropertyMap }
  | { kind: "done" }
  | { kind: "failed"; message: string };

/** Runner → program host. */
export type RunnerMessage = StartMessage | RegisteredMessage;
