/**
 * `importSessionId` on bulk and granular sessions, through the lifecycle runner: a session made
 * directly in Graph is taken over only when its bulk request, or its browse items and destinations,
 * are exactly the declared ones. (Standard sessions of every kind are covered in
 * restoreSessions.test.ts.)
 */
import { expect } from "chai";
import { graphCall } from "../helpers/emulator";
import { browseItems, graphWrites, ops, unitPoints, useRunnerStacks } from "./harness";

describe("importSessionId on bulk and granular sessions through the lifecycle runner", function () {
  this.timeout(600_000);
  const suite = useRunnerStacks({ restoreMs: 500, unitsPerWorkload: 60 });
  const { stack } = suite;

  it("takes over an activated Exchange bulk session whose bulk request matches, with zero Graph writes; another mailbox list is refused naming it", async () => {
    const mailboxes = (await unitPoints(suite.emulator, "exchange", 2, 40)).map((point) => point.name);
    const now = suite.emulator.clock.now();
    const protectionTimePeriod = {
      startDateTime: new Date(now.getTime() - 7 * 86_400_000).toISOString(),
      endDateTime: now.toISOString(),
    };
    const session = await graphCall(suite.emulator, {
      method: "POST",
      path: "/solutions/backupRestore/exchangeRestoreSessions",
      body: {},
    });
    expect(session.status, session.text).to.equal(201);
    const id = session.body.id as string;
    const bulk = await graphCall(suite.emulator, {
      method: "POST",
      path: `/solutions/backupRestore/exchangeRestoreSessions/${id}/mailboxRestoreArtifactsBulkAdditionRequests`,
      body: { displayName: "made elsewhere", mailboxes, protectionTimePeriod, destinationType: "new" },
    });
    expect(bulk.status, bulk.text).to.equal(201);
    const activation = await graphCall(suite.emulator, {
      method: "POST",
      path: `/solutions/backupRestore/restoreSessions/${id}/activate`,
    });
    expect(activation.status, activation.text).to.equal(200);

    const declared = (list: string[]) => ({
      mailboxRestoreArtifactsBulkAdditionRequest: {
        displayName: "made elsewhere",
        mailboxes: list.map((mailbox) => mailbox.toUpperCase()),
        protectionTimePeriod,
      },
      activate: true,
      importSessionId: id,
    });
    const s = stack();
    s.program("exchange", [{ name: "b", args: declared(mailboxes) }]);
    suite.emulator.requestLog.clear();
    const up = await s.runner.up();
    expect(ops(up)).to.deep.equal(["create"]);
    expect(graphWrites(suite.emulator)).to.deep.equal([]);
    expect(s.runner.resources().find((resource) => resource.custom)?.id).to.equal(id);
    expect(ops(await s.runner.up())).to.deep.equal(["same"]);

    const other = stack();
    other.program("exchange", [{ name: "b", args: declared(mailboxes.slice(0, 1)) }]);
    const refused = await other.runner.up({ allowErrors: true });
    expect(refused.errors[0]?.message).to.include("mailboxRestoreArtifactsBulkAdditionRequest.mailboxes");
    expect(graphWrites(suite.emulator)).to.deep.equal([]);
    expect(other.runner.resources().filter((resource) => resource.custom)).to.deep.equal([]);
  });

  it("takes over a SharePoint granular draft (beta) by item keys and destination; an item it does not hold is refused", async () => {
    const { browseSessionId, itemKeys } = await browseItems(suite.emulator);
    const session = await graphCall(suite.emulator, {
      method: "POST",
      path: "/solutions/backupRestore/sharePointRestoreSessions",
      version: "beta",
      body: {
        granularSiteRestoreArtifacts: [{ browseSessionId, id: itemKeys[0], destinationType: "new" }],
      },
    });
    expect(session.status, session.text).to.equal(201);
    const id = session.body.id as string;
    const beta = { "m365-backup:apiVersion": "beta" };

    const wrong = stack(beta);
    wrong.program("sharePoint", [
      {
        name: "g",
        args: {
          granularSiteRestoreArtifacts: [{ browseSessionId, id: itemKeys[1], destinationType: "new" }],
          importSessionId: id,
        },
      },
    ]);
    suite.emulator.requestLog.clear();
    const refused = await wrong.runner.up({ allowErrors: true });
    const message = refused.errors[0]?.message ?? "";
    expect(message).to.include(`declared but not in the session: browse item ${itemKeys[1].toLowerCase()}`);
    expect(message).to.include(`in the session but not declared: browse item ${itemKeys[0].toLowerCase()}`);

    const s = stack(beta);
    s.program("sharePoint", [
      {
        name: "g",
        args: {
          granularSiteRestoreArtifacts: [{ browseSessionId, id: itemKeys[0], destinationType: "new" }],
          importSessionId: id,
        },
      },
    ]);
    const up = await s.runner.up();
    expect(ops(up)).to.deep.equal(["create"]);
    expect(up.outputs.gStatus).to.equal("draft");
    expect(s.runner.resources().find((resource) => resource.custom)?.id).to.equal(id);
    expect(graphWrites(suite.emulator)).to.deep.equal([]);
  });
});
