import { expect } from "chai";
import { createGraphService } from "../../tools/emulator/service";
import {
  createRestoreSession,
  listProtectionUnits,
  listRestoreSessions,
  toArray,
} from "../../provider/graph";
import { useEmulator } from "../helpers/emulator";
import { virtualClient } from "./fixtures";

const SESSIONS = "/solutions/backupRestore/restoreSessions";

describe("pagination against the emulator", () => {
  const suite = useEmulator({ pageSize: 5, unitsPerWorkload: 12 });

  it("follows @odata.nextLink across several pages and yields every item once", async () => {
    const client = virtualClient(suite.emulator);
    const created = new Set<string>();
    for (let i = 0; i < 12; i++) {
      created.add((await createRestoreSession(client, i % 2 === 0 ? "sharePoint" : "exchange")).id);
    }
    suite.emulator.requestLog.clear();
    const listed = await toArray(listRestoreSessions(client));
    expect(new Set(listed.map((session) => session.id))).to.deep.equal(created);
    expect(listed).to.have.length(12);
    const pages = suite.emulator.requestLog.entries({ kind: "graph", method: "GET", pathPrefix: SESSIONS });
    expect(pages).to.have.length(3);
    expect(pages.slice(1).every((page) => page.query.includes("skiptoken"))).to.equal(true);
  });

  it("pages through protection units", async () => {
    const units = await toArray(listProtectionUnits(virtualClient(suite.emulator), "sharePoint"));
    expect(units).to.have.length(12);
    expect(new Set(units.map((unit) => unit.id)).size).to.equal(12);
  });

  it("stops reading as soon as the caller stops iterating", async () => {
    const client = virtualClient(suite.emulator);
    for await (const session of listRestoreSessions(client)) {
      expect(session.id).to.be.a("string");
      break;
    }
    expect(suite.emulator.requestLog.count({ kind: "graph", method: "GET", pathPrefix: SESSIONS })).to.equal(
      1,
    );
  });
});

/** Rewrites the emulator's absolute nextLinks into the other shapes Graph is documented to send. */
function rewritingNextLinks(rewrite: (link: URL) => string): typeof createGraphService {
  return (options) => {
    const real = createGraphService(options);
    return {
      ...real,
      handle: async (request) => {
        const response = await real.handle(request);
        const body = response.body as Record<string, unknown> | undefined;
        const link = body?.["@odata.nextLink"];
        if (typeof link !== "string") {
          return response;
        }
        return { ...response, body: { ...body, "@odata.nextLink": rewrite(new URL(link)) } };
      },
    };
  };
}

async function seedSessions(count: number, client: ReturnType<typeof virtualClient>): Promise<void> {
  for (let i = 0; i < count; i++) {
    await createRestoreSession(client, "oneDriveForBusiness");
  }
}

describe("pagination with relative and foreign next links", () => {
  describe("a link relative to the version root (/solutions/...)", () => {
    const suite = useEmulator({
      pageSize: 2,
      createService: rewritingNextLinks((link) => `${link.pathname.replace(/^\/v1\.0/, "")}${link.search}`),
    });

    it("is followed against the version root", async () => {
      const client = virtualClient(suite.emulator);
      await seedSessions(5, client);
      expect(await toArray(listRestoreSessions(client))).to.have.length(5);
    });
  });

  describe("a link relative to the origin (/v1.0/solutions/...)", () => {
    const suite = useEmulator({
      pageSize: 2,
      createService: rewritingNextLinks((link) => `${link.pathname}${link.search}`),
    });

    it("is followed against the origin", async () => {
      const client = virtualClient(suite.emulator);
      await seedSessions(3, client);
      expect(await toArray(listRestoreSessions(client))).to.have.length(3);
    });
  });

  describe("an absolute link to another origin", () => {
    const suite = useEmulator({
      pageSize: 2,
      createService: rewritingNextLinks((link) => `https://graph.invalid${link.pathname}${link.search}`),
    });

    it("is refused so the token never leaves the configured endpoint", async () => {
      const client = virtualClient(suite.emulator);
      await seedSessions(3, client);
      const error = await toArray(listRestoreSessions(client)).then(
        () => undefined,
        (failure: unknown) => failure as Error,
      );
      expect(error?.message).to.contain("another origin");
    });
  });
});
