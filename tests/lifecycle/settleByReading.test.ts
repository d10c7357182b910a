/**
 * Writes whose outcome is unknown (the connection dropped after Graph did the work, a 504, a timeout,
 * a 2xx whose body cannot be read) are settled by reading what Graph holds, never by guessing and
 * never by sending a create twice: the provider's host functions called directly against the emulator.
 */
import { expect } from "chai";
import type { Emulator, FaultAction } from "../../tools/emulator";
import * as host from "../../provider/resources/host";
import type { ConfigSnapshot } from "../../provider/resources/host";
import { sessionsInEmulator, unitPoints, useDirectProvider } from "./harness";

const BASE = "/solutions/backupRestore";

const UNKNOWN_OUTCOMES: [string, FaultAction][] = [
  ["the connection drops after Graph applied it", { kind: "ambiguous" }],
  ["Graph answers 504", { kind: "status", status: 504 }],
  ["Graph answers 200 with a body that is not JSON", { kind: "malformedJson" }],
];

describe("writes with an unknown outcome are settled by reading (direct calls)", function () {
  this.timeout(60_000);
  const fixture = useDirectProvider({ restoreMs: 50, unitsPerWorkload: 40, pollIntervalInMs: 10 });
  let emulator: Emulator;
  let config: ConfigSnapshot;
  let next = 0;
  before(() => {
    ({ emulator, config } = fixture);
  });

  async function exchangeInputs(count: number): Promise<Record<string, unknown>> {
    const points = await unitPoints(emulator, "exchange", count, next);
    next += count;
    const result = await host.check(
      "exchange",
      config,
      {},
      {
        mailboxRestoreArtifacts: points.map((point) => ({ restorePoint: { id: point.restorePointId } })),
      },
    );
    expect(result.failures ?? []).to.deep.equal([]);
    return result.inputs as Record<string, unknown>;
  }

  const artifactIds = (outs: unknown): string[] =>
    (outs as { artifacts: { restorePointId: string }[] }).artifacts.map((a) => a.restorePointId).sort();

  for (const [what, action] of UNKNOWN_OUTCOMES) {
    it(`adds an artifact exactly once when the PATCH's outcome is unknown: ${what}`, async () => {
      const olds = await exchangeInputs(1);
      const created = await host.create("exchange", config, olds);
      const news = await exchangeInputs(1);
      const wanted = {
        ...news,
        mailboxRestoreArtifacts: [
          ...(olds.mailboxRestoreArtifacts as unknown[]),
          ...(news.mailboxRestoreArtifacts as unknown[]),
        ],
      };
      emulator.faults.add({
        method: "PATCH",
        pattern: `${BASE}/exchangeRestoreSessions/${created.id}`,
        once: true,
        action,
      });
      emulator.requestLog.clear();
      const updated = await host.update("exchange", config, created.id, created.outs ?? {}, wanted);
      const patches = emulator.requestLog.writes().filter((entry) => entry.method === "PATCH");
      // Applied by the faulted PATCH (dropped connection), or sent once more after reading (504, 200).
      expect(patches.length).to.equal(action.kind === "ambiguous" ? 1 : 2);
      const expected = [
        ...(olds.mailboxRestoreArtifacts as { restorePoint: { id: string } }[]),
        ...(news.mailboxRestoreArtifacts as { restorePoint: { id: string } }[]),
      ]
        .map((artifact) => artifact.restorePoint.id)
        .sort();
      expect(artifactIds(updated.outs)).to.deep.equal(expected);
    });
  }

  it("creates one session when Graph answers the create 200 with a body that is not JSON", async () => {
    // (The lost answer after Graph made the session is the runner suite's "ambiguous create".)
    const inputs = await exchangeInputs(1);
    const before = (await sessionsInEmulator(emulator)).length;
    emulator.faults.add({
      method: "POST",
      pattern: `${BASE}/exchangeRestoreSessions`,
      once: true,
      action: { kind: "malformedJson" },
    });
    const created = await host.create("exchange", config, inputs);
    const sessions = await sessionsInEmulator(emulator);
    expect(sessions.length).to.equal(before + 1);
    expect(sessions.map((session) => session.id)).to.include(created.id);
  });
});
