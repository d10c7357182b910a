import { expect } from "chai";
import { nextInterval, realTiming } from "../../provider/resources/session/context";
import { CompletionTimeoutError, RestoreFailedError, settle } from "../../provider/resources/session/steps";
import {
  artifactOutput,
  observationFrom,
  observeSession,
  toStruct,
} from "../../provider/resources/session/outputs";
import { KIND_SCHEMAS, type SessionObservation } from "../../provider/model";
import { SessionKeptError } from "../../provider/resources/session/errors";

const { exchange: EXCHANGE, sharePoint: SHAREPOINT } = KIND_SCHEMAS;

function observation(
  status: SessionObservation["status"],
  artifacts: SessionObservation["artifacts"],
): SessionObservation {
  return observeSession(
    {
      id: "s1",
      status,
      restoreSessionArtifactCount: {
        total: artifacts.length,
        completed: 1,
        inProgress: 0,
        failed: artifacts.length - 1,
      },
    },
    artifacts,
  );
}

describe("outputs and completion", () => {
  it("keeps only the named fields of an artifact and fills absent ones with null", () => {
    const output = artifactOutput(SHAREPOINT, {
      id: "a1",
      status: "succeeded",
      restorePoint: { id: "rp1", protectionDateTime: "2026-11-01T00:00:00Z" },
      destinationType: "new",
      restoredSiteWebUrl: "https://contoso.sharepoint.com/sites/financeR1",
      // Fields Graph may add are never copied.
      ...({ somethingNew: "x" } as object),
    } as never);
    expect(output).to.deep.equal({
      id: "a1",
      restorePointId: "rp1",
      destinationType: "new",
      status: "succeeded",
      startDateTime: null,
      completionDateTime: null,
      error: null,
      restoredSiteId: null,
      restoredSiteName: null,
      restoredSiteWebUrl: "https://contoso.sharepoint.com/sites/financeR1",
    });
  });

  it("maps mailbox artifacts to the restored folder fields", () => {
    const output = artifactOutput(EXCHANGE, {
      id: "a1",
      status: "succeeded",
      restoredFolderName: "Restored",
      restoredItemCount: 12,
    });
    expect(output).to.include({
      restoredFolderName: "Restored",
      restoredItemCount: 12,
      restoredFolderId: null,
    });
    expect(output).to.not.have.property("restoredSiteWebUrl");
  });

  it("turns an unknown session status into unknownFutureValue", () => {
    expect(observeSession({ id: "s", status: "paused" as never }, []).status).to.equal("unknownFutureValue");
  });

  it("makes values safe for the engine's Struct: no undefined anywhere", () => {
    expect(toStruct({ a: undefined, b: [undefined, 1, { c: undefined }] })).to.deep.equal({
      b: [null, 1, {}],
    });
  });

  it("reads the observation back from state with defaults", () => {
    expect(observationFrom({})).to.deep.include({ status: "draft", artifacts: [], error: null });
  });

  it("fails a session that completed with errors, naming every failed artifact with its code", () => {
    const failed = observation("completedWithError", [
      {
        id: "ok",
        restorePointId: "rp1",
        destinationType: "new",
        status: "succeeded",
        startDateTime: null,
        completionDateTime: null,
        error: null,
      },
      {
        id: "bad",
        restorePointId: "rp2",
        destinationType: "new",
        status: "failed",
        startDateTime: null,
        completionDateTime: null,
        error: { code: "ArtifactCannotBeRestored", message: "on hold" },
      },
    ]);
    expect(() => settle("s1", failed))
      .to.throw(RestoreFailedError)
      .with.property("message")
      .that.includes("artifact bad (restore point rp2): ArtifactCannotBeRestored")
      .and.includes("change triggers");
  });

  it("reports a session still running at the deadline with its status and counts", () => {
    const running = observation("active", [
      {
        id: "a",
        restorePointId: "rp1",
        destinationType: "new",
        status: "inProgress",
        startDateTime: null,
        completionDateTime: null,
        error: null,
      },
    ]);
    expect(() => settle("s1", running))
      .to.throw(CompletionTimeoutError)
      .with.property("message")
      .that.includes("status active")
      .and.includes("of 1")
      .and.includes("resumes waiting");
  });

  it("accepts a completed session", () => {
    expect(settle("s1", observation("completed", [])).status).to.equal("completed");
  });

  it("grows the poll interval by half up to the cap", () => {
    const timing = { ...realTiming({}), initialPollIntervalInMs: 100, maxPollIntervalInMs: 200 };
    expect([nextInterval(timing, 100), nextInterval(timing, 150), nextInterval(timing, 200)]).to.deep.equal([
      150, 200, 200,
    ]);
  });

  it("reads the first poll interval from M365_BACKUP_POLL_INTERVAL_MS", () => {
    expect(realTiming({ M365_BACKUP_POLL_INTERVAL_MS: "25" }).initialPollIntervalInMs).to.equal(25);
    expect(realTiming({}).initialPollIntervalInMs).to.equal(5_000);
  });

  it("builds the partial-creation error the SDK understands: id, properties (with __provider) and reasons", () => {
    const outputs = {
      activate: false,
      waitForCompletion: false,
      completionTimeoutMinutes: 60,
      ...observation("draft", []),
    };
    const error = new SessionKeptError("s1", outputs, "activation failed", "serialized-provider");
    expect(error).to.include({ id: "s1", message: "activation failed" });
    expect(error.reasons).to.deep.equal(["activation failed"]);
    expect(error.properties).to.include({ status: "draft", __provider: "serialized-provider" });
    expect(SessionKeptError.isInstance(error)).to.equal(true);
  });
});
