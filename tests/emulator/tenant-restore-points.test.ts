/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- Graph response bodies are untyped JSON here; the tests assert their shape. */
import { expect } from "chai";
import { EmulatorClock, type Emulator } from "../../tools/emulator";
import { graphCall, useEmulator, expectGraphError as expectError } from "../helpers/emulator";

const NOW = Date.parse("2026-03-10T09:30:00Z");
const BASE = "/solutions/backupRestore";

function pointsPath(query: Record<string, string>): string {
  return `${BASE}/restorePoints?${new URLSearchParams(query).toString()}`;
}

describe("emulator tenant: GET restorePoints", () => {
  const suite = useEmulator({
    seed: "tenant-points",
    clock: new EmulatorClock(() => NOW),
    unitsPerWorkload: 30,
  });
  let mailbox: any;

  before(async () => {
    const res = await graphCall(suite.emulator, { method: "GET", path: `${BASE}/mailboxProtectionUnits` });
    mailbox = res.body.value[0];
  });

  function list(
    emulator: Emulator,
    filter: string,
    extra: Record<string, string> = {},
    client?: "readOnly" | "noRoles",
  ) {
    const query = { $expand: `protectionUnit($filter=id eq '${mailbox.id}')`, $filter: filter, ...extra };
    return graphCall(emulator, {
      method: "GET",
      path: pointsPath(query),
      ...(client === undefined ? {} : { client }),
    });
  }

  it("answers the documented request form with at most five points, newest first, and no nextLink", async () => {
    const path = `${BASE}/restorePoints?$expand=protectionUnit($filter=id%20eq%20'${mailbox.id}')&$filter=protectionDateTime%20lt%202026-03-10T00:01:00Z`;
    const res = await graphCall(suite.emulator, { method: "GET", path });
    expect(res.status).to.equal(200);
    expect(res.body["@odata.nextLink"]).to.equal(undefined);
    expect(res.body.value.map((p: any) => p.protectionDateTime)).to.deep.equal([
      "2026-03-10T00:00:00Z",
      "2026-03-09T23:00:00Z",
      "2026-03-09T22:00:00Z",
      "2026-03-09T21:00:00Z",
      "2026-03-09T20:00:00Z",
    ]);
    const [point] = res.body.value;
    expect(point["@odata.type"]).to.equal("#microsoft.graph.restorePoint");
    expect(point.id).to.be.a("string").and.not.empty;
    expect(point.tags).to.equal("fastRestore");
    expect(point.protectionUnit).to.include({
      "@odata.type": "#microsoft.graph.mailboxProtectionUnit",
      id: mailbox.id,
    });
  });

  it("orders by protectionDateTime: asc gives the five oldest in range, desc the five newest", async () => {
    const range = "protectionDateTime ge 2026-03-09T10:00:00Z and protectionDateTime lt 2026-03-09T20:00:00Z";
    const asc = await list(suite.emulator, range, { $orderby: "protectionDateTime asc" });
    expect(asc.body.value.map((p: any) => p.protectionDateTime.slice(11, 13))).to.deep.equal([
      "10",
      "11",
      "12",
      "13",
      "14",
    ]);
    const desc = await list(suite.emulator, range, { $orderby: "protectionDateTime desc" });
    expect(desc.body.value.map((p: any) => p.protectionDateTime.slice(11, 13))).to.deep.equal([
      "19",
      "18",
      "17",
      "16",
      "15",
    ]);
  });

  it("never lists a point after now", async () => {
    const res = await list(suite.emulator, "protectionDateTime gt 2026-03-10T07:30:00Z");
    expect(res.body.value.map((p: any) => p.protectionDateTime)).to.deep.equal([
      "2026-03-10T09:00:00Z",
      "2026-03-10T08:00:00Z",
    ]);
  });

  it("accepts the read-only client (Restore.Read.All) and refuses a client without backup roles", async () => {
    expect(
      (await list(suite.emulator, "protectionDateTime lt 2026-03-10T00:00:00Z", {}, "readOnly")).status,
    ).to.equal(200);
    const denied = await list(suite.emulator, "protectionDateTime lt 2026-03-10T00:00:00Z", {}, "noRoles");
    expect(denied.status).to.equal(403);
    expect(denied.body.error.message).to.include("BackupRestore-Restore.Read.All");
  });

  it("requires $expand and $filter, naming the one that is missing", async () => {
    const noExpand = await graphCall(suite.emulator, {
      method: "GET",
      path: pointsPath({ $filter: "protectionDateTime lt 2026-03-10T00:00:00Z" }),
    });
    expectError(noExpand, 400, "InvalidSearchRequest", "$expand");
    const noFilter = await graphCall(suite.emulator, {
      method: "GET",
      path: pointsPath({ $expand: `protectionUnit($filter=id eq '${mailbox.id}')` }),
    });
    expectError(noFilter, 400, "InvalidSearchRequest", "$filter");
  });

  it("requires the $expand to name one protection unit by id", async () => {
    const bare = await graphCall(suite.emulator, {
      method: "GET",
      path: pointsPath({ $expand: "protectionUnit", $filter: "protectionDateTime lt 2026-03-10T00:00:00Z" }),
    });
    expectError(bare, 400, "InvalidSearchRequest", "protectionUnit($filter=id eq");
  });

  it("answers InvalidProtectionUnitId for a malformed or unknown unit id", async () => {
    for (const id of ["not-a-guid", "23014d8c-71fe-4d00-a01a-31850bc5b42a"]) {
      const res = await graphCall(suite.emulator, {
        method: "GET",
        path: pointsPath({
          $expand: `protectionUnit($filter=id eq '${id}')`,
          $filter: "protectionDateTime lt 2026-03-10T00:00:00Z",
        }),
      });
      expectError(res, 400, "InvalidProtectionUnitId", id);
    }
  });

  it("rejects filters it cannot read: other fields, or, bad dates, empty ranges, no time comparison", async () => {
    expectError(await list(suite.emulator, "tags eq 'fastRestore'"), 400, "InvalidSearchRequest", "tags");
    expectError(
      await list(
        suite.emulator,
        "protectionDateTime lt 2026-03-10T00:00:00Z or protectionDateTime gt 2026-03-01T00:00:00Z",
      ),
      400,
      "InvalidSearchRequest",
      "and",
    );
    expectError(await list(suite.emulator, "protectionDateTime lt yesterday"), 400, "InvalidSearchRequest");
    expectError(
      await list(suite.emulator, "protectionDateTime lt 2026-03-10"),
      400,
      "InvalidSearchRequest",
      "2026-03-10",
    );
    expectError(
      await list(
        suite.emulator,
        "protectionDateTime gt 2026-03-10T00:00:00Z and protectionDateTime lt 2026-03-09T00:00:00Z",
      ),
      400,
      "InvalidSearchRequest",
      "empty",
    );
    expectError(
      await list(suite.emulator, "protectionDateTime between 1 and 2"),
      400,
      "InvalidSearchRequest",
    );
  });

  it("answers FilterLengthExceeded for a filter that is too long or has too many comparisons", async () => {
    const many = Array.from({ length: 21 }, () => "protectionDateTime lt 2026-03-10T00:00:00Z").join(" and ");
    expectError(await list(suite.emulator, many), 400, "FilterLengthExceeded");
    const long = `protectionDateTime lt 2026-03-10T00:00:00Z${" ".repeat(2100)}`;
    expectError(await list(suite.emulator, long), 400, "FilterLengthExceeded");
  });

  it("rejects an unsupported $orderby and query options it does not take", async () => {
    expectError(
      await list(suite.emulator, "protectionDateTime lt 2026-03-10T00:00:00Z", {
        $orderby: "expirationDateTime",
      }),
      400,
      "BadRequest",
    );
    const top = await list(suite.emulator, "protectionDateTime lt 2026-03-10T00:00:00Z", { $top: "2" });
    expect(top.status).to.equal(400);
    expect(top.body.error.message).to.include("$top");
  });

  it("filters on protectionUnit/policyId on beta only", async () => {
    const query = (policyId: string) => ({
      $expand: `protectionUnit($filter=id eq '${mailbox.id}')`,
      $filter: `protectionDateTime lt 2026-03-10T00:00:00Z and protectionUnit/policyId eq '${policyId}'`,
    });
    const beta = await graphCall(suite.emulator, {
      method: "GET",
      path: pointsPath(query(mailbox.policyId)),
      version: "beta",
    });
    expect(beta.body.value).to.have.length(5);
    const otherPolicy = await graphCall(suite.emulator, {
      method: "GET",
      path: pointsPath(query("9fec8e78-bce4-4aaf-ab1b-5451cc387264")),
      version: "beta",
    });
    expect(otherPolicy.body.value).to.deep.equal([]);
    expectError(
      await graphCall(suite.emulator, { method: "GET", path: pointsPath(query(mailbox.policyId)) }),
      400,
      "InvalidSearchRequest",
      "protectionUnit/policyId",
    );
  });

  it("answers BackupServiceNotEnabled while the backup service is disabled", async () => {
    suite.emulator.setServiceStatus("disabled");
    try {
      expectError(
        await list(suite.emulator, "protectionDateTime lt 2026-03-10T00:00:00Z"),
        403,
        "BackupServiceNotEnabled",
      );
    } finally {
      suite.emulator.setServiceStatus("enabled");
    }
    expect((await list(suite.emulator, "protectionDateTime lt 2026-03-10T00:00:00Z")).status).to.equal(200);
  });
});
