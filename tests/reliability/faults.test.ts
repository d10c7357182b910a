/**
 * The fault matrix: every Graph call the provider makes × every fault the emulator can script, through
 * the lifecycle runner and the installed tarball. Each cell ends in success after retries or in a clear
 * error; afterwards the emulator holds exactly the sessions the checkpoint says, and a run without the
 * fault finishes the work. Cells that share an operation are scoped to one session each by path, so a
 * handful of `up`/`refresh`/`destroy` runs cover the whole matrix.
 */
import { expect } from "chai";
import { emulatorStackConfig, type Emulator, type FaultAction, type FaultRule } from "../../tools/emulator";
import type { OperationResult } from "../../tools/runner";
import { startTestEmulator } from "../helpers/emulator";
import {
  allMessages,
  consistency,
  mixedProgram,
  nameOf,
  RelStack,
  sessionMark,
  sessionsInEmulator,
  sharedInstall,
  unclearReason,
  unitPoints,
  type MixedDecl,
  itTolerant,
} from "./fixture";
import { tally } from "./summary";

type FaultName =
  "429 s" | "429 date" | "503" | "504" | "reset" | "hang" | "malformed JSON" | "HTML page" | "ambiguous";
type CallName = "create" | "patch" | "activate" | "get" | "list" | "delete" | "search" | "token";

const FAULTS: Record<FaultName, FaultAction> = {
  "429 s": { kind: "throttle", retryAfterSeconds: 1 },
  "429 date": { kind: "throttle", retryAfterSeconds: 1, retryAfterAsDate: true },
  "503": { kind: "status", status: 503 },
  "504": { kind: "status", status: 504 },
  reset: { kind: "reset" },
  hang: { kind: "hang" },
  "malformed JSON": { kind: "malformedJson" },
  "HTML page": { kind: "htmlError" },
  ambiguous: { kind: "ambiguous" },
};
// Listed, not Object.keys: integer-like keys ("503") would come first.
const FAULT_NAMES: FaultName[] = [
  "429 s",
  "429 date",
  "503",
  "504",
  "reset",
  "hang",
  "malformed JSON",
  "HTML page",
  "ambiguous",
];
const CALLS: CallName[] = ["create", "patch", "activate", "get", "list", "delete", "search", "token"];

/**
 * Cells the provider settles on its own, so they must end in success: Graph documents 429 and 503 as
 * "retry after the wait"; a request whose outcome is unknown (504, reset, no answer, the answer lost)
 * is sent again when that is safe and settled by reading what Graph holds when it is not; and a write
 * answered 2xx with an unreadable body is settled by reading too. Everything else may end in a clear
 * error (a proxy's HTML page, a read answered with an unreadable body).
 */
function mustSucceed(call: CallName, fault: FaultName): boolean {
  switch (fault) {
    case "429 s":
    case "429 date":
    case "503":
    case "504":
    case "reset":
    case "hang":
    case "ambiguous":
      return true;
    case "malformed JSON":
      return call === "create" || call === "patch" || call === "activate";
    case "HTML page":
      return false;
  }
}

/** Faults each call is tried with: all of them, and the ambiguous write for the writes. */
function faultsFor(call: CallName): FaultName[] {
  const writes: CallName[] = ["create", "patch", "activate", "delete"];
  return FAULT_NAMES.filter((fault) => fault !== "ambiguous" || writes.includes(call));
}

/**
 * The stack's `m365-backup:requestTimeoutSeconds`: a hanging request costs this much per attempt. Short,
 * so the hang cells take seconds, and long enough that a request of a loaded machine never reaches it.
 */
const REQUEST_TIMEOUT_SECONDS = "3";

type Outcome = "ok" | "error" | "FAIL" | "n/a";
const matrix = new Map<string, Outcome>();
const failures: string[] = [];
/** One error message per cell that ended in an error, printed under the matrix. */
const examples = new Map<string, string>();
const cell = (call: CallName, fault: FaultName): string => `${call}/${fault}`;
/** The program resource of a per-session cell, e.g. `patch-HTMLpage`. */
const slug = (call: CallName, fault: FaultName): string => `${call}-${fault.replace(/\W+/g, "")}`;

/** One armed cell: the call, the fault, the rule scripting it and the resource whose messages score it. */
interface Cell {
  readonly call: CallName;
  readonly fault: FaultName;
  readonly rule: FaultRule;
  readonly resource?: string;
}

/** Runs of one operation a fault may wait for its call; more means the call is not made at all. */
const MAX_RUNS_PER_CELL = 4;

