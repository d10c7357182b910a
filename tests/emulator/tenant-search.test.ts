/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- Graph response bodies are untyped JSON here; the tests assert their shape. */
import { expect } from "chai";
import { EmulatorClock } from "../../tools/emulator";
import { graphCall, useEmulator, expectGraphError as expectError } from "../helpers/emulator";

const NOW = Date.parse("2026-03-10T09:30:00Z");
const SEARCH = "/solutions/backupRestore/restorePoints/search";
const DOCUMENTED_QUERY =
  "((subject -contains ‘Finance’)  -or  (subject -contains ‘Legal’)) -and (sender -eq 'alex@contoso.com') -and (recipient -eq 'carol@contoso.com') -and hasAttachment -eq true";

describe("emulator tenant: POST restorePoints/search", () => {
  const suite = useEmulator({
    seed: "tenant-search",
    clock: new EmulatorClock(() => NOW),
    unitsPerWorkload: 60,
  });
  const units: Record<string, any[]> = {};

  before(async () => {
    for (const collection of ["siteProtectionUnits", "mailboxProtectionUnits", "driveProtectionUnits"]) {
      const ids: any[] = [];
      let path: string | undefined = `/solutions/backupRestore/${collection}`;
      while (path !== undefined && ids.length < 45) {
        const res: any = await graphCall(suite.emulator, { method: "GET", path });
        ids.push(...res.body.value);
        path = res.body["@odata.nextLink"];
      }
      units[collection] = ids;
    }
  });

  const site = (i: number) => units.siteProtectionUnits?.[i];
  const mailbox = (i: number) => units.mailboxProtectionUnits?.[i];
  const search = (body: unknown, version: "v1.0" | "beta" = "v1.0", client?: "noRoles" | "readOnly") =>
    graphCall(suite.emulator, {
      method: "POST",
      path: SEARCH,
      body,
      version,
      ...(client === undefined ? {} : { client }),
    });

  it("answers the documented example shape: latest fastRestore point per unit, units without one listed apart", async () => {
    // Unit index 39 was protected one day before the emulator started, so it has nothing in early March.
    const ids = [site(0).id, site(1).id, site(39).id, site(2).id];
    const res = await search(
      {
        protectionUnitIds: ids,
        protectionTimePeriod: { startDateTime: "2026-03-01T00:00:00Z", endDateTime: "2026-03-08T00:00:00Z" },
        restorePointPreference: "latest",
        tags: "fastRestore",
      },
      "beta",
    );
    expect(res.status).to.equal(200);
    expect(res.body.searchResponseId).to.be.a("string").and.not.empty;
    expect(res.body.noResultProtectionUnitIds).to.deep.equal([site(39).id]);
    expect(res.body.searchResults.map((r: any) => r.restorePoint.protectionUnit.id)).to.deep.equal([
      site(0).id,
      site(1).id,
      site(2).id,
    ]);
    for (const { restorePoint } of res.body.searchResults) {
      expect(restorePoint).to.include({
        "@odata.type": "#microsoft.graph.restorePoint",
        protectionDateTime: "2026-03-08T00:00:00Z",
        tags: "fastRestore",
      });
      expect(restorePoint.protectionUnit["@odata.type"]).to.equal("#microsoft.graph.siteProtectionUnit");
      expect(restorePoint.protectionUnit.siteId).to.be.a("string");
      expect(restorePoint.protectionUnit.policyId).to.be.a("string");
      expect(restorePoint).to.not.have.property("artifactHitCount");
    }
  });

  it("picks the latest point at or before the end, and the oldest at or after the start", async () => {
    const latest = await search({
      protectionUnitIds: [mailbox(0).id],
      protectionTimePeriod: { endDateTime: "2026-03-09T14:59:59Z" },
      restorePointPreference: "latest",
    });
    expect(latest.body.searchResults.map((r: any) => r.restorePoint.protectionDateTime)).to.deep.equal([
      "2026-03-09T14:00:00Z",
    ]);
    const oldest = await search({
      protectionUnitIds: [mailbox(0).id],
      protectionTimePeriod: { startDateTime: "2026-03-09T14:00:01Z" },
      restorePointPreference: "oldest",
    });
    expect(oldest.body.searchResults.map((r: any) => r.restorePoint.protectionDateTime)).to.deep.equal([
      "2026-03-09T15:00:00Z",
    ]);
    const oldestFast = await search({
      protectionUnitIds: [mailbox(0).id],
      protectionTimePeriod: { startDateTime: "2026-03-09T14:00:01Z" },
      restorePointPreference: "oldest",
      tags: "fastRestore",
    });
    expect(oldestFast.body.searchResults.map((r: any) => r.restorePoint.protectionDateTime)).to.deep.equal([
      "2026-03-09T18:00:00Z",
    ]);
  });

  it("returns up to five points per unit, newest first, when no preference is given", async () => {
    const res = await search({
      protectionUnitIds: [mailbox(1).id, mailbox(2).id],
      protectionTimePeriod: { startDateTime: "2026-03-09T00:00:00Z", endDateTime: "2026-03-09T02:00:00Z" },
    });
    const times = res.body.searchResults.map((r: any) => [
      r.restorePoint.protectionUnit.id,
      r.restorePoint.protectionDateTime.slice(11, 13),
    ]);
    expect(times).to.deep.equal([
      [mailbox(1).id, "02"],
      [mailbox(1).id, "01"],
      [mailbox(1).id, "00"],
      [mailbox(2).id, "02"],
      [mailbox(2).id, "01"],
      [mailbox(2).id, "00"],
    ]);
  });

  it("takes 20 units and refuses 21", async () => {
    const period = { startDateTime: "2026-03-09T00:00:00Z" };
    const twenty = await search({
      protectionUnitIds: units.driveProtectionUnits?.slice(0, 20).map((u) => u.id),
      protectionTimePeriod: period,
      restorePointPreference: "latest",
    });
    expect(twenty.status).to.equal(200);
    expect(twenty.body.searchResults).to.have.length(20);
    const tooMany = await search({
      protectionUnitIds: units.driveProtectionUnits?.slice(0, 21).map((u) => u.id),
      protectionTimePeriod: period,
    });
    expectError(tooMany, 400, "InvalidSearchRequest", "20");
  });

  it("answers InvalidProtectionUnitId for a malformed or unknown id, and InvalidSearchRequest for empty or duplicate lists", async () => {
    const period = { startDateTime: "2026-03-09T00:00:00Z" };
    expectError(
      await search({ protectionUnitIds: ["abc"], protectionTimePeriod: period }),
      400,
      "InvalidProtectionUnitId",
      "abc",
    );
    expectError(
      await search({
        protectionUnitIds: ["23014d8c-71fe-4d00-a01a-31850bc5b42a"],
        protectionTimePeriod: period,
      }),
      400,
      "InvalidProtectionUnitId",
      "23014d8c-71fe-4d00-a01a-31850bc5b42a",
    );
    expectError(
      await search({ protectionUnitIds: [], protectionTimePeriod: period }),
      400,
      "InvalidSearchRequest",
      "protectionUnitIds",
    );
    expectError(
      await search({ protectionUnitIds: [site(0).id, site(0).id], protectionTimePeriod: period }),
      400,
      "InvalidSearchRequest",
      "more than once",
    );
  });

  it("answers InvalidSearchRequest for a missing or impossible period, a bad preference or tag", async () => {
    const ids = [site(0).id];
    expectError(
      await search({ protectionUnitIds: ids }),
      400,
      "InvalidSearchRequest",
      "protectionTimePeriod",
    );
    expectError(
      await search({ protectionUnitIds: ids, protectionTimePeriod: {} }),
      400,
      "InvalidSearchRequest",
      "protectionTimePeriod",
    );
    expectError(
      await search({
        protectionUnitIds: ids,
        protectionTimePeriod: { startDateTime: "2026-03-09T00:00:00Z", endDateTime: "2026-03-08T00:00:00Z" },
      }),
      400,
      "InvalidSearchRequest",
      "after",
    );
    expectError(
      await search({ protectionUnitIds: ids, protectionTimePeriod: { startDateTime: "last week" } }),
      400,
      "InvalidSearchRequest",
      "startDateTime",
    );
    const period = { startDateTime: "2026-03-09T00:00:00Z" };
    expectError(
      await search({
        protectionUnitIds: ids,
        protectionTimePeriod: period,
        restorePointPreference: "newest",
      }),
      400,
      "InvalidSearchRequest",
      "newest",
    );
    expectError(
      await search({ protectionUnitIds: ids, protectionTimePeriod: period, tags: "slowRestore" }),
      400,
      "InvalidSearchRequest",
      "slowRestore",
    );
    expectError(
      await search({ protectionUnitIds: ids, protectionTimePeriod: period, tags: "includeNewerItems" }),
      400,
      "InvalidSearchRequest",
    );
    expect(
      (
        await search(
          { protectionUnitIds: ids, protectionTimePeriod: period, tags: "includeNewerItems" },
          "beta",
        )
      ).status,
    ).to.equal(200);
  });

  it("rejects a property the action does not take, naming it", async () => {
    const res = await search({
      protectionUnitIds: [site(0).id],
      protectionTimePeriod: { startDateTime: "2026-03-09T00:00:00Z" },
      top: 3,
    });
    expectError(res, 400, "BadRequest", "top");
  });

  it("counts artifact hits per mailbox point and registers the search for granular mailbox restores", async () => {
    const res = await search(
      {
        protectionUnitIds: [mailbox(3).id, mailbox(4).id],
        protectionTimePeriod: { startDateTime: "2026-03-01T00:00:00Z" },
        restorePointPreference: "oldest",
        artifactQuery: { queryExpression: DOCUMENTED_QUERY, artifactType: "message" },
      },
      "beta",
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const hits = res.body.searchResults.map((r: any) => r.artifactHitCount);
    hits.forEach((hit: unknown) => expect(hit).to.be.a("number"));
    const registered = suite.emulator.service.tenant.searchResponse(res.body.searchResponseId);
    expect(registered?.restorePointIds).to.deep.equal(
      res.body.searchResults.map((r: any) => r.restorePoint.id),
    );
    expect(registered?.hitCount).to.equal(hits.reduce((a: number, b: number) => a + b, 0));

    const again = await search(
      {
        protectionUnitIds: [mailbox(3).id, mailbox(4).id],
        protectionTimePeriod: { startDateTime: "2026-03-01T00:00:00Z" },
        restorePointPreference: "oldest",
        artifactQuery: { queryExpression: DOCUMENTED_QUERY, artifactType: "message" },
      },
      "beta",
    );
    expect(again.body.searchResults.map((r: any) => r.artifactHitCount)).to.deep.equal(hits);
    expect(again.body.searchResponseId).to.not.equal(res.body.searchResponseId);
  });

  it("does not register a search without an artifact query for granular restores", async () => {
    const res = await search({
      protectionUnitIds: [mailbox(3).id],
      protectionTimePeriod: { startDateTime: "2026-03-01T00:00:00Z" },
    });
    expect(suite.emulator.service.tenant.searchResponse(res.body.searchResponseId)).to.equal(undefined);
  });

  it("accepts the artifactQuery page's grammar and rejects what neither page documents", async () => {
    const base = {
      protectionUnitIds: [mailbox(5).id],
      protectionTimePeriod: { startDateTime: "2026-03-01T00:00:00Z" },
    };
    const query = (queryExpression: unknown, extra: Record<string, unknown> = {}) => ({
      ...base,
      artifactQuery: { artifactType: "message", queryExpression, ...extra },
    });
    expect(
      (await search(query("(Sender -like 'abc@contoso.com') -and (HasAttachment -eq 'true')"))).status,
    ).to.equal(200);
    expect((await search(query("(Subject -like 'Budget*') -and (MessageKind -eq 'Email')"))).status).to.equal(
      200,
    );
    expectError(await search(query("(Body -eq 'x')")), 400, "InvalidSearchRequest", "Body");
    expectError(await search(query("(Subject -match 'x')")), 400, "InvalidSearchRequest", "-match");
    expectError(await search(query("(Subject -like '*x')")), 400, "InvalidSearchRequest", "*");
    expectError(await search(query("(Subject -eq 'x'")), 400, "InvalidSearchRequest", "(");
    expectError(await search(query("Subject -eq x")), 400, "InvalidSearchRequest", "quoted");
    expectError(
      await search({ ...base, artifactQuery: { artifactType: "file", queryExpression: "Subject -eq 'x'" } }),
      400,
      "InvalidSearchRequest",
      "message",
    );
    expectError(
      await search({ ...base, artifactQuery: { artifactType: "message" } }),
      400,
      "InvalidSearchRequest",
      "exactly one",
    );
  });

  it("takes a structuredQueryExpression on beta only", async () => {
    const body = {
      protectionUnitIds: [mailbox(6).id],
      protectionTimePeriod: { startDateTime: "2026-03-01T00:00:00Z" },
      artifactQuery: {
        artifactType: "message",
        structuredQueryExpression: { senders: ["alex@contoso.com"], hasAttachment: true, items: ["email"] },
      },
    };
    expect((await search(body, "beta")).status).to.equal(200);
    expectError(await search(body), 400, "BadRequest", "structuredQueryExpression");
  });

  it("allows an artifact query on mailboxes only", async () => {
    const res = await search({
      protectionUnitIds: [mailbox(0).id, site(0).id],
      protectionTimePeriod: { startDateTime: "2026-03-01T00:00:00Z" },
      artifactQuery: { artifactType: "message", queryExpression: "Subject -eq 'x'" },
    });
    expectError(res, 400, "InvalidSearchRequest", site(0).id);
  });

  it("requires BackupRestore-Search.Read.All", async () => {
    const res = await search(
      { protectionUnitIds: [site(0).id], protectionTimePeriod: { startDateTime: "2026-03-01T00:00:00Z" } },
      "v1.0",
      "noRoles",
    );
    expect(res.status).to.equal(403);
    expect(res.body.error.message).to.include("BackupRestore-Search.Read.All");
  });
});
