import { expect } from "chai";
import { checkSession, UNKNOWN_VALUE } from "../../provider/resources/check/check";
import * as host from "../../provider/resources/host";
import { DIFF_TABLE, diffSession } from "../../provider/resources/diff/diff";
import { KIND_SCHEMAS, type KindSchema } from "../../provider/model";

const { exchange: EXCHANGE, sharePoint: SHAREPOINT, oneDriveForBusiness: ONEDRIVE } = KIND_SCHEMAS;

const RP1 = "1f1fccc3-a642-4f61-bf49-f37b9a888279";
const RP2 = "1f1fccc3-a642-4f61-bf49-f37b9a888280";
const BROWSE = "m_RtZ8BiiUXOK69cuN6gwubfm9_yeVlDg8s6hci01_cVOAE";
const ITEM_A = "a535851e-9fc6-4eb1-90ab-2955fd9117b5";
const ITEM_B = "b535851e-9fc6-4eb1-90ab-2955fd9117b5";

/** Normalized inputs, as check produces them. */
function inputs(schema: KindSchema, given: Record<string, unknown>): Record<string, unknown> {
  const outcome = checkSession(schema, "v1.0", {}, given);
  expect(outcome.failures, JSON.stringify(outcome.failures)).to.deep.equal([]);
  return outcome.inputs;
}

/** State as the provider writes it: the inputs as applied plus what Graph reported. */
function state(schema: KindSchema, given: Record<string, unknown>, status: string): Record<string, unknown> {
  return { ...inputs(schema, given), status, artifacts: [], __provider: "serialized" };
}

interface DiffCase {
  name: string;
  schema?: KindSchema;
  status: string;
  olds: Record<string, unknown>;
  news: Record<string, unknown>;
  /** `same`, `update`, or the properties forcing replacement. */
  expect: "same" | "update" | string[];
}

const site = (id: string, destinationType?: string): Record<string, unknown> => ({
  restorePoint: { id },
  ...(destinationType ? { destinationType } : {}),
});

