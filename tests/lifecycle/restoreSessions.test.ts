/**
 * The acceptance matrix of the restore-session resources, per kind, through the lifecycle runner: the
 * package is packed and installed like a user installs it, programs run under the SDK's mocks, and
 * the SDK's own dynamic-provider host is driven over gRPC against the emulator.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import type { Emulator } from "../../tools/emulator";
import { installPackage, type InstalledPackage, type OperationResult } from "../../tools/runner";
import { normalizeId } from "../../provider/resources/session/validators";
import { graphCall, startTestEmulator } from "../helpers/emulator";
import {
  graphWrites,
  KINDS,
  ops,
  sessionsInEmulator,
  Stack,
  unitOnHold,
  unitPoints,
  useRunnerStacks,
  type Kind,
  type UnitPoint,
} from "./harness";

const ENTITY_SETS: Record<Kind, string> = {
  sharePoint: "sharePointRestoreSessions",
  exchange: "exchangeRestoreSessions",
  oneDriveForBusiness: "oneDriveForBusinessRestoreSessions",
};

const byId = (points: UnitPoint[]): { restorePoint: { id: string } }[] =>
  points.map((point) => ({ restorePoint: { id: point.restorePointId } }));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- stack outputs are untyped JSON; tests read into them freely
function outputOf(result: OperationResult, key: string): any {
  return result.outputs[key];
}

/** The Graph session id the state holds for the only restore session. */
function stateId(stack: Stack): string | undefined {
  return stack.runner.resources().find((resource) => resource.custom)?.id;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- state outputs are untyped JSON
function stateOutputs(stack: Stack): Record<string, any> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (stack.runner.resources().find((resource) => resource.custom)?.outputs ?? {}) as Record<string, any>;
}

/** Restored-location fields that a finished restore to a new location fills in, per kind. */
function restoredLocation(kind: Kind, artifact: Record<string, unknown>): unknown {
  return kind === "exchange" ? artifact.restoredFolderName : artifact.restoredSiteWebUrl;
}

async function newSessions(
  emulator: Emulator,
  before: { id: string }[],
): Promise<{ id: string; status: string }[]> {
  const known = new Set(before.map((session) => session.id));
  return (await sessionsInEmulator(emulator)).filter((session) => !known.has(session.id));
}

