/**
 * The fault matrix: every Graph call the provider makes × every fault the emulator can script, through
 * the lifecycle runner and the installed tarball. Each cell ends in success after retries or in a clear
 * error; afterwards the emulator holds exactly the sessions the checkpoint says, and a run without the
 * fault finishes the work. Cells that share an operation are scoped to one session each by path, so a
 * handful of `up`/`refresh`/`destroy` runs cover the whole matrix.
 */
import { expect } from "chai";
import type { Emulator, FaultAction, FaultRule } from "../../emulator";
import type { OperationResult } from "../../runner";
import {
  activateRestoreSession,
  createRestoreSession,
  deleteRestoreSession,
  getRestoreSession,
  listArtifacts,
  patchArtifacts,
  searchRestorePoints,
  toArray,
} from "../../provider/graph/backupRestore";
import { createGraphClient } from "../../provider/graph/client";
import { resolveSettings } from "../../provider/settings";
import { startTestEmulator } from "../helpers/emulator";
import {
  allMessages,
  consistency,
  mixedProgram,
  nameOf,
  RelStack,
  secretConfig,
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

/** Graph documents these as "retry after the wait": every call must succeed through them. */
const MUST_SUCCEED: FaultName[] = ["429 s", "429 date", "503"];

/** Faults each call is tried with through the runner (hang is tried at the client level, see below). */
function faultsFor(call: CallName): FaultName[] {
  const writes: CallName[] = ["create", "patch", "activate", "delete"];
  return FAULT_NAMES.filter((fault) => fault !== "hang" && (fault !== "ambiguous" || writes.includes(call)));
}

type Outcome = "ok" | "error" | "FAIL" | "n/a" | "client ok" | "client error";
const matrix = new Map<string, Outcome>();
const failures: string[] = [];
/** One error message per cell that ended in an error, printed under the matrix. */
const examples = new Map<string, string>();
const cell = (call: CallName, fault: FaultName): string => `${call}/${fault}`;

/** Scores one cell from the messages its resource (or operation) produced. */
function score(call: CallName, fault: FaultName, messages: string[]): void {
  const key = cell(call, fault);
  let outcome: Outcome = messages.length === 0 ? "ok" : "error";
  const unclear = messages.map(unclearReason).find((reason) => reason !== undefined);
  if (unclear) {
    failures.push(`${key}: the error ${unclear}: ${messages.join(" | ").slice(0, 600)}`);
    outcome = "FAIL";
  } else if (outcome === "error" && MUST_SUCCEED.includes(fault)) {
    failures.push(`${key}: expected success after retries, got: ${messages.join(" | ").slice(0, 600)}`);
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
  const header = ["call \\ fault".padEnd(10), ...FAULT_NAMES.map((fault) => fault.padEnd(width))].join(" ");
  const rows = CALLS.map((call) =>
    [
      call.padEnd(10),
      ...FAULT_NAMES.map((fault) => (matrix.get(cell(call, fault)) ?? "n/a").padEnd(width)),
    ].join(" "),
  );
  const values = [...matrix.values()];
  const tried = values.filter((value) => value !== "n/a").length;
  const passed = values.filter((value) => value !== "n/a" && value !== "FAIL").length;
  console.log(
    `\n      fault matrix (ok = success after retries, error = clear error then recovered, client = tried on the Graph client with a short timeout)`,
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

  async function checkConsistent(cells: [CallName, FaultName][], afterDestroy = false): Promise<void> {
    const problem = await consistency(emulator, stack, before0, { activatedMayBeForgotten: afterDestroy });
    if (problem) for (const [call, fault] of cells) fail(call, fault, problem);
  }

  /** Runs `operation` again without faults; it must finish without errors. */
  async function recover(
    cells: [CallName, FaultName][],
    operation: () => Promise<OperationResult>,
  ): Promise<void> {
    emulator.faults.reset();
    const result = await operation();
    if (result.errors.length > 0) {
      for (const [call, fault] of cells)
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
    stack = RelStack.create(emulator, installed, { name: "fault-matrix" });
    before0 = await sessionMark(emulator);
  });

  after(async () => {
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
          const name = `${call}-${fault.replace(/\W+/g, "")}`;
          program.push({
            kind: "exchange",
            name,
            args: { mailboxRestoreArtifacts: [{ restorePoint: { id: points[next++].restorePointId } }] },
          });
        }
      }
      // The patch cells add one more artifact each; keep their points aside.
      for (const fault of faultsFor("patch")) {
        const decl = program.find((candidate) => candidate.name === `patch-${fault.replace(/\W+/g, "")}`)!;
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
      const cells: [CallName, FaultName][] = [];
      for (const call of ["get", "list"] as CallName[]) {
        for (const fault of faultsFor(call)) {
          emulator.faults.add(ruleFor(call, fault, ids.get(`${call}-${fault.replace(/\W+/g, "")}`)));
          cells.push([call, fault]);
        }
      }
      const result = await stack.runner.refresh({ allowErrors: true });
      for (const [call, fault] of cells)
        score(call, fault, messagesOf(result, `${call}-${fault.replace(/\W+/g, "")}`));
      await checkConsistent(cells);
      await recover(cells, () => stack.runner.refresh({ allowErrors: true }));
      expect(failures.filter((f) => /^(get|list)\//.test(f))).to.deep.equal([]);
    },
  );

  itTolerant(
    "patch and activate: an up under each fault adds the artifact / activates once or fails clearly, and the next up finishes",
    async () => {
      const cells: [CallName, FaultName][] = [];
      for (const decl of program) {
        const [call] = decl.name.split("-") as [CallName];
        const fault = faultsFor(call).find(
          (candidate) => `${call}-${candidate.replace(/\W+/g, "")}` === decl.name,
        ) as FaultName;
        if (call === "patch") {
          const extra = (decl as MixedDecl & { extra?: string }).extra as string;
          const artifacts = decl.args.mailboxRestoreArtifacts as unknown[];
          decl.args = { mailboxRestoreArtifacts: [...artifacts, { restorePoint: { id: extra } }] };
        } else if (call === "activate") {
          decl.args = { ...decl.args, activate: true };
        } else {
          continue;
        }
        emulator.faults.add(ruleFor(call, fault, ids.get(decl.name)));
        cells.push([call, fault]);
      }
      stack.source(mixedProgram(program));
      const beforeCount = (await sessionsInEmulator(emulator)).length;
      const result = await stack.runner.up({ allowErrors: true });
      for (const [call, fault] of cells)
        score(call, fault, messagesOf(result, `${call}-${fault.replace(/\W+/g, "")}`));
      await checkConsistent(cells);
      await recover(cells, () => stack.runner.up({ allowErrors: true }));
      const sessions = await sessionsInEmulator(emulator);
      expect(sessions.length, "no session was created by patch or activate").to.equal(beforeCount);
      for (const [call, fault] of cells) {
        const id = ids.get(`${call}-${fault.replace(/\W+/g, "")}`);
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
      const deferred: { cell: [CallName, FaultName]; decl: MixedDecl }[] = [];
      for (let round = 0; round < createFaults.length; round++) {
        const cells: [CallName, FaultName][] = [];
        const createFault = createFaults[round];
        program.push({
          kind: "exchange",
          name: `create-${round}`,
          args: { mailboxRestoreArtifacts: [{ restorePoint: { id: points[round].restorePointId } }] },
        });
        emulator.faults.add(ruleFor("create", createFault));
        cells.push(["create", createFault]);
        const searchFault = searchFaults[round];
        if (searchFault) {
          program.push({
            kind: "sharePoint",
            name: `search-${round}`,
            args: { siteRestoreArtifacts: [{ siteWebUrl: sites[round].name, restorePointTime: incident }] },
          });
          emulator.faults.add(ruleFor("search", searchFault));
          cells.push(["search", searchFault]);
        }
        stack.source(mixedProgram(program));
        const result = await stack.runner.up({ allowErrors: true });
        score("create", createFault, messagesOf(result, `create-${round}`));
        if (searchFault) score("search", searchFault, messagesOf(result, `search-${round}`));
        await checkConsistent(cells);
        // A resource whose create failed leaves the program until one run without faults at the end, so
        // its retry cannot take the next round's fault.
        for (const [call, fault] of cells) {
          const name = call === "create" ? `create-${round}` : `search-${round}`;
          if (messagesOf(result, name).length > 0) {
            const index = program.findIndex((decl) => decl.name === name);
            deferred.push({ cell: [call, fault], decl: program.splice(index, 1)[0] });
          }
        }
        emulator.faults.reset();
      }
      if (deferred.length > 0) {
        program.push(...deferred.map((entry) => entry.decl));
        stack.source(mixedProgram(program));
        await recover(
          deferred.map((entry) => entry.cell),
          () => stack.runner.up({ allowErrors: true }),
        );
      }
      expect(failures.filter((f) => /^(create|search)\//.test(f))).to.deep.equal([]);
    },
  );

  itTolerant("token: a refresh under each token-endpoint fault succeeds or fails clearly", async () => {
    for (const fault of faultsFor("token")) {
      emulator.faults.add(ruleFor("token", fault));
      const result = await stack.runner.refresh({ allowErrors: true });
      score(
        "token",
        fault,
        result.errors.map((error) => error.message),
      );
      await checkConsistent([["token", fault]]);
      if (result.errors.length > 0)
        await recover([["token", fault]], () => stack.runner.refresh({ allowErrors: true }));
      emulator.faults.reset();
    }
    expect(failures.filter((f) => /^token\//.test(f))).to.deep.equal([]);
  });

  itTolerant(
    "delete: destroy under each fault deletes every draft once or fails clearly, and destroy again finishes",
    async () => {
      const cells: [CallName, FaultName][] = [];
      for (const fault of faultsFor("delete")) {
        emulator.faults.add(ruleFor("delete", fault, ids.get(`delete-${fault.replace(/\W+/g, "")}`)));
        cells.push(["delete", fault]);
      }
      const seen = new Map<string, string[]>();
      // Destroy stops at the first failed delete (as the engine does); run it until it finishes.
      for (let attempt = 0; attempt < cells.length + 2; attempt++) {
        const result = await stack.runner.destroy({ allowErrors: true });
        for (const [, fault] of cells) {
          const name = `delete-${fault.replace(/\W+/g, "")}`;
          const messages = messagesOf(result, name);
          if (messages.length > 0 && !seen.has(name)) seen.set(name, messages);
        }
        await checkConsistent(cells, true);
        if (result.errors.length === 0) break;
      }
      for (const [, fault] of cells)
        score("delete", fault, seen.get(`delete-${fault.replace(/\W+/g, "")}`) ?? []);
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

describe("reliability: a request that hangs past the timeout, on the Graph client (the provider's 100 s timeout is not configurable)", function () {
  this.timeout(120_000);
  let emulator: Emulator;

  before(async () => {
    emulator = await startTestEmulator({ restoreMs: 20, unitsPerWorkload: 20 });
  });
  after(async () => {
    // Printed here, after the last cells of the matrix.
    printMatrix();
    await emulator?.close();
  });

  itTolerant(
    "every call either retries after the timeout and succeeds, or fails with a clear ambiguous-request error",
    async () => {
      const settings = resolveSettings((key) => secretConfigValue(emulator, key), {});
      const client = createGraphClient(settings, {
        timeoutInMs: 300,
        retry: { maxAttempts: 3, baseDelayInMs: 10, maxDelayInMs: 50 },
      });
      const [point, added, found] = await unitPoints(emulator, "exchange", 3);
      const draft = await createRestoreSession(client, "exchange", {
        collection: "standard",
        artifacts: [{ restorePoint: { id: point.restorePointId }, destinationType: "new" }],
      });
      const toDelete = await createRestoreSession(client, "exchange", {
        collection: "standard",
        artifacts: [{ restorePoint: { id: found.restorePointId }, destinationType: "new" }],
      });
      const base = "/solutions/backupRestore";
      const now = emulator.clock.now();
      const calls: [CallName, FaultRule["pattern"], string, () => Promise<unknown>][] = [
        [
          "create",
          `${base}/exchangeRestoreSessions`,
          "POST",
          () =>
            createRestoreSession(client, "exchange", {
              collection: "standard",
              artifacts: [{ restorePoint: { id: added.restorePointId }, destinationType: "new" }],
            }),
        ],
        [
          "patch",
          `${base}/exchangeRestoreSessions/${draft.id}`,
          "PATCH",
          () =>
            patchArtifacts(client, "exchange", draft.id, "standard", [
              { restorePoint: { id: added.restorePointId }, destinationType: "new" },
            ]),
        ],
        ["get", `${base}/restoreSessions/${draft.id}`, "GET", () => getRestoreSession(client, draft.id)],
        [
          "list",
          `${base}/exchangeRestoreSessions/${draft.id}/mailboxRestoreArtifacts`,
          "GET",
          () => toArray(listArtifacts(client, "exchange", draft.id, "standard")),
        ],
        [
          "search",
          `${base}/restorePoints/search`,
          "POST",
          () =>
            searchRestorePoints(client, {
              protectionUnitIds: [point.unitId],
              protectionTimePeriod: {
                startDateTime: new Date(now.getTime() - 86_400_000).toISOString(),
                endDateTime: now.toISOString(),
              },
            }),
        ],
        [
          "activate",
          `${base}/restoreSessions/${draft.id}/activate`,
          "POST",
          () => activateRestoreSession(client, draft.id),
        ],
        [
          "delete",
          `${base}/restoreSessions/${toDelete.id}`,
          "DELETE",
          () => deleteRestoreSession(client, toDelete.id),
        ],
      ];
      const problems: string[] = [];
      for (const [call, pattern, method, run] of calls) {
        emulator.faults.reset();
        emulator.faults.add({ method, pattern, once: true, action: { kind: "hang" } });
        let outcome: Outcome = "client ok";
        try {
          await run();
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const unclear = unclearReason(message);
          outcome = unclear ? "FAIL" : "client error";
          if (unclear) problems.push(`${call}/hang: ${unclear}: ${message}`);
          if (!unclear && (method === "GET" || method === "DELETE")) {
            outcome = "FAIL";
            problems.push(
              `${call}/hang: a replayable ${method} should be retried after the timeout, got: ${message}`,
            );
          }
        }
        matrix.set(cell(call, "hang"), outcome);
        tally("faults", outcome !== "FAIL");
      }
      matrix.set(cell("token", "hang"), "n/a");
      emulator.faults.reset();
      expect(problems).to.deep.equal([]);
    },
  );
});

function secretConfigValue(emulator: Emulator, key: string): string | undefined {
  const value = secretConfig(emulator)[`m365-backup:${key}`];
  return typeof value === "string" ? value : value?.value;
}
