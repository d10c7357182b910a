/**
 * Interruptions: the provider host is killed (SIGKILL, as a CI runner at its time limit would) while it
 * creates a session, while it activates one and while it waits for one. The next `up` must find the
 * state consistent, create nothing twice and finish the drill.
 *
 * How the kill lands at the right moment: the emulator holds the request (a latency fault; Graph still
 * processes it afterwards, as a real service does when the caller goes away), the test waits until the
 * rule fired or the provider is polling, and then kills the host by its pid. Restores take ten emulator
 * minutes, so a session stays running until the test advances the emulator clock.
 *
 * The provider's create journal (`provider/resources/create/journal.ts`) lives in a temporary directory here
 * (`M365_BACKUP_JOURNAL_DIR` in the provider host's environment).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Emulator } from "../../tools/emulator";
import type { OperationResult } from "../../tools/runner";
import { startTestEmulator } from "../helpers/emulator";
import {
  allMessages,
  consistency,
  ops,
  RelStack,
  sessionMark,
  sessionsInEmulator,
  sharedInstall,
  unitPoints,
  until,
  type ResourceDecl,
  itTolerant,
} from "./fixture";
import { tally } from "./summary";

const HOLD_MS = 1_500;

describe("reliability: the provider host killed mid-operation, then up again", function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let stack: RelStack;
  let before0: Set<string>;
  const resources: ResourceDecl[] = [];
  let points: { restorePointId: string }[] = [];
  let journalDir: string;

  before(async () => {
    const installed = await sharedInstall();
    emulator = await startTestEmulator({ restoreMs: 10 * 60_000, unitsPerWorkload: 20 });
    journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-journal-"));
    stack = RelStack.create(emulator, installed, {
      name: "interruptions",
      env: { M365_BACKUP_JOURNAL_DIR: journalDir },
    });
    before0 = await sessionMark(emulator);
    points = await unitPoints(emulator, "exchange", 4);
  });
  after(async () => {
    await stack?.close();
    await emulator?.close();
    if (journalDir) fs.rmSync(journalDir, { recursive: true, force: true });
  });

  const artifacts = (index: number): Record<string, unknown> => ({
    mailboxRestoreArtifacts: [{ restorePoint: { id: points[index].restorePointId } }],
  });

  /** Starts `up`, kills the host once `ready` holds, and returns the interrupted operation's result. */
  async function upAndKill(ready: () => boolean | Promise<boolean>): Promise<OperationResult | Error> {
    const running = stack.runner.up({ allowErrors: true }).catch((error: unknown) => error as Error);
    try {
      await until("the moment to kill the provider host", ready);
    } finally {
      // Killed even when the moment never came, so no operation is left running behind the test.
      const pid = stack.runner.providerHostPid;
      expect(pid, "provider host pid").to.be.a("number");
      process.kill(pid as number, "SIGKILL");
    }
    const interrupted = await running;
    await stack.runner.restartProviderHost();
    return interrupted;
  }

  /**
   * `up`, moving the emulator clock an hour each time another activation succeeded, so restores that
   * take ten emulator minutes finish without waiting.
   */
  async function upWithClock(): Promise<OperationResult> {
    let finished = false;
    const running = stack.runner.up({ allowErrors: true }).finally(() => (finished = true));
    const activations = (): number =>
      emulator.requestLog
        .entries({ method: "POST" })
        .filter((entry) => entry.path.endsWith("/activate") && entry.status === 200).length;
    let advancedAt = activations();
    while (!finished) {
      if (activations() > advancedAt) {
        advancedAt = activations();
        emulator.clock.advance(60 * 60_000);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return running;
  }

  function newSessionCount(all: { id: string }[]): number {
    return all.filter((session) => !before0.has(session.id)).length;
  }

  /** The emulator holds exactly the state's sessions among those made since `mark`. */
  async function expectConsistent(mark: Set<string>): Promise<void> {
    expect(await consistency(emulator, stack, mark)).to.equal(undefined);
  }

  /** Successful activations of any session since the request log was last cleared. */
  function successfulActivations(): number {
    return emulator.requestLog
      .entries({ method: "POST" })
      .filter((entry) => entry.path.endsWith("/activate") && entry.status < 300).length;
  }

  /** Journal entries left behind (in flight or unclaimed). */
  function journalEntries(): string[] {
    return fs.readdirSync(journalDir);
  }

  // docs/reliability.md, findings 3 and 4 (fixed by the create journal).
  itTolerant(
    "killed during create: the next up adopts the session the POST made, and never leaves a second one",
    async function () {
      let passed = false;
      const mark = await sessionMark(emulator);
      try {
        resources.push({ name: "created", args: artifacts(0) });
        stack.program("exchange", resources);
        const remove = emulator.faults.add({
          method: "POST",
          pattern: "/solutions/backupRestore/exchangeRestoreSessions",
          once: true,
          action: { kind: "latency", latencyInMs: HOLD_MS },
        });
        await upAndKill(() => emulator.faults.list().some((rule) => rule.fired > 0));
        remove();
        await until(
          "Graph to finish the held create",
          async () => newSessionCount(await sessionsInEmulator(emulator)) === 1,
        );
        expect(journalEntries(), "the killed create's journal entry").to.have.length(1);
        const next = await stack.runner.up({ allowErrors: true });
        expect(
          newSessionCount(await sessionsInEmulator(emulator)),
          `sessions after the next up: ${allMessages(next).join(" | ")}`,
        ).to.equal(1);
        expect(next.errors, allMessages(next).join(" | ")).to.deep.equal([]);
        expect(allMessages(next).join("\n")).to.match(/interrupted .*adopted session/);
        expect(journalEntries(), "entries once the engine has the id").to.deep.equal([]);
        await expectConsistent(mark);
        passed = true;
      } finally {
        tally("interruptions", passed);
      }
    },
  );

  itTolerant(
    "killed during activation: the next up sees the session already active, activates nothing twice and records it",
    async () => {
      let passed = false;
      const mark = await sessionMark(emulator);
      try {
        resources.push({ name: "activated", args: artifacts(1) });
        stack.program("exchange", resources);
        await stack.runner.up({ allowErrors: true });
        const id = stack.runner.resources().find((resource) => resource.name === "activated")?.id as string;
        expect(id).to.be.a("string");
        resources[resources.length - 1] = { name: "activated", args: { ...artifacts(1), activate: true } };
        stack.program("exchange", resources);
        const count = (await sessionsInEmulator(emulator)).length;
        emulator.faults.add({
          method: "POST",
          pattern: `/solutions/backupRestore/restoreSessions/${id}/activate`,
          once: true,
          action: { kind: "latency", latencyInMs: HOLD_MS },
        });
        await upAndKill(() => emulator.faults.list().some((rule) => rule.fired > 0));
        emulator.faults.reset();
        await until(
          "Graph to finish the held activation",
          async () => (await sessionsInEmulator(emulator)).find((s) => s.id === id)?.status !== "draft",
        );
        emulator.requestLog.clear();
        const next = await stack.runner.up({ allowErrors: true });
        expect(next.errors, allMessages(next).join(" | ")).to.deep.equal([]);
        expect(next.outputs.activatedStatus).to.not.equal("draft");
        expect((await sessionsInEmulator(emulator)).length, "no session created").to.equal(count);
        const activations = emulator.requestLog
          .entries({ method: "POST" })
          .filter((entry) => entry.path.endsWith("/activate") && entry.status < 300);
        expect(activations, "no second successful activation").to.deep.equal([]);
        await expectConsistent(mark);
        passed = true;
      } finally {
        tally("interruptions", passed);
      }
    },
  );

  itTolerant(
    "killed while waiting after an update activated the session: the next up resumes waiting and finishes",
    async () => {
      let passed = false;
      const mark = await sessionMark(emulator);
      try {
        resources.push({ name: "waited", args: artifacts(2) });
        stack.program("exchange", resources);
        await stack.runner.up({ allowErrors: true });
        const id = stack.runner.resources().find((resource) => resource.name === "waited")?.id as string;
        resources[resources.length - 1] = {
          name: "waited",
          args: { ...artifacts(2), activate: true, waitForCompletion: true, completionTimeoutMinutes: 120 },
        };
        stack.program("exchange", resources);
        const count = (await sessionsInEmulator(emulator)).length;
        emulator.requestLog.clear();
        const polls = (): number =>
          emulator.requestLog.count({
            method: "GET",
            pathPrefix: `/solutions/backupRestore/restoreSessions/${id}`,
          });
        await upAndKill(() => polls() >= 3);
        emulator.clock.advance(60 * 60_000);
        const next = await upWithClock();
        expect(next.errors, allMessages(next).join(" | ")).to.deep.equal([]);
        expect(next.outputs.waitedStatus).to.equal("completed");
        expect((await sessionsInEmulator(emulator)).length, "no session created").to.equal(count);
        await expectConsistent(mark);
        passed = true;
      } finally {
        tally("interruptions", passed);
      }
    },
  );

  itTolerant(
    "killed while waiting inside the create that activated the session: the next up does not start the restore again",
    async () => {
      let passed = false;
      const mark = await sessionMark(emulator);
      try {
        resources.push({
          name: "createdAndWaited",
          args: { ...artifacts(3), activate: true, waitForCompletion: true, completionTimeoutMinutes: 120 },
        });
        stack.program("exchange", resources);
        const count = (await sessionsInEmulator(emulator)).length;
        emulator.requestLog.clear();
        const polls = (): number =>
          emulator.requestLog
            .entries({ method: "GET" })
            .filter((entry) => /\/restoreSessions\/[^/]+$/.test(entry.path)).length;
        await upAndKill(
          () =>
            emulator.requestLog.count({
              method: "POST",
              pathPrefix: "/solutions/backupRestore/exchangeRestoreSessions",
            }) === 1 && polls() >= 3,
        );
        emulator.clock.advance(60 * 60_000);
        const next = await upWithClock();
        const created = (await sessionsInEmulator(emulator)).length - count;
        expect(
          created,
          `restore sessions started for one resource (ops ${ops(next).join(",")}; ${allMessages(next)
            .filter((m) => /interrupted|error/i.test(m))
            .join(" | ")})`,
        ).to.equal(1);
        expect(successfulActivations(), "activations across both ups").to.equal(1);
        expect(next.errors, allMessages(next).join(" | ")).to.deep.equal([]);
        expect(next.outputs.createdAndWaitedStatus).to.equal("completed");
        expect(journalEntries(), "entries once the engine has the id").to.deep.equal([]);
        await expectConsistent(mark);
        passed = true;
      } finally {
        tally("interruptions", passed);
      }
    },
  );

  itTolerant(
    "after the interruptions, one more up finishes the drill: every session activated and completed, nothing twice",
    async () => {
      let passed = false;
      const mark = await sessionMark(emulator);
      try {
        for (const resource of resources)
          resource.args = {
            ...resource.args,
            activate: true,
            waitForCompletion: true,
            completionTimeoutMinutes: 120,
          };
        stack.program("exchange", resources);
        const drafts = stack.runner
          .resources()
          .filter(
            (resource) => resource.custom && (resource.outputs as Record<string, unknown>).status === "draft",
          ).length;
        emulator.requestLog.clear();
        const running = stack.runner.up({ allowErrors: true });
        // Activated restores take ten emulator minutes: move the clock once every draft has been activated.
        const activations = (): number =>
          emulator.requestLog.entries({ method: "POST" }).filter((entry) => entry.path.endsWith("/activate"))
            .length;
        await until("the provider to activate the drafts", () => activations() >= drafts);
        emulator.clock.advance(60 * 60_000);
        const result = await running;
        if (result.errors.length > 0) {
          emulator.clock.advance(60 * 60_000);
          const again = await stack.runner.up({ allowErrors: true });
          expect(again.errors, allMessages(again).join(" | ")).to.deep.equal([]);
        }
        const state = stack.runner.resources().filter((resource) => resource.custom);
        expect(state.map((resource) => (resource.outputs as Record<string, unknown>).status)).to.deep.equal(
          resources.map(() => "completed"),
        );
        await expectConsistent(mark);
        passed = true;
      } finally {
        tally("interruptions", passed);
      }
    },
  );
});
