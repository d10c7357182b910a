/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- Graph response bodies are untyped JSON here; the tests assert their shape. */
import { expect } from "chai";
import { EmulatorClock, type Emulator } from "../../tools/emulator";
import { graphCall, useEmulator, expectGraphError as expectError } from "../helpers/emulator";

const NOW = Date.parse("2026-03-10T09:30:00Z");
const BASE = "/solutions/backupRestore";

/** Follows nextLinks to the end; returns every item and every page's link. */
async function allPages(emulator: Emulator, path: string): Promise<{ items: any[]; links: string[] }> {
  const items: any[] = [];
  const links: string[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const res: any = await graphCall(emulator, { method: "GET", path: next });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    items.push(...res.body.value);
    next = res.body["@odata.nextLink"];
    if (next !== undefined) {
      links.push(next);
    }
  }
  return { items, links };
}

function filtered(collection: string, filter: string): string {
  return `${BASE}/${collection}?$filter=${encodeURIComponent(filter)}`;
}

describe("emulator tenant: protection unit lists", () => {
  const suite = useEmulator({
    seed: "tenant-units",
    clock: new EmulatorClock(() => NOW),
    unitsPerWorkload: 12,
    pageSize: 5,
  });

  it("pages a typed list with absolute nextLinks on the emulator's address, each unit once", async () => {
    const { items, links } = await allPages(suite.emulator, `${BASE}/mailboxProtectionUnits`);
    expect(items).to.have.length(12);
    expect(new Set(items.map((u) => u.id)).size).to.equal(12);
    expect(links).to.have.length(2);
    for (const link of links) {
      expect(
        link.startsWith(`${suite.emulator.graphEndpoint}/v1.0${BASE}/mailboxProtectionUnits?$skiptoken=`),
      ).to.equal(true);
    }
  });

  it("lists every unit polymorphically: mailboxes, then sites, then drives", async () => {
    const { items } = await allPages(suite.emulator, `${BASE}/protectionUnits`);
    expect(items.map((u) => u["@odata.type"])).to.deep.equal([
      ...Array(12).fill("#microsoft.graph.mailboxProtectionUnit"),
      ...Array(12).fill("#microsoft.graph.siteProtectionUnit"),
      ...Array(12).fill("#microsoft.graph.driveProtectionUnit"),
    ]);
  });

  it("serves the same units through the type cast, the typed set and the policy", async () => {
    const typed = (await allPages(suite.emulator, `${BASE}/siteProtectionUnits`)).items;
    const cast = (
      await allPages(suite.emulator, `${BASE}/protectionUnits/microsoft.graph.siteProtectionUnit`)
    ).items;
    const policyId = typed[0].policyId;
    const underPolicy = (
      await allPages(suite.emulator, `${BASE}/sharePointProtectionPolicies/${policyId}/siteProtectionUnits`)
    ).items;
    expect(cast).to.deep.equal(typed);
    expect(underPolicy).to.deep.equal(typed);
    expect(new Set(typed.map((u) => u.policyId))).to.have.property("size", 1);
  });

  it("answers 404 for a policy that is not the workload's", async () => {
    const [mailbox] = (
      await graphCall(suite.emulator, { method: "GET", path: `${BASE}/mailboxProtectionUnits` })
    ).body.value;
    const wrong = await graphCall(suite.emulator, {
      method: "GET",
      path: `${BASE}/sharePointProtectionPolicies/${mailbox.policyId}/siteProtectionUnits`,
    });
    expectError(wrong, 404, "ResourceNotFound", mailbox.policyId);
  });

  it("filters by email (any case), directory object id and id, joined with or", async () => {
    const byEmail = await graphCall(suite.emulator, {
      method: "GET",
      path: filtered(
        "mailboxProtectionUnits",
        "email eq 'USER0003@contoso.com' or email eq 'user0011@contoso.com'",
      ),
    });
    expect(byEmail.body.value.map((u: any) => u.email)).to.deep.equal([
      "user0003@contoso.com",
      "user0011@contoso.com",
    ]);
    const person = byEmail.body.value[0];
    const drive = await graphCall(suite.emulator, {
      method: "GET",
      path: filtered("driveProtectionUnits", `directoryObjectId eq '${person.directoryObjectId}'`),
    });
    expect(drive.body.value).to.have.length(1);
    expect(drive.body.value[0]).to.include({
      email: "user0003@contoso.com",
      "@odata.type": "#microsoft.graph.driveProtectionUnit",
    });
    const byId = await graphCall(suite.emulator, {
      method: "GET",
      path: filtered("protectionUnits", `id eq '${drive.body.value[0].id}'`),
    });
    expect(byId.body.value.map((u: any) => u.id)).to.deep.equal([drive.body.value[0].id]);
    const nobody = await graphCall(suite.emulator, {
      method: "GET",
      path: filtered("mailboxProtectionUnits", "email eq 'user0013@contoso.com'"),
    });
    expect(nobody.body.value).to.deep.equal([]);
  });

  it("filters sites by URL and site id", async () => {
    const [, site] = (await graphCall(suite.emulator, { method: "GET", path: `${BASE}/siteProtectionUnits` }))
      .body.value;
    const byUrl = await graphCall(suite.emulator, {
      method: "GET",
      path: filtered("siteProtectionUnits", `siteWebUrl eq '${site.siteWebUrl}'`),
    });
    expect(byUrl.body.value).to.deep.equal([site]);
    const bySiteId = await graphCall(suite.emulator, {
      method: "GET",
      path: filtered("siteProtectionUnits", `siteId eq '${site.siteId}'`),
    });
    expect(bySiteId.body.value).to.deep.equal([site]);
  });

  it("keeps the filter in the nextLink of a filtered list", async () => {
    const [unit] = (await graphCall(suite.emulator, { method: "GET", path: `${BASE}/driveProtectionUnits` }))
      .body.value;
    const { items, links } = await allPages(
      suite.emulator,
      filtered("driveProtectionUnits", `policyId eq '${unit.policyId}'`),
    );
    expect(items).to.have.length(12);
    expect(new URL(links[0] ?? "").searchParams.get("$filter")).to.equal(`policyId eq '${unit.policyId}'`);
  });

  it("rejects filter fields, operators and connectives it does not support, naming them", async () => {
    expectError(
      await graphCall(suite.emulator, {
        method: "GET",
        path: filtered("mailboxProtectionUnits", "siteWebUrl eq 'x'"),
      }),
      400,
      "BadRequest",
      "siteWebUrl",
    );
    expectError(
      await graphCall(suite.emulator, {
        method: "GET",
        path: filtered("protectionUnits", "email eq 'user0001@contoso.com'"),
      }),
      400,
      "BadRequest",
      "email",
    );
    expectError(
      await graphCall(suite.emulator, {
        method: "GET",
        path: filtered("mailboxProtectionUnits", "email ne 'x'"),
      }),
      400,
      "BadRequest",
      "ne",
    );
    expectError(
      await graphCall(suite.emulator, {
        method: "GET",
        path: filtered("mailboxProtectionUnits", "email eq 'a@contoso.com' and email eq 'b@contoso.com'"),
      }),
      400,
      "BadRequest",
      "or",
    );
    expectError(
      await graphCall(suite.emulator, {
        method: "GET",
        path: filtered("mailboxProtectionUnits", "startswith(email,'user')"),
      }),
      400,
      "BadRequest",
    );
  });

  it("answers FilterLengthExceeded past 20 comparisons", async () => {
    const filter = Array.from(
      { length: 21 },
      (_, i) => `email eq 'user${String(i + 1).padStart(4, "0")}@contoso.com'`,
    ).join(" or ");
    expectError(
      await graphCall(suite.emulator, { method: "GET", path: filtered("mailboxProtectionUnits", filter) }),
      400,
      "FilterLengthExceeded",
    );
  });

  it("rejects query options it does not take and a forged skiptoken", async () => {
    const top = await graphCall(suite.emulator, {
      method: "GET",
      path: `${BASE}/mailboxProtectionUnits?$top=2`,
    });
    expect(top.status).to.equal(400);
    expect(top.body.error.message).to.include("$top");
    const forged = await graphCall(suite.emulator, {
      method: "GET",
      path: `${BASE}/mailboxProtectionUnits?$skiptoken=nonsense`,
    });
    expect(forged.status).to.equal(400);
  });

  it("requires BackupRestore-Configuration.Read.All", async () => {
    const res = await graphCall(suite.emulator, {
      method: "GET",
      path: `${BASE}/mailboxProtectionUnits`,
      client: "noRoles",
    });
    expect(res.status).to.equal(403);
    expect(res.body.error.message).to.include("BackupRestore-Configuration.Read.All");
  });
});
