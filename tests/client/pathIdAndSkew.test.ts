/**
 * Two guards of the client (issue 13): every id is checked before it becomes part of a URL path, and
 * the client measures how far Graph's clock is from ours from its `Date` headers, keeping nothing else.
 */
import { expect } from "chai";
import {
  activateRestoreSession,
  createGraphClient,
  getBulkAdditionRequest,
  getRestoreSession,
  listRestoreSessions,
  toArray,
} from "../../provider/graph";
import { InvalidPathIdError, isPathId, pathSegment } from "../../provider/graph/pathId";
import { useEmulator } from "../helpers/emulator";
import { emulatorSettings } from "./fixtures";

describe("ids in URL paths, and Graph's clock", () => {
  const suite = useEmulator();

  it("accepts Graph's ids and refuses ., .., slashes, percent signs, queries, fragments and spaces", () => {
    for (const good of [
      "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
      "c7e7a1f2-0000-4000-8000-0000000000bf_1701648000_14_1",
      "aGVsbG8=",
      "site,web,list",
      // base64url opaque ids (the emulator's browse sessions) may start with - or _.
      "-Qm3x_8",
      "_Qm3x-8",
    ]) {
      expect(isPathId(good), good).to.equal(true);
    }
    for (const bad of [
      ".",
      "..",
      "../activate",
      "a/b",
      "a%2Fb",
      "a?b",
      "a#b",
      "a b",
      "",
      " a",
      5,
      undefined,
    ]) {
      expect(isPathId(bad), String(bad)).to.equal(false);
    }
    expect(pathSegment("a:b", "restore session id")).to.equal("a%3Ab");
  });

  it("fails before any request for a bad id, naming what it is and where it came from", async () => {
    const emulator = suite.emulator;
    const client = createGraphClient(emulatorSettings(emulator));
    emulator.requestLog.clear();
    const error = await activateRestoreSession(client, "..", { idSource: "the create journal" }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(InvalidPathIdError.isInstance(error)).to.equal(true);
    expect((error as Error).message).to.include('".." as a restore session id (from the create journal)');
    const bulk = await getBulkAdditionRequest(client, "exchange", "s1", "../x").then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(bulk?.message).to.include("bulk addition request id");
    expect(emulator.requestLog.count({ kind: "graph" }), "nothing was sent").to.equal(0);
  });

  it("measures Graph's clock from the Date header: the offset and a count, nothing else", async () => {
    const emulator = suite.emulator;
    // Our clock runs ten minutes ahead of Graph's (the emulator's Date header is the wall clock).
    const ahead = 10 * 60_000;
    const client = createGraphClient(emulatorSettings(emulator), {
      retry: { now: () => Date.now() + ahead },
    });
    expect(client.clockSkew()).to.equal(undefined);
    await toArray(listRestoreSessions(client));
    const skew = client.clockSkew();
    expect(Object.keys(skew ?? {}).sort()).to.deep.equal(["offsetInMs", "samples"]);
    expect(skew?.samples).to.equal(1);
    // A lower bound: the Date header is truncated to the second and stamped before the answer arrived.
    expect(skew?.offsetInMs).to.be.within(-ahead - 3_000, -ahead + 10);
    await getRestoreSession(client, "00000000-0000-4000-8000-000000000000").catch(() => undefined);
    expect(client.clockSkew()?.samples, "error answers carry a Date too").to.equal(2);
  });
});