const CASES: DiffCase[] = [
  {
    name: "same artifacts in another order, with other id casing and the default destination written out",
    status: "draft",
    olds: { siteRestoreArtifacts: [site(RP1), site(RP2)] },
    news: { siteRestoreArtifacts: [site(RP2.toUpperCase(), "new"), site(RP1)] },
    expect: "same",
  },
  {
    name: "an artifact added to a draft",
    status: "draft",
    olds: { siteRestoreArtifacts: [site(RP1)] },
    news: { siteRestoreArtifacts: [site(RP1), site(RP2)] },
    expect: "update",
  },
  {
    name: "an artifact removed from a draft",
    status: "draft",
    olds: { siteRestoreArtifacts: [site(RP1), site(RP2)] },
    news: { siteRestoreArtifacts: [site(RP1)] },
    expect: "update",
  },
  {
    name: "an artifact added after activation",
    status: "active",
    olds: { siteRestoreArtifacts: [site(RP1)], activate: true },
    news: { siteRestoreArtifacts: [site(RP1), site(RP2)], activate: true },
    expect: ["siteRestoreArtifacts"],
  },
  {
    name: "the destination changed after completion",
    status: "completed",
    olds: { siteRestoreArtifacts: [site(RP1)], activate: true },
    news: { siteRestoreArtifacts: [site(RP1, "inPlace")], activate: true },
    expect: ["siteRestoreArtifacts"],
  },
  {
    name: "activate false to true on a draft",
    status: "draft",
    olds: { siteRestoreArtifacts: [site(RP1)] },
    news: { siteRestoreArtifacts: [site(RP1)], activate: true },
    expect: "update",
  },
  {
    name: "activate true with activation still pending (a create that failed after the session existed)",
    status: "draft",
    olds: { siteRestoreArtifacts: [site(RP1)], activate: false },
    news: { siteRestoreArtifacts: [site(RP1)], activate: true },
    expect: "update",
  },
  {
    name: "state recorded activate true while still a draft (an activation never read back)",
    status: "draft",
    olds: { siteRestoreArtifacts: [site(RP1)], activate: true },
    news: { siteRestoreArtifacts: [site(RP1)], activate: true },
    expect: "update",
  },
  {
    name: "activate true on a session someone activated out of band",
    status: "active",
    olds: { siteRestoreArtifacts: [site(RP1)], activate: false },
    news: { siteRestoreArtifacts: [site(RP1)], activate: true },
    expect: "same",
  },
  {
    name: "triggers changed on a draft",
    status: "draft",
    olds: { siteRestoreArtifacts: [site(RP1)], triggers: { run: 1 } },
    news: { siteRestoreArtifacts: [site(RP1)], triggers: { run: 2 } },
    expect: ["triggers"],
  },
  {
    name: "triggers with the same values in another key order",
    status: "completed",
    olds: { siteRestoreArtifacts: [site(RP1)], activate: true, triggers: { a: 1, b: [1, 2] } },
    news: { siteRestoreArtifacts: [site(RP1)], activate: true, triggers: { b: [1, 2], a: 1 } },
    expect: "same",
  },
  {
    name: "only waitForCompletion changed on a completed session",
    status: "completed",
    olds: { siteRestoreArtifacts: [site(RP1)], activate: true },
    news: { siteRestoreArtifacts: [site(RP1)], activate: true, waitForCompletion: true },
    expect: "update",
  },
  {
    name: "only artifactOutputs changed on a completed session: read again, never replaced",
    status: "completed",
    olds: { siteRestoreArtifacts: [site(RP1)], activate: true },
    news: { siteRestoreArtifacts: [site(RP1)], activate: true, artifactOutputs: "failedOnly" },
    expect: "update",
  },
  {
    name: "artifactOutputs all written out matches a state without it",
    status: "completed",
    olds: { siteRestoreArtifacts: [site(RP1)], activate: true },
    news: { siteRestoreArtifacts: [site(RP1)], activate: true, artifactOutputs: "all" },
    expect: "same",
  },
  {
    name: "only the timeout changed on a draft",
    status: "draft",
    olds: { siteRestoreArtifacts: [site(RP1)] },
    news: { siteRestoreArtifacts: [site(RP1)], completionTimeoutMinutes: 5 },
    expect: "update",
  },
  {
    name: "waiting left unfinished by a timeout last time",
    status: "active",
    olds: { siteRestoreArtifacts: [site(RP1)], activate: true, waitForCompletion: true },
    news: { siteRestoreArtifacts: [site(RP1)], activate: true, waitForCompletion: true },
    expect: "update",
  },
  {
    name: "a session that ended failed, seen by an earlier up",
    status: "failed",
    olds: { siteRestoreArtifacts: [site(RP1)], activate: true, waitForCompletion: true },
    news: { siteRestoreArtifacts: [site(RP1)], activate: true, waitForCompletion: true },
    expect: "same",
  },
  {
    name: "standard artifacts swapped for granular ones on a draft",
    status: "draft",
    olds: { siteRestoreArtifacts: [site(RP1)] },
    news: { granularSiteRestoreArtifacts: [{ browseSessionId: BROWSE, id: ITEM_A, destinationType: "new" }] },
    expect: ["siteRestoreArtifacts", "granularSiteRestoreArtifacts"],
  },
  {
    name: "a granular item added to a granular draft",
    schema: ONEDRIVE,
    status: "draft",
    olds: {
      granularDriveRestoreArtifacts: [{ browseSessionId: BROWSE, id: ITEM_A, destinationType: "new" }],
    },
    news: {
      granularDriveRestoreArtifacts: [
        { browseSessionId: BROWSE, id: ITEM_A, destinationType: "new" },
        { browseSessionId: BROWSE, id: ITEM_B, destinationType: "new" },
      ],
    },
    expect: "update",
  },
  {
    name: "a granular mailbox artifact added to a draft (Graph has no delta for them)",
    schema: EXCHANGE,
    status: "draft",
    olds: { granularMailboxRestoreArtifacts: [{ restorePoint: { id: RP1 }, searchResponseId: "s1" }] },
    news: {
      granularMailboxRestoreArtifacts: [
        { restorePoint: { id: RP1 }, searchResponseId: "s1" },
        { restorePoint: { id: RP2 }, searchResponseId: "s1" },
      ],
    },
    expect: ["granularMailboxRestoreArtifacts"],
  },
  {
    name: "a bulk request added to an empty draft",
    schema: EXCHANGE,
    status: "draft",
    olds: {},
    news: {
      mailboxRestoreArtifactsBulkAdditionRequest: {
        mailboxes: ["ann@contoso.com"],
        protectionTimePeriod: { startDateTime: "2026-11-01T00:00:00Z" },
      },
    },
    expect: "update",
  },
  {
    name: "a bulk request changed on a draft",
    schema: EXCHANGE,
    status: "draft",
    olds: {
      mailboxRestoreArtifactsBulkAdditionRequest: {
        mailboxes: ["ann@contoso.com"],
        protectionTimePeriod: { startDateTime: "2026-11-01T00:00:00Z" },
      },
    },
    news: {
      mailboxRestoreArtifactsBulkAdditionRequest: {
        mailboxes: ["bob@contoso.com"],
        protectionTimePeriod: { startDateTime: "2026-11-01T00:00:00Z" },
      },
    },
    expect: ["mailboxRestoreArtifactsBulkAdditionRequest"],
  },
  {
    name: "the same selector while newer restore points exist (the recorded resolution is not compared)",
    schema: EXCHANGE,
    status: "completed",
    olds: {
      mailboxRestoreArtifacts: [{ mailbox: "ann@contoso.com", restorePointTime: "2026-11-20T09:00:00Z" }],
      activate: true,
    },
    news: {
      mailboxRestoreArtifacts: [
        { mailbox: "ANN@contoso.com", restorePointTime: "2026-11-20T10:00:00+01:00" },
      ],
      activate: true,
    },
    expect: "same",
  },
  {
    name: "a selector's time moved after activation",
    schema: EXCHANGE,
    status: "active",
    olds: {
      mailboxRestoreArtifacts: [{ mailbox: "ann@contoso.com", restorePointTime: "2026-11-20T09:00:00Z" }],
      activate: true,
    },
    news: {
      mailboxRestoreArtifacts: [{ mailbox: "ann@contoso.com", restorePointTime: "2026-11-20T08:00:00Z" }],
      activate: true,
    },
    expect: ["mailboxRestoreArtifacts"],
  },
];