for (const kind of Object.keys(KINDS) as Kind[]) {
  const { standard, type, selector, className } = KINDS[kind];

  describe(`${className} through the lifecycle runner (installed package, emulator)`, function () {
    this.timeout(600_000);
    // Restores take about half a second: long enough to see a session running, short enough to wait for.
    const suite = useRunnerStacks({ restoreMs: 500, unitsPerWorkload: 60 });
    const { stack } = suite;

    it("basic: creates a draft, and a second up is all same with zero Graph writes", async () => {
      const s = stack();
      const points = await unitPoints(suite.emulator, kind, 2);
      s.program(kind, [{ name: "s", args: { [standard]: byId(points) } }]);
      const first = await s.runner.up();
      console.log(
        `      up took ${first.durationInMs} ms: ${first.steps.map((step) => `${step.op} ${step.durationInMs} ms`).join(", ")}`,
      );
      expect(ops(first)).to.deep.equal(["create"]);
      expect(outputOf(first, "sStatus")).to.equal("draft");
      expect(outputOf(first, "sCount")).to.deep.include({ total: 2 });
      expect(
        outputOf(first, "sArtifacts").map((a: { restorePointId: string }) => a.restorePointId),
      ).to.have.members(points.map((p) => p.restorePointId));
      console.log(`      serialized __provider of ${type}: ${first.providerSizes[type]} bytes`);
      expect(first.providerSizes[type]).to.be.below(8_000);
      // Neither the serialized provider nor the outputs carry the client secret.
      expect(fs.readFileSync(s.runner.checkpointPath, "utf8")).to.not.include(suite.emulator.clientSecret);
      suite.emulator.requestLog.clear();
      const second = await s.runner.up();
      expect(ops(second)).to.deep.equal(["same"]);
      expect(graphWrites(suite.emulator)).to.deep.equal([]);
    });

    it("complete: every input (ids and selectors, destination, activate, wait, timeout, triggers) restores and stays same a day later", async () => {
      const s = stack();
      const points = await unitPoints(suite.emulator, kind, 2, 2);
      const incident = suite.emulator.clock.now().toISOString();
      const args = {
        [standard]: [
          { restorePoint: { id: points[0].restorePointId }, destinationType: "new" },
          { [selector]: points[1].name, restorePointTime: incident, destinationType: "new" },
        ],
        activate: true,
        waitForCompletion: true,
        completionTimeoutMinutes: 5,
        triggers: { drill: "2026-11" },
      };
      s.program(kind, [{ name: "s", args }]);
      const first = await s.runner.up();
      expect(ops(first)).to.deep.equal(["create"]);
      expect(outputOf(first, "sStatus")).to.equal("completed");
      const artifacts = outputOf(first, "sArtifacts") as Record<string, unknown>[];
      expect(artifacts.map((a) => a.status)).to.deep.equal(["succeeded", "succeeded"]);
      expect(artifacts.map((a) => a.restorePointId)).to.have.members(points.map((p) => p.restorePointId));
      for (const artifact of artifacts) {
        expect(restoredLocation(kind, artifact), JSON.stringify(artifact)).to.be.a("string");
      }
      suite.emulator.clock.advance(24 * 3_600_000);
      suite.emulator.requestLog.clear();
      const later = await s.runner.up();
      expect(ops(later)).to.deep.equal(["same"]);
      expect(suite.emulator.requestLog.count({ kind: "graph" })).to.equal(0);
    });

    it("update: adds and removes artifacts of a draft with PATCH @delta", async () => {
      const s = stack();
      const points = await unitPoints(suite.emulator, kind, 3, 4);
      s.program(kind, [{ name: "s", args: { [standard]: byId(points.slice(0, 2)) } }]);
      await s.runner.up();
      const id = stateId(s);
      suite.emulator.requestLog.clear();
      s.program(kind, [{ name: "s", args: { [standard]: byId(points.slice(1, 3)) } }]);
      const second = await s.runner.up();
      expect(ops(second)).to.deep.equal(["update"]);
      expect(stateId(s)).to.equal(id);
      expect(graphWrites(suite.emulator)).to.deep.equal([
        `PATCH /v1.0/solutions/backupRestore/${ENTITY_SETS[kind]}/${id}`,
      ]);
      expect(
        outputOf(second, "sArtifacts").map((a: { restorePointId: string }) => a.restorePointId),
      ).to.have.members(points.slice(1, 3).map((p) => p.restorePointId));
    });

    it("activate-later: a draft is activated by an update, then waited for, then never polled again", async () => {
      const s = stack();
      const points = await unitPoints(suite.emulator, kind, 1, 7);
      s.program(kind, [{ name: "s", args: { [standard]: byId(points) } }]);
      await s.runner.up();
      const id = stateId(s);
      s.program(kind, [{ name: "s", args: { [standard]: byId(points), activate: true } }]);
      suite.emulator.requestLog.clear();
      const activated = await s.runner.up();
      expect(ops(activated)).to.deep.equal(["update"]);
      expect(graphWrites(suite.emulator)).to.deep.equal([
        `POST /v1.0/solutions/backupRestore/restoreSessions/${id}/activate`,
      ]);
      expect(outputOf(activated, "sStatus")).to.not.equal("draft");
      s.program(kind, [
        { name: "s", args: { [standard]: byId(points), activate: true, waitForCompletion: true } },
      ]);
      const waited = await s.runner.up();
      expect(ops(waited)).to.deep.equal(["update"]);
      expect(outputOf(waited, "sStatus")).to.equal("completed");
      suite.emulator.requestLog.clear();
      const again = await s.runner.up();
      expect(ops(again)).to.deep.equal(["same"]);
      expect(suite.emulator.requestLog.count({ kind: "graph" })).to.equal(0);
    });

    it("refresh to completion: refresh records the finished status and the next up is same", async () => {
      const s = stack();
      const points = await unitPoints(suite.emulator, kind, 1, 8);
      s.program(kind, [{ name: "s", args: { [standard]: byId(points), activate: true } }]);
      const first = await s.runner.up();
      expect(outputOf(first, "sStatus")).to.not.equal("completed");
      suite.emulator.clock.advance(10 * 60_000);
      const refreshed = await s.runner.refresh();
      expect(refreshed.errors).to.deep.equal([]);
      expect(stateOutputs(s).status).to.equal("completed");
      expect(stateOutputs(s).artifacts[0].status).to.equal("succeeded");
      const after = await s.runner.up();
      expect(ops(after)).to.deep.equal(["same"]);
    });

    /** A session of `sessionKind` made directly in Graph (outside the stack), activated if asked. */
    async function sessionMadeElsewhere(points: UnitPoint[], activated: boolean, sessionKind: Kind = kind) {
      const created = await graphCall(suite.emulator, {
        method: "POST",
        path: `/solutions/backupRestore/${ENTITY_SETS[sessionKind]}`,
        body: {
          [KINDS[sessionKind].standard]: points.map((p) => ({
            restorePoint: { id: p.restorePointId },
            destinationType: "new",
          })),
        },
      });
      expect(created.status).to.equal(201);
      const id = created.body.id as string;
      if (activated) {
        const activation = await graphCall(suite.emulator, {
          method: "POST",
          path: `/solutions/backupRestore/restoreSessions/${id}/activate`,
        });
        expect(activation.status).to.equal(200);
      }
      return id;
    }

    /** The state entry of the resource named `name`. */
    const resourceNamed = (s: Stack, name: string) =>
      s.runner.resources().find((resource) => resource.custom && resource.name === name);

    it("pulumi import: fails as under the CLI (the SDK host finds no __provider) and records nothing", async () => {
      const points = await unitPoints(suite.emulator, kind, 1, 9);
      const id = await sessionMadeElsewhere(points, true);
      const s = stack();
      s.program(kind, [{ name: "s", args: { [standard]: byId(points), activate: true } }]);
      suite.emulator.requestLog.clear();
      const imported = await s.runner.import({ s: id }, { allowErrors: true });
      expect(imported.errors.map((error) => error.operation)).to.deep.equal(["import"]);
      expect(imported.errors[0]?.message).to.match(
        /Cannot read properties of undefined|code must be a string/,
      );
      expect(stateId(s)).to.equal(undefined);
      // The provider's read never ran: no Graph call at all.
      expect(suite.emulator.requestLog.count({ kind: "graph" })).to.equal(0);
    });

    it("importSessionId: takes over a draft and an activated session with zero Graph writes; up again, removing the input and refresh change nothing", async () => {
      const points = await unitPoints(suite.emulator, kind, 2, 22);
      const draftId = await sessionMadeElsewhere(points.slice(0, 1), false);
      const doneId = await sessionMadeElsewhere(points.slice(1, 2), true);
      const before = await sessionsInEmulator(suite.emulator);
      const s = stack();
      const declare = (withId: boolean) =>
        s.program(kind, [
          {
            name: "draft",
            args: { [standard]: byId(points.slice(0, 1)), ...(withId ? { importSessionId: draftId } : {}) },
          },
          {
            name: "done",
            args: {
              [standard]: byId(points.slice(1, 2)),
              activate: true,
              ...(withId ? { importSessionId: doneId } : {}),
            },
          },
        ]);
      declare(true);
      suite.emulator.requestLog.clear();
      const first = await s.runner.up();
      expect(ops(first)).to.deep.equal(["create", "create"]);
      expect(graphWrites(suite.emulator)).to.deep.equal([]);
      expect(resourceNamed(s, "draft")?.id).to.equal(draftId);
      expect(resourceNamed(s, "done")?.id).to.equal(doneId);
      expect(outputOf(first, "draftStatus")).to.equal("draft");
      expect(outputOf(first, "doneStatus")).to.not.equal("draft");
      expect(await newSessions(suite.emulator, before)).to.deep.equal([]);
      suite.emulator.requestLog.clear();
      const again = await s.runner.up();
      expect(ops(again)).to.deep.equal(["same", "same"]);
      expect(graphWrites(suite.emulator)).to.deep.equal([]);
      declare(false);
      const removed = await s.runner.up();
      expect(ops(removed)).to.deep.equal(["same", "same"]);
      expect(suite.emulator.requestLog.count({ kind: "graph" })).to.equal(0);
      suite.emulator.clock.advance(10 * 60_000);
      const refreshed = await s.runner.refresh();
      expect(refreshed.errors).to.deep.equal([]);
      expect(resourceNamed(s, "done")?.outputs.status).to.equal("completed");
      expect(resourceNamed(s, "draft")?.outputs.status).to.equal("draft");
      expect(graphWrites(suite.emulator)).to.deep.equal([]);
      expect(ops(await s.runner.up())).to.deep.equal(["same", "same"]);
    });

    it("importSessionId: a draft declared with activate: true is activated once; activate: false on an activated session is refused", async () => {
      const points = await unitPoints(suite.emulator, kind, 2, 25);
      const draftId = await sessionMadeElsewhere(points.slice(0, 1), false);
      const doneId = await sessionMadeElsewhere(points.slice(1, 2), true);
      const s = stack();
      s.program(kind, [
        {
          name: "s",
          args: { [standard]: byId(points.slice(0, 1)), activate: true, importSessionId: draftId },
        },
      ]);
      suite.emulator.requestLog.clear();
      const up = await s.runner.up();
      expect(ops(up)).to.deep.equal(["create"]);
      expect(graphWrites(suite.emulator)).to.deep.equal([
        `POST /v1.0/solutions/backupRestore/restoreSessions/${draftId}/activate`,
      ]);
      const other = stack();
      other.program(kind, [
        { name: "s", args: { [standard]: byId(points.slice(1, 2)), importSessionId: doneId } },
      ]);
      suite.emulator.requestLog.clear();
      const refused = await other.runner.up({ allowErrors: true });
      expect(refused.errors.map((error) => error.operation)).to.deep.equal(["create"]);
      expect(refused.errors[0]?.message).to.include("activate: false").and.include("Set activate: true");
      expect(graphWrites(suite.emulator)).to.deep.equal([]);
      expect(stateId(other)).to.equal(undefined);
    });

    it("importSessionId: a session that differs from the program, or of another kind, is refused naming each difference, with nothing written", async () => {
      const points = await unitPoints(suite.emulator, kind, 3, 28);
      const id = await sessionMadeElsewhere(points.slice(0, 2), false);
      const otherKind = kind === "exchange" ? "sharePoint" : "exchange";
      const [otherPoint] = await unitPoints(suite.emulator, otherKind, 1, 31);
      const otherKindId = await sessionMadeElsewhere([otherPoint], false, otherKind);
      const s = stack();
      s.program(kind, [
        { name: "s", args: { [standard]: byId([points[0], points[2]]), importSessionId: id } },
      ]);
      suite.emulator.requestLog.clear();
      const refused = await s.runner.up({ allowErrors: true });
      const message = refused.errors[0]?.message ?? "";
      expect(message).to.include(`cannot take over restore session ${id}`);
      expect(message).to.include(
        `declared but not in the session: restore point ${normalizeId(points[2].restorePointId)}`,
      );
      expect(message).to.include(
        `in the session but not declared: restore point ${normalizeId(points[1].restorePointId)}`,
      );
      expect(message).to.not.include(`restore point ${normalizeId(points[0].restorePointId)} to`);
      s.program(kind, [
        { name: "s", args: { [standard]: byId(points.slice(0, 2)), importSessionId: otherKindId } },
      ]);
      const wrongKind = await s.runner.up({ allowErrors: true });
      expect(wrongKind.errors[0]?.message).to.include(`not a ${className}`);
      expect(graphWrites(suite.emulator)).to.deep.equal([]);
      expect(stateId(s)).to.equal(undefined);
    });

    it("disappears: a session deleted out of band is dropped by refresh and created again by up", async () => {
      const s = stack();
      const points = await unitPoints(suite.emulator, kind, 1, 11);
      s.program(kind, [{ name: "s", args: { [standard]: byId(points) } }]);
      await s.runner.up();
      const id = stateId(s);
      expect(
        (
          await graphCall(suite.emulator, {
            method: "DELETE",
            path: `/solutions/backupRestore/restoreSessions/${id}`,
          })
        ).status,
      ).to.equal(204);
      const refreshed = await s.runner.refresh();
      expect(refreshed.steps.find((step) => step.custom)?.refreshResult).to.equal("gone");
      expect(stateId(s)).to.equal(undefined);
      const again = await s.runner.up();
      expect(ops(again)).to.deep.equal(["create"]);
      expect(stateId(s)).to.not.equal(id);
    });

    it("destroy: a draft is deleted, an activated session is forgotten with a warning", async () => {
      const s = stack();
      const points = await unitPoints(suite.emulator, kind, 2, 12);
      s.program(kind, [
        { name: "draft", args: { [standard]: byId(points.slice(0, 1)) } },
        { name: "done", args: { [standard]: byId(points.slice(1, 2)), activate: true } },
      ]);
      const up = await s.runner.up();
      const draftId = outputOf(up, "draftId") as string;
      const doneId = outputOf(up, "doneId") as string;
      suite.emulator.requestLog.clear();
      const destroyed = await s.runner.destroy();
      expect(destroyed.errors).to.deep.equal([]);
      expect(ops(destroyed).sort()).to.deep.equal(["delete", "delete"]);
      expect(graphWrites(suite.emulator)).to.deep.equal([
        `DELETE /v1.0/solutions/backupRestore/restoreSessions/${draftId}`,
      ]);
      const warning = destroyed.diagnostics.find(
        (d) => d.severity === "warning" && d.message.includes(doneId),
      );
      expect(warning?.message).to.include("cannot delete an activated restore session");
      const ids = (await sessionsInEmulator(suite.emulator)).map((session) => session.id);
      expect(ids).to.include(doneId).and.not.include(draftId);
      expect(s.runner.resources().filter((r) => r.custom)).to.deep.equal([]);
    });

    it("replacement after activation: a changed artifact list or triggers make a new session", async () => {
      const s = stack();
      const points = await unitPoints(suite.emulator, kind, 2, 14);
      s.program(kind, [
        { name: "s", args: { [standard]: byId(points.slice(0, 1)), activate: true, triggers: { run: 1 } } },
      ]);
      await s.runner.up();
      const firstId = stateId(s);
      // Waits for the restore: a new session restoring the same artifacts is refused while this one runs.
      s.program(kind, [
        {
          name: "s",
          args: { [standard]: byId(points), activate: true, waitForCompletion: true, triggers: { run: 1 } },
        },
      ]);
      const replaced = await s.runner.up();
      expect(ops(replaced)).to.include("replace");
      expect(replaced.steps.find((step) => step.op === "replace")?.replaces).to.deep.equal([standard]);
      const secondId = stateId(s);
      expect(secondId).to.not.equal(firstId);
      const forgotten = replaced.diagnostics.filter(
        (d) => d.severity === "warning" && d.message.includes(firstId as string),
      );
      expect(
        forgotten,
        JSON.stringify(replaced.diagnostics.filter((d) => d.severity !== "debug")),
      ).to.have.length(1);
      s.program(kind, [
        {
          name: "s",
          args: { [standard]: byId(points), activate: true, waitForCompletion: true, triggers: { run: 2 } },
        },
      ]);
      const rerun = await s.runner.up();
      expect(rerun.steps.find((step) => step.op === "replace")?.replaces).to.deep.equal(["triggers"]);
      expect(stateId(s)).to.not.equal(secondId);
      const ids = (await sessionsInEmulator(suite.emulator)).map((session) => session.id);
      expect(ids).to.include.members([firstId, secondId, stateId(s)]);
    });

    it("partial failure: activation fails after creation, state keeps the session, the next up finishes it", async () => {
      const s = stack();
      const points = await unitPoints(suite.emulator, kind, 1, 16);
      const before = await sessionsInEmulator(suite.emulator);
      suite.emulator.faults.add({
        method: "POST",
        pattern: "/solutions/backupRestore/restoreSessions/{id}/activate",
        // A 5xx on activate is settled by reading (still a draft) and sent once more; twice fails.
        times: 2,
        action: { kind: "status", status: 500, code: "InternalServerError" },
      });
      s.program(kind, [{ name: "s", args: { [standard]: byId(points), activate: true } }]);
      const failed = await s.runner.up({ allowErrors: true });
      expect(failed.errors).to.have.length(1);
      expect(failed.errors[0]?.operation).to.equal("create");
      expect(failed.errors[0]?.message).to.include("kept in state");
      const id = stateId(s);
      expect(id).to.be.a("string");
      expect(stateOutputs(s).status).to.equal("draft");
      const retried = await s.runner.up();
      expect(ops(retried)).to.deep.equal(["update"]);
      expect(stateId(s)).to.equal(id);
      expect(stateOutputs(s).status).to.not.equal("draft");
      expect((await newSessions(suite.emulator, before)).map((session) => session.id)).to.deep.equal([id]);
    });

    it("ambiguous create: the session the lost response made is adopted, not created twice", async () => {
      const s = stack();
      const points = await unitPoints(suite.emulator, kind, 1, 17);
      const before = await sessionsInEmulator(suite.emulator);
      suite.emulator.faults.add({
        method: "POST",
        path: `/solutions/backupRestore/${ENTITY_SETS[kind]}`,
        once: true,
        action: { kind: "ambiguous" },
      });
      s.program(kind, [{ name: "s", args: { [standard]: byId(points) } }]);
      const up = await s.runner.up();
      expect(ops(up)).to.deep.equal(["create"]);
      expect(up.diagnostics.some((d) => d.message.includes("adopted session"))).to.equal(true);
      expect((await newSessions(suite.emulator, before)).map((session) => session.id)).to.deep.equal([
        stateId(s),
      ]);
      expect(
        suite.emulator.requestLog.count({
          method: "POST",
          pathPrefix: `/solutions/backupRestore/${ENTITY_SETS[kind]}`,
        }),
      ).to.equal(1);
    });

    it("too many active sessions: activation waits and tries again within the timeout", async () => {
      const s = stack();
      const points = await unitPoints(suite.emulator, kind, 1, 18);
      suite.emulator.faults.add({
        method: "POST",
        pattern: "/solutions/backupRestore/restoreSessions/{id}/activate",
        once: true,
        action: { kind: "status", status: 500, code: "TooManyActiveRestoreSessions" },
      });
      s.program(kind, [{ name: "s", args: { [standard]: byId(points), activate: true } }]);
      const up = await s.runner.up();
      expect(ops(up)).to.deep.equal(["create"]);
      expect(outputOf(up, "sStatus")).to.not.equal("draft");
      expect(
        suite.emulator.requestLog.count({
          method: "POST",
          pathPrefix: "/solutions/backupRestore/restoreSessions/",
        }),
      ).to.equal(2);
    });

    it("completion with errors fails the up that sees it, naming each failed artifact, and never again", async () => {
      const s = stack();
      const [ok] = await unitPoints(suite.emulator, kind, 1, 19);
      const held = await unitOnHold(suite.emulator, kind);
      // SharePoint restores a site on hold to a new URL; only in place is refused.
      const destinationType = kind === "sharePoint" ? "inPlace" : "new";
      const artifacts = [ok, held].map((p) => ({ restorePoint: { id: p.restorePointId }, destinationType }));
      s.program(kind, [
        { name: "s", args: { [standard]: artifacts, activate: true, waitForCompletion: true } },
      ]);
      const failed = await s.runner.up({ allowErrors: true });
      expect(failed.errors, JSON.stringify(stateOutputs(s))).to.have.length(1);
      expect(failed.errors[0]?.message)
        .to.include("completedWithError")
        .and.include("ArtifactCannotBeRestored");
      expect(failed.errors[0]?.message).to.include(held.restorePointId);
      expect(stateOutputs(s).status).to.equal("completedWithError");
      suite.emulator.requestLog.clear();
      // The engine updates a resource recorded with init errors once; that update touches nothing.
      const again = await s.runner.up();
      expect(again.errors).to.deep.equal([]);
      expect(suite.emulator.requestLog.count({ kind: "graph" })).to.equal(0);
      const third = await s.runner.up();
      expect(ops(third)).to.deep.equal(["same"]);
      expect(stateOutputs(s).status).to.equal("completedWithError");
    });

    it("host restart between ups: a fresh provider host continues the same session", async () => {
      const s = stack();
      const points = await unitPoints(suite.emulator, kind, 1, 20);
      s.program(kind, [{ name: "s", args: { [standard]: byId(points) } }]);
      await s.runner.up();
      const id = stateId(s);
      const pid = s.runner.providerHostPid;
      await s.runner.restartProviderHost();
      expect(s.runner.providerHostPid).to.not.equal(pid);
      s.program(kind, [{ name: "s", args: { [standard]: byId(points), activate: true } }]);
      const up = await s.runner.up();
      expect(ops(up)).to.deep.equal(["update"]);
      expect(stateId(s)).to.equal(id);
    });
  });

  describe(`${className}: waiting past completionTimeoutMinutes (slow emulator)`, function () {
    this.timeout(600_000);
    let installed: InstalledPackage;
    let emulator: Emulator;
    let s: Stack | undefined;
    before(async () => {
      installed = await installPackage();
      emulator = await startTestEmulator({ restoreMs: 3_600_000 });
    });
    after(async () => {
      await s?.close();
      await emulator?.close();
    });

    it("fails with status and counts, keeps the session, and the next up resumes waiting", async () => {
      s = Stack.create(emulator, installed);
      const points = await unitPoints(emulator, kind, 1);
      s.program(kind, [
        {
          name: "s",
          args: {
            [standard]: byId(points),
            activate: true,
            waitForCompletion: true,
            completionTimeoutMinutes: 0.002,
          },
        },
      ]);
      const timedOut = await s.runner.up({ allowErrors: true });
      expect(timedOut.errors[0]?.message).to.include("did not finish").and.include("of 1");
      const id = stateId(s);
      expect(id).to.be.a("string");
      emulator.clock.advance(6 * 3_600_000);
      const resumed = await s.runner.up();
      expect(ops(resumed)).to.deep.equal(["update"]);
      expect(stateId(s)).to.equal(id);
      expect(stateOutputs(s).status).to.equal("completed");
    });
  });
}
