// The runner's side of a program run: forks the program host, answers its registrations through the
// given handlers and collects the stack outputs.
import { fork } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import { repositoryDir } from "../repository";
import type { PropertyMap } from "./properties";
import type { HostMessage, ReadRequest, RunnerMessage, StartMessage } from "./protocol";
import type { Diagnostic, Registration, RegistrationOutcome } from "./types";

/** What the runner does with the program's requests. */
export interface ProgramHandlers {
  register(registration: Registration): Promise<RegistrationOutcome>;
  read(read: ReadRequest): Promise<RegistrationOutcome>;
  onOutputs(urn: string, outputs: PropertyMap): void;
  onDiagnostic(diagnostic: Diagnostic): void;
}

/** How a program run ended. */
export interface ProgramRun {
  /** Set when the program threw or a registration it awaited failed. */
  error?: string;
}

/** Options for {@link runProgram}. */
export interface RunProgramOptions {
  start: Omit<StartMessage, "kind">;
  /** Extra environment for the program (the stack config goes here). */
  env: Record<string, string>;
}

/** Runs the program to completion in a child process. */
export function runProgram(options: RunProgramOptions, handlers: ProgramHandlers): Promise<ProgramRun> {
  const extension = path.extname(__filename);
  const hostPath = path.join(__dirname, `program-host${extension}`);
  // Run from source (tests), the host is TypeScript: ts-node must use this repository's tsconfig,
  // not whatever it would find from the project directory.
  const tsNodeEnv =
    extension === ".ts" ? { TS_NODE_PROJECT: path.join(repositoryDir(), "tsconfig.json") } : {};
  const child = fork(hostPath, [], {
    cwd: options.start.projectDir,
    env: { ...process.env, ...tsNodeEnv, ...options.env },
    execArgv: extension === ".ts" ? ["-r", require.resolve("ts-node/register/transpile-only")] : [],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const stderrTail: string[] = [];
  const pipe = (stream: NodeJS.ReadableStream | null, severity: Diagnostic["severity"]): void => {
    if (stream) {
      readline.createInterface({ input: stream }).on("line", (line) => {
        handlers.onDiagnostic({ severity, message: line, source: "program" });
        if (severity === "warning") {
          stderrTail.push(line);
          stderrTail.splice(0, stderrTail.length - 20);
        }
      });
    }
  };
  pipe(child.stdout, "info");
  pipe(child.stderr, "warning");

  return new Promise<ProgramRun>((resolve) => {
    let settled = false;
    const finish = (run: ProgramRun): void => {
      if (!settled) {
        settled = true;
        child.kill();
        resolve(run);
      }
    };
    const reply = (message: RunnerMessage): void => {
      // A registration can finish after the program is over (the host is stopped once it reports done or
      // failed); nothing waits for that reply. The callback keeps a failed write (EPIPE) from becoming an
      // unhandled 'error' event on the child.
      if (!settled && child.connected) {
        child.send(message, () => undefined);
      }
    };
    const answer = (seq: number, work: Promise<RegistrationOutcome>): void => {
      work.then(
        (outcome) => reply({ kind: "registered", seq, outcome }),
        (error: unknown) =>
          reply({ kind: "registered", seq, error: error instanceof Error ? error.message : String(error) }),
      );
    };
    child.on("message", (message: HostMessage) => {
      switch (message.kind) {
        case "register":
          answer(message.seq, handlers.register(message.registration));
          break;
        case "read":
          answer(message.seq, handlers.read(message.read));
          break;
        case "outputs":
          handlers.onOutputs(message.urn, message.outputs);
          break;
        case "done":
          finish({});
          break;
        case "failed":
          finish({ error: message.message });
          break;
        default: {
          const unexpected: never = message;
          throw new Error(`unexpected message from the program host: ${JSON.stringify(unexpected)}`);
        }
      }
    });
    child.once("exit", (code, signal) => {
      const tail = stderrTail.length > 0 ? `:\n${stderrTail.join("\n")}` : "";
      finish({ error: `the program host exited (${code ?? signal}) before the program finished${tail}` });
    });
    child.send({ kind: "start", ...options.start } satisfies StartMessage);
  });
}