/** Scores one cell from the messages its resource (or operation) produced. */
function score(call: CallName, fault: FaultName, messages: string[]): void {
  const key = cell(call, fault);
  let outcome: Outcome = messages.length === 0 ? "ok" : "error";
  const unclear = messages.map(unclearReason).find((reason) => reason !== undefined);
  if (unclear) {
    failures.push(`${key}: the error ${unclear}: ${messages.join(" | ").slice(0, 600)}`);
    outcome = "FAIL";
  } else if (outcome === "error" && mustSucceed(call, fault)) {
    failures.push(`${key}: expected the provider to settle it, got: ${messages.join(" | ").slice(0, 600)}`);
    outcome = "FAIL";
  }
  matrix.set(key, outcome);
  if (messages.length > 0) examples.set(key, messages[0].replace(/\s+/g, " ").slice(0, 220));
  tally("faults", outcome !== "FAIL");
}

/** Marks a cell failed after the fact (state inconsistent, or the run without fault did not finish). */
function fail(call: CallName, fault: FaultName, why: string): void {
  const key = cell(call, fault);
  if (matrix.get(key) !== "FAIL") {
    failures.push(`${key}: ${why}`);
    matrix.set(key, "FAIL");
  }
}

/** Error messages of the steps of the resource named `name` (plus its resource errors). */
function messagesOf(result: OperationResult, name: string): string[] {
  return [
    ...result.errors.filter((error) => nameOf(error.urn) === name).map((error) => error.message),
    ...result.steps
      .filter((step) => step.custom && step.name === name && step.error)
      .map((step) => step.error as string),
  ];
}

function printMatrix(): void {
  const width = 14;
  const header = ["call \\ fault".padEnd(12), ...FAULT_NAMES.map((fault) => fault.padEnd(width))].join(" ");
  const rows = CALLS.map((call) =>
    [
      call.padEnd(12),
      ...FAULT_NAMES.map((fault) => (matrix.get(cell(call, fault)) ?? "n/a").padEnd(width)),
    ].join(" "),
  );
  const values = [...matrix.values()];
  const tried = values.filter((value) => value !== "n/a").length;
  const passed = values.filter((value) => value !== "n/a" && value !== "FAIL").length;
  console.log(
    `\n      fault matrix (ok = success after retries, error = clear error then recovered; hang = no answer past m365-backup:requestTimeoutSeconds ${REQUEST_TIMEOUT_SECONDS})`,
  );
  console.log(`      ${header}\n${rows.map((row) => `      ${row}`).join("\n")}`);
  console.log(`      fault matrix: ${tried} cells tried, ${passed} passed`);
  for (const [key, message] of examples) console.log(`      ${key}: ${message}`);
  console.log("");
}

