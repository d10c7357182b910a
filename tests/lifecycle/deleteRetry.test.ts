/**
 * The provider's delete against the emulator when Graph answers 500 `IncompleteArtifactDeletion`
 * (Graph docs: restoresessionbase-delete, "retry"): it retries the DELETE with a growing wait and fails with
 * a clear message when the answer does not change.
 */
import { expect } from "chai";
import type { Emulator } from "../../tools/emulator";
import * as host from "../../provider/resources/host";
import type { ConfigSnapshot } from "../../provider/resources/host";
import { graphCall } from "../helpers/emulator";
import { unitPoints, useDirectProvider } from "./harness";

describe("restore-session delete when Graph deletes only part of the artifacts", function () {
  this.timeout(60_000);
  const fixture = useDirectProvider({ restoreMs: 20, unitsPerWorkload: 30, pollIntervalInMs: 5 });
  let emulator: Emulator;
  let config: ConfigSnapshot;
  before(() => {
    ({ emulator, config } = fixture);
  });

  async function draftOfFour(skip: number): Promise<{ id: string; outs: Record<string, unknown> }> {
    const points = await unitPoints(emulator, "oneDriveForBusiness", 4, skip);
    const checked = await host.check(
      "oneDriveForBusiness",
      config,
      {},
      { driveRestoreArtifacts: points.map((p) => ({ restorePoint: { id: p.restorePointId } })) },
    );
    expect(checked.failures ?? []).to.deep.equal([]);
    const created = await host.create(
      "oneDriveForBusiness",
      config,
      checked.inputs as Record<string, unknown>,
    );
    return { id: created.id, outs: created.outs as Record<string, unknown> };
  }

  function deletes(): { status: number }[] {
    return emulator.requestLog.entries({ kind: "graph", method: "DELETE" });
  }

  async function sessionStatus(id: string): Promise<number> {
    const answer = await graphCall(emulator, {
      method: "GET",
      path: `/solutions/backupRestore/restoreSessions/${id}`,
    });
    return answer.status;
  }

  it("retries the DELETE after IncompleteArtifactDeletion until the draft is gone", async () => {
    const draft = await draftOfFour(0);
    emulator.service.scriptIncompleteDeletion(draft.id, 2);
    emulator.requestLog.clear();

    await host.remove("oneDriveForBusiness", config, draft.id, draft.outs);

    expect(deletes().map((entry) => entry.status)).to.deep.equal([500, 500, 204]);
    expect(await sessionStatus(draft.id)).to.equal(404);
  });

  it("gives up after four attempts with a message that names the code and says to destroy again", async () => {
    const draft = await draftOfFour(4);
    emulator.service.scriptIncompleteDeletion(draft.id, 10);
    emulator.requestLog.clear();

    let failure: unknown;
    try {
      await host.remove("oneDriveForBusiness", config, draft.id, draft.outs);
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(Error);
    expect((failure as Error).message)
      .to.include("IncompleteArtifactDeletion")
      .and.to.include(draft.id)
      .and.to.include("run destroy again");
    expect(deletes().map((entry) => entry.status)).to.deep.equal([500, 500, 500, 500]);
    // Still a draft, with part of its artifacts gone; once Graph stops failing, destroy finishes.
    const artifacts = await graphCall(emulator, {
      method: "GET",
      path: `/solutions/backupRestore/oneDriveForBusinessRestoreSessions/${draft.id}/driveRestoreArtifacts`,
    });
    expect(artifacts.status).to.equal(200);
    expect((artifacts.body.value as unknown[]).length).to.be.lessThan(4);
    emulator.service.scriptIncompleteDeletion(draft.id, 0);
    await host.remove("oneDriveForBusiness", config, draft.id, draft.outs);
    expect(await sessionStatus(draft.id)).to.equal(404);
  });

  it("does not retry a 500 with another code", async () => {
    const draft = await draftOfFour(8);
    emulator.faults.add({
      method: "DELETE",
      pattern: "/solutions/backupRestore/restoreSessions/{id}",
      once: true,
      action: { kind: "status", status: 500, code: "InternalServerError" },
    });
    emulator.requestLog.clear();
    let failure: unknown;
    try {
      await host.remove("oneDriveForBusiness", config, draft.id, draft.outs);
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(Error);
    expect(deletes()).to.have.length(1);
  });
});
