/**
 * The active-session cap: Graph refuses an activation while 25 sessions are active
 * (`TooManyActiveRestoreSessions`). Thirty sessions activated in one `up` must all end activated and
 * completed, none failed: the provider waits and tries again as slots free up. Restores take ten
 * emulator minutes, so 25 sessions stay active until the test moves the emulator clock; it does so each
 * time more sessions have been activated, and the refused ones get their slots.
 */
import { expect } from "chai";
import type { Emulator } from "../../tools/emulator";
import { startTestEmulator } from "../helpers/emulator";
import {
  allMessages,
  RelStack,
  sessionMark,
  sessionsInEmulator,
  sharedInstall,
  unitPoints,
  itTolerant,
} from "./fixture";
import { tally } from "./summary";

const SESSIONS = 30;

describe("reliability: the active-session cap (25) with 30 sessions activated in one up", function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let stack: RelStack;

  before(async () => {
    const installed = await sharedInstall();
    emulator = await startTestEmulator({ restoreMs: 10 * 60_000, unitsPerWorkload: SESSIONS + 10 });
    stack = RelStack.create(emulator, installed, { name: "active-cap", parallel: SESSIONS });
  });
  after(async () => {
    await stack?.close();
    await emulator?.close();
  });

  itTolerant(
    "activates and completes all 30 sessions, waiting out TooManyActiveRestoreSessions, and creates each once",
    async () => {
      let passed = false;
      try {
        const before = await sessionMark(emulator);
        const points = await unitPoints(emulator, "exchange", SESSIONS);
        stack.program(
          "exchange",
          points.map((point, index) => ({
            name: `s${index}`,
            args: {
              mailboxRestoreArtifacts: [{ restorePoint: { id: point.restorePointId } }],
              activate: true,
              waitForCompletion: true,
              completionTimeoutMinutes: 30,
            },
          })),
        );
        emulator.requestLog.clear();
        let finished = false;
        const running = stack.runner.up({ allowErrors: true }).finally(() => (finished = true));
        const activated = (): number =>
          emulator.requestLog
            .entries({ method: "POST" })
            .filter((entry) => entry.path.endsWith("/activate") && entry.status === 200).length;
        const refusals = (): number =>
          emulator.requestLog
            .entries({ method: "POST" })
            .filter((entry) => entry.path.endsWith("/activate") && entry.status === 500).length;
        // Move the clock an hour whenever more sessions have been activated and some were refused or all are in.
        let advancedAt = 0;
        let seen = 0;
        let changedAt = Date.now();
        while (!finished) {
          const now = activated();
          if (now !== seen) {
            seen = now;
            changedAt = Date.now();
          }
          // Also move it when activations stall (fewer registrations in flight than the cap).
          const stalled = Date.now() - changedAt > 2_000;
          if (now > advancedAt && (refusals() > 0 || now === SESSIONS || stalled)) {
            advancedAt = now;
            emulator.clock.advance(60 * 60_000);
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const result = await running;
        expect(result.errors, allMessages(result).slice(0, 5).join(" | ")).to.deep.equal([]);
        const statuses = points.map((_, index) => result.outputs[`s${index}Status`]);
        expect(statuses).to.deep.equal(points.map(() => "completed"));
        const refused = emulator.requestLog
          .entries({ method: "POST" })
          .filter((entry) => entry.path.endsWith("/activate") && entry.status === 500);
        console.log(
          `      activations refused with TooManyActiveRestoreSessions and retried: ${refused.length}`,
        );
        expect(refused.length, "the cap was reached at least once").to.be.at.least(1);
        const created = (await sessionsInEmulator(emulator)).filter((session) => !before.has(session.id));
        expect(created).to.have.length(SESSIONS);
        expect(created.every((session) => session.status === "completed")).to.equal(true);
        passed = true;
      } finally {
        tally("active-session cap", passed);
      }
    },
  );
});