describe("reliability: the fault matrix (every Graph call × every scripted fault, through the runner)", function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let stack: RelStack;
  let before0: Set<string>;
  const program: MixedDecl[] = [];
  const ids = new Map<string, string>();

  const ruleFor = (call: CallName, fault: FaultName, id?: string): FaultRule => {
    const action = FAULTS[fault];
    const base = "/solutions/backupRestore";
    switch (call) {
      case "create":
        return { method: "POST", pattern: `${base}/exchangeRestoreSessions`, once: true, action };
      case "search":
        return { method: "POST", pattern: `${base}/restorePoints/search`, once: true, action };
      case "token":
        return { target: "token", method: "POST", once: true, action };
      case "patch":
        return { method: "PATCH", pattern: `${base}/exchangeRestoreSessions/${id}`, once: true, action };
      case "activate":
        return { method: "POST", pattern: `${base}/restoreSessions/${id}/activate`, once: true, action };
      case "get":
        return { method: "GET", pattern: `${base}/restoreSessions/${id}`, once: true, action };
      case "list":
        return {
          method: "GET",
          pattern: `${base}/exchangeRestoreSessions/${id}/mailboxRestoreArtifacts`,
          once: true,
          action,
        };
      case "delete":
        return { method: "DELETE", pattern: `${base}/restoreSessions/${id}`, once: true, action };
    }
  };

  /** Scripts the cell's fault; `resource` is the program resource whose messages score it. */
  function arm(call: CallName, fault: FaultName, resource?: string): Cell {
    const rule = ruleFor(call, fault, resource === undefined ? undefined : ids.get(resource));
    emulator.faults.add(rule);
    return { call, fault, rule, resource };
  }

  const hasFired = (armed: Cell): boolean =>
    emulator.faults.list().some((entry) => entry.rule === armed.rule && entry.fired > 0);

  async function checkConsistent(cells: Cell[], afterDestroy = false): Promise<void> {
    const problem = await consistency(emulator, stack, before0, { activatedMayBeForgotten: afterDestroy });
    if (problem) for (const { call, fault } of cells) fail(call, fault, problem);
  }

  /**
   * Runs `operation` until every cell's fault has hit, scoring each cell from the run its fault hit
   * in. Once a step fails, the engine starts no new steps in that operation, so a resource queued behind
   * the failure meets its fault in the next run. A fault that never hits fails its cell: the call it
   * scripts was not made, so nothing was tried.
   */
  async function runUntilHit(
    cells: Cell[],
    operation: () => Promise<OperationResult>,
    messages: (result: OperationResult, armed: Cell) => string[] = (result, armed) =>
      messagesOf(result, armed.resource as string),
  ): Promise<void> {
    const waiting = new Set(cells);
    for (let run = 0; run < MAX_RUNS_PER_CELL && waiting.size > 0; run++) {
      const result = await operation();
      for (const armed of [...waiting]) {
        if (hasFired(armed)) {
          score(armed.call, armed.fault, messages(result, armed));
          waiting.delete(armed);
        }
      }
      await checkConsistent(cells);
    }
    for (const armed of waiting)
      fail(
        armed.call,
        armed.fault,
        `its fault never hit in ${MAX_RUNS_PER_CELL} runs: the call was not made`,
      );
  }

  /** Runs `operation` again without faults; it must finish without errors. */
  async function recover(cells: Cell[], operation: () => Promise<OperationResult>): Promise<void> {
    emulator.faults.reset();
    const result = await operation();
    if (result.errors.length > 0) {
      for (const { call, fault } of cells)
        fail(
          call,
          fault,
          `the run without the fault failed: ${allMessages(result).join(" | ").slice(0, 400)}`,
        );
    }
    await checkConsistent(cells);
  }

  before(async () => {
    const installed = await sharedInstall();
    emulator = await startTestEmulator({ restoreMs: 20, unitsPerWorkload: 80, pageSize: 50 });
    stack = RelStack.create(emulator, installed, {
      name: "fault-matrix",
      config: {
        ...emulatorStackConfig(emulator),
        "m365-backup:requestTimeoutSeconds": REQUEST_TIMEOUT_SECONDS,
      },
    });
    before0 = await sessionMark(emulator);
  });

  after(async () => {
    printMatrix();
    await stack?.close();
    await emulator?.close();
  });

  itTolerant(
    "sets up one exchange draft per patch, activate, get, list and delete cell in one up",
    async () => {
      const perCall: CallName[] = ["patch", "activate", "get", "list", "delete"];
      const needed =
        perCall.reduce((sum, call) => sum + faultsFor(call).length, 0) + faultsFor("patch").length;
      const points = await unitPoints(emulator, "exchange", needed);
      let next = 0;
      for (const call of perCall) {
        for (const fault of faultsFor(call)) {
          program.push({
            kind: "exchange",
            name: slug(call, fault),
            args: { mailboxRestoreArtifacts: [{ restorePoint: { id: points[next++].restorePointId } }] },
          });
        }
      }
      // The patch cells add one more artifact each; keep their points aside.
      for (const fault of faultsFor("patch")) {
        const decl = program.find((candidate) => candidate.name === slug("patch", fault))!;
        (decl as MixedDecl & { extra?: string }).extra = points[next++].restorePointId;
      }
      stack.source(mixedProgram(program));
      const result = await stack.runner.up();
      expect(result.errors).to.deep.equal([]);
      for (const resource of stack.runner.resources().filter((r) => r.custom))
        ids.set(resource.name, resource.id as string);
      expect(ids.size).to.equal(program.length);
    },
  );

  itTolerant(
    "get and list: a refresh under each fault reads every session or fails clearly, and state stays exact",
    async () => {
      const cells = (["get", "list"] as CallName[]).flatMap((call) =>
        faultsFor(call).map((fault) => arm(call, fault, slug(call, fault))),
      );
      await runUntilHit(cells, () => stack.runner.refresh({ allowErrors: true }));
      await recover(cells, () => stack.runner.refresh({ allowErrors: true }));
      expect(failures.filter((f) => /^(get|list)\//.test(f))).to.deep.equal([]);
    },
  );

  itTolerant(
    "patch and activate: an up under each fault adds the artifact / activates once or fails clearly, and the next up finishes",
    async () => {
      const cells: Cell[] = [];
      for (const decl of program) {
        const [call] = decl.name.split("-") as [CallName];
        const fault = faultsFor(call).find((candidate) => slug(call, candidate) === decl.name) as FaultName;
        if (call === "patch") {
          const extra = (decl as MixedDecl & { extra?: string }).extra as string;
          const artifacts = decl.args.mailboxRestoreArtifacts as unknown[];
          decl.args = { mailboxRestoreArtifacts: [...artifacts, { restorePoint: { id: extra } }] };
        } else if (call === "activate") {
          decl.args = { ...decl.args, activate: true };
        } else {
          continue;
        }
        cells.push(arm(call, fault, decl.name));
      }
      stack.source(mixedProgram(program));
      const beforeCount = (await sessionsInEmulator(emulator)).length;
      await runUntilHit(cells, () => stack.runner.up({ allowErrors: true }));
      await recover(cells, () => stack.runner.up({ allowErrors: true }));
      const sessions = await sessionsInEmulator(emulator);
      expect(sessions.length, "no session was created by patch or activate").to.equal(beforeCount);
      for (const { call, fault, resource } of cells) {
        const id = ids.get(resource as string);
        const session = sessions.find((candidate) => candidate.id === id);
        if (call === "activate" && session?.status === "draft")
          fail(call, fault, `session ${id} is still a draft after the run without the fault`);
      }
      expect(failures.filter((f) => /^(patch|activate)\//.test(f))).to.deep.equal([]);
    },
  );

  itTolerant(
    "create and search: an up per fault creates each session exactly once or fails clearly, and the next up finishes",
    async () => {
      const createFaults = faultsFor("create");
      const searchFaults = faultsFor("search");
      const points = await unitPoints(emulator, "exchange", createFaults.length, 70);
      const sites = await unitPoints(emulator, "sharePoint", searchFaults.length);
      const incident = emulator.clock.now().toISOString();
      for (let round = 0; round < createFaults.length; round++) {
        const createFault = createFaults[round];
        program.push({
          kind: "exchange",
          name: `create-${round}`,
          args: { mailboxRestoreArtifacts: [{ restorePoint: { id: points[round].restorePointId } }] },
        });
        const cells = [{ ...arm("create", createFault), resource: `create-${round}` }];
        const searchFault = searchFaults[round] as FaultName | undefined;
        if (searchFault) {
          program.push({
            kind: "sharePoint",
            name: `search-${round}`,
            args: { siteRestoreArtifacts: [{ siteWebUrl: sites[round].name, restorePointTime: incident }] },
          });
          cells.push({ ...arm("search", searchFault), resource: `search-${round}` });
        }
        stack.source(mixedProgram(program));
        await runUntilHit(cells, () => stack.runner.up({ allowErrors: true }));
        // A resource whose create failed is created by a run without faults before the next round, so
        // its retry cannot take the next round's fault.
        if (cells.some((armed) => matrix.get(cell(armed.call, armed.fault)) !== "ok"))
          await recover(cells, () => stack.runner.up({ allowErrors: true }));
        emulator.faults.reset();
      }
      expect(failures.filter((f) => /^(create|search)\//.test(f))).to.deep.equal([]);
    },
  );

  itTolerant("token: a refresh under each token-endpoint fault succeeds or fails clearly", async () => {
    // The CLI starts the provider per command; the runner keeps one host, whose token would outlive
    // the refresh. A fresh host per refresh asks the token endpoint, as each `pulumi refresh` does.
    const freshRefresh = async (): Promise<OperationResult> => {
      await stack.runner.restartProviderHost();
      return stack.runner.refresh({ allowErrors: true });
    };
    for (const fault of faultsFor("token")) {
      const cells = [arm("token", fault)];
      await runUntilHit(cells, freshRefresh, (result) => result.errors.map((error) => error.message));
      if (matrix.get(cell("token", fault)) !== "ok") await recover(cells, freshRefresh);
      emulator.faults.reset();
    }
    expect(failures.filter((f) => /^token\//.test(f))).to.deep.equal([]);
  });

  itTolerant(
    "delete: destroy under each fault deletes every draft once or fails clearly, and destroy again finishes",
    async () => {
      const cells = faultsFor("delete").map((fault) => arm("delete", fault, slug("delete", fault)));
      const seen = new Map<Cell, string[]>();
      // Destroy stops at the first failed delete (as the engine does); run it until it finishes.
      for (let attempt = 0; attempt < cells.length + 2; attempt++) {
        const result = await stack.runner.destroy({ allowErrors: true });
        for (const armed of cells) {
          const messages = messagesOf(result, armed.resource as string);
          if (hasFired(armed) && !seen.has(armed)) seen.set(armed, messages);
        }
        await checkConsistent(cells, true);
        if (result.errors.length === 0) break;
      }
      for (const armed of cells) {
        const messages = seen.get(armed);
        if (messages === undefined)
          fail(armed.call, armed.fault, "its fault never hit: the call was not made");
        else score(armed.call, armed.fault, messages);
      }
      expect(stack.stateIds(), "destroy finished").to.deep.equal([]);
      const left = (await sessionsInEmulator(emulator)).filter(
        (session) => !before0.has(session.id) && session.status === "draft",
      );
      expect(
        left.map((session) => session.id),
        "no draft of this stack is left behind",
      ).to.deep.equal([]);
      expect(failures.filter((f) => /^delete\//.test(f))).to.deep.equal([]);
    },
  );
});