describe("diff", () => {
  for (const testCase of CASES) {
    const expected = testCase.expect;
    const label =
      expected === "same"
        ? "is same"
        : expected === "update"
          ? "is an update"
          : `replaces (${expected.join(", ")})`;
    it(`${label}: ${testCase.name}`, () => {
      const schema = testCase.schema ?? SHAREPOINT;
      const olds = state(schema, testCase.olds, testCase.status);
      if (testCase.olds.mailboxRestoreArtifacts) {
        // The state records what each selector resolved to; diff must ignore it.
        for (const artifact of olds.mailboxRestoreArtifacts as Record<string, unknown>[]) {
          artifact.resolvedRestorePointId = RP1;
        }
      }
      const result = diffSession(schema, olds, inputs(schema, testCase.news));
      if (expected === "same") {
        expect(result).to.deep.include({ changes: false, replaces: [] });
      } else if (expected === "update") {
        expect(result.changes).to.equal(true);
        expect(result.replaces).to.deep.equal([]);
      } else {
        expect(result.changes).to.equal(true);
        expect(result.replaces).to.deep.equal(expected);
      }
    });
  }

  it("during preview, a value not known yet on an activated session may replace it", async () => {
    const olds = state(SHAREPOINT, { siteRestoreArtifacts: [site(RP1)], activate: true }, "active");
    const news = {
      siteRestoreArtifacts: UNKNOWN_VALUE,
      activate: true,
      waitForCompletion: false,
      completionTimeoutMinutes: 60,
    };
    expect(await host.diff("sharePoint", olds, news)).to.deep.include({
      changes: true,
      replaces: ["siteRestoreArtifacts"],
    });
  });

  describe("during preview, agrees with apply when values are not known yet", () => {
    const draft = () => state(SHAREPOINT, { siteRestoreArtifacts: [site(RP1)], activate: false }, "draft");
    const known = inputs(SHAREPOINT, {
      siteRestoreArtifacts: [site(RP1)],
      activate: false,
      waitForCompletion: false,
      completionTimeoutMinutes: 60,
    });

    it("replaces a draft when triggers are unknown (apply replaces for any new triggers)", async () => {
      expect(await host.diff("sharePoint", draft(), { ...known, triggers: UNKNOWN_VALUE })).to.deep.include({
        changes: true,
        replaces: ["triggers"],
      });
    });

    it("replaces a draft when conflictBehavior is unknown", async () => {
      expect(
        await host.diff("sharePoint", draft(), { ...known, conflictBehavior: UNKNOWN_VALUE }),
      ).to.deep.include({
        changes: true,
        replaces: ["conflictBehavior"],
      });
    });

    it("updates a standard draft in place when its artifacts are unknown, as apply would", async () => {
      expect(
        await host.diff("sharePoint", draft(), { ...known, siteRestoreArtifacts: UNKNOWN_VALUE }),
      ).to.deep.include({
        changes: true,
        replaces: [],
      });
    });

    it("replaces a standard draft when unknown granular artifacts take their place", async () => {
      const news = {
        activate: false,
        waitForCompletion: false,
        completionTimeoutMinutes: 60,
        granularSiteRestoreArtifacts: UNKNOWN_VALUE,
      };
      const result = await host.diff("sharePoint", draft(), news);
      expect(result.replaces).to.include("granularSiteRestoreArtifacts");
    });

    it("never replaces for an unknown waitForCompletion", async () => {
      const olds = state(SHAREPOINT, { siteRestoreArtifacts: [site(RP1)], activate: true }, "active");
      const news = {
        ...inputs(SHAREPOINT, { siteRestoreArtifacts: [site(RP1)], activate: true }),
        waitForCompletion: UNKNOWN_VALUE,
      };
      expect(await host.diff("sharePoint", olds, news)).to.deep.include({ changes: true, replaces: [] });
    });
  });

  it("has one table row per input property", () => {
    const properties = DIFF_TABLE.map((row) => row.property(SHAREPOINT));
    expect(properties).to.have.members([
      "siteRestoreArtifacts",
      "granularSiteRestoreArtifacts",
      "siteRestoreArtifactsBulkAdditionRequest",
      "conflictBehavior",
      "triggers",
      "activate",
      "waitForCompletion",
      "completionTimeoutMinutes",
      "artifactOutputs",
      "importSessionId",
    ]);
  });

  it("ignores importSessionId: added, changed, removed or not known yet, on a draft and after activation", async () => {
    const id = "3d5c8f0e-6a2b-4f1e-9c7d-2b8e4a1f0c9d";
    for (const status of ["draft", "completed"] as const) {
      const activate = status !== "draft";
      const olds = state(
        SHAREPOINT,
        { siteRestoreArtifacts: [site(RP1)], activate, importSessionId: id },
        status,
      );
      for (const importSessionId of [undefined, "7a1b2c3d-0000-4000-8000-000000000000", UNKNOWN_VALUE]) {
        const news = inputs(SHAREPOINT, { siteRestoreArtifacts: [site(RP1)], activate });
        if (importSessionId !== undefined) news.importSessionId = importSessionId;
        expect(await host.diff("sharePoint", olds, news), `${status} ${importSessionId}`).to.deep.include({
          changes: false,
          replaces: [],
        });
      }
    }
  });
});
