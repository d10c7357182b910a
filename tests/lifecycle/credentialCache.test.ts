/**
 * The process-wide token cache through the SDK's provider host: provider calls of one host share
 * one token, although each call builds its own Graph client and nothing live is in `__provider`.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import type { Emulator } from "../../tools/emulator";
import { installPackage, type InstalledPackage } from "../../tools/runner";
import { startTestEmulator } from "../helpers/emulator";
import { KINDS, ops, Stack, unitPoints } from "./harness";

describe("credential cache in the provider host (installed package, emulator)", function () {
  this.timeout(600_000);
  let installed: InstalledPackage;
  let emulator: Emulator;
  let stack: Stack | undefined;

  before(async () => {
    installed = await installPackage();
    emulator = await startTestEmulator({ restoreMs: 500, unitsPerWorkload: 20 });
  });
  after(async () => {
    await stack?.close();
    await emulator?.close();
  });

  it("makes one token request for every provider call of one host, across ups and a refresh", async () => {
    const { standard } = KINDS.exchange;
    const points = await unitPoints(emulator, "exchange", 2);
    stack = Stack.create(emulator, installed);
    stack.program("exchange", [
      { name: "a", args: { [standard]: [{ restorePoint: { id: points[0].restorePointId } }] } },
      { name: "b", args: { [standard]: [{ restorePoint: { id: points[1].restorePointId } }] } },
    ]);
    emulator.requestLog.clear();
    const up = await stack.runner.up();
    expect(ops(up)).to.deep.equal(["create", "create"]);
    const refreshed = await stack.runner.refresh();
    expect(refreshed.errors).to.deep.equal([]);
    // Four provider calls (two creates, two reads), one host: one token, at most one discovery.
    expect(emulator.requestLog.count({ kind: "token" })).to.equal(1);
    expect(emulator.requestLog.count({ kind: "discovery" })).to.be.at.most(1);
    // The cache lives in a required module, never in the serialized provider or the state.
    expect(fs.readFileSync(stack.runner.checkpointPath, "utf8")).to.not.include(emulator.clientSecret);
  });
});
