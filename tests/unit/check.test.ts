import { expect } from "chai";
import { checkSession, UNKNOWN_VALUE } from "../../provider/resources/check/check";
import { KIND_SCHEMAS, type KindSchema } from "../../provider/model";
import type { GraphApiVersion } from "../../provider/settings";

const { exchange: EXCHANGE, sharePoint: SHAREPOINT, oneDriveForBusiness: ONEDRIVE } = KIND_SCHEMAS;

const RP1 = "1f1fccc3-a642-4f61-bf49-f37b9a888279";
const RP2 = "1f1fccc3-a642-4f61-bf49-f37b9a888280";
const ITEM = "a535851e-9fc6-4eb1-90ab-2955fd9117b5,2a8b7eaf-092a-4561-a25a-998ad2e5142e";
const BROWSE = "m_RtZ8BiiUXOK69cuN6gwubfm9_yeVlDg8s6hci01_cVOAE";

interface FailureCase {
  name: string;
  schema?: KindSchema;
  apiVersion?: GraphApiVersion;
  olds?: Record<string, unknown>;
  news: Record<string, unknown>;
  property: string;
  /** A fragment of the reason that says how to fix it. */
  fix: string;
}

const FAILURES: FailureCase[] = [
  {
    name: "an importSessionId that is not a session id (it would go into a URL path)",
    news: { siteRestoreArtifacts: [{ restorePoint: { id: RP1 } }], importSessionId: ".." },
    property: "importSessionId",
    fix: "id of an existing restore session",
  },
  {
    name: "a triggers change while importSessionId still names the session in state",
    olds: {
      activate: true,
      waitForCompletion: false,
      completionTimeoutMinutes: 60,
      triggers: { run: 1 },
      importSessionId: "3d5c8f0e-6a2b-4f1e-9c7d-2b8e4a1f0c9d",
    },
    news: {
      siteRestoreArtifacts: [{ restorePoint: { id: RP1 } }],
      activate: true,
      triggers: { run: 2 },
      importSessionId: "3d5c8f0e-6a2b-4f1e-9c7d-2b8e4a1f0c9d",
    },
    property: "importSessionId",
    fix: "Remove importSessionId",
  },
  {
    name: "an artifactOutputs mode that does not exist",
    news: { siteRestoreArtifacts: [{ restorePoint: { id: RP1 } }], artifactOutputs: "failed" },
    property: "artifactOutputs",
    fix: '"failedOnly"',
  },
  {
    name: "standard and granular artifacts together",
    news: {
      siteRestoreArtifacts: [{ restorePoint: { id: RP1 } }],
      granularSiteRestoreArtifacts: [{ browseSessionId: BROWSE, id: ITEM }],
    },
    property: "granularSiteRestoreArtifacts",
    fix: "mutually exclusive",
  },
  {
    name: "standard artifacts and a bulk request together",
    schema: EXCHANGE,
    news: {
      mailboxRestoreArtifacts: [{ restorePoint: { id: RP1 } }],
      mailboxRestoreArtifactsBulkAdditionRequest: {
        mailboxes: ["ann@contoso.com"],
        protectionTimePeriod: { startDateTime: "2026-11-01T00:00:00Z" },
      },
    },
    property: "mailboxRestoreArtifactsBulkAdditionRequest",
    fix: "keep one",
  },
  {
    name: "two destination types in one session",
    news: {
      siteRestoreArtifacts: [
        { restorePoint: { id: RP1 } },
        { restorePoint: { id: RP2 }, destinationType: "inPlace" },
      ],
    },
    property: "siteRestoreArtifacts",
    fix: "one destination type",
  },
  {
    name: "the same restore point twice, differing only in case",
    news: {
      siteRestoreArtifacts: [{ restorePoint: { id: RP1 } }, { restorePoint: { id: RP1.toUpperCase() } }],
    },
    property: "siteRestoreArtifacts[1]",
    fix: "remove one",
  },
  {
    name: "the same selector twice",
    schema: EXCHANGE,
    news: {
      mailboxRestoreArtifacts: [
        { mailbox: "Ann@Contoso.com", restorePointTime: "2026-11-20T10:00:00+01:00" },
        { mailbox: "ann@contoso.com", restorePointTime: "2026-11-20T09:00:00Z" },
      ],
    },
    property: "mailboxRestoreArtifacts[1]",
    fix: "remove one",
  },
  {
    name: "a malformed restore point id",
    news: { siteRestoreArtifacts: [{ restorePoint: { id: "not an id!" } }] },
    property: "siteRestoreArtifacts[0].restorePoint.id",
    fix: "well-formed id",
  },
  {
    name: "a malformed browse item key",
    news: { granularSiteRestoreArtifacts: [{ browseSessionId: BROWSE, id: "a b" }] },
    property: "granularSiteRestoreArtifacts[0].id",
    fix: "itemKey",
  },
  {
    name: "an empty session with activate",
    news: { activate: true },
    property: "activate",
    fix: "set activate to false",
  },
  {
    name: "conflictBehavior under v1.0",
    news: {
      granularSiteRestoreArtifacts: [{ browseSessionId: BROWSE, id: ITEM }],
      conflictBehavior: "rename",
    },
    property: "conflictBehavior",
    fix: 'apiVersion to "beta"',
  },
  {
    name: "a granular drive item under v1.0 without a destination (Graph would choose it)",
    schema: ONEDRIVE,
    news: { granularDriveRestoreArtifacts: [{ browseSessionId: BROWSE, id: ITEM }] },
    property: "granularDriveRestoreArtifacts[0].destinationType",
    fix: 'Write destinationType: "new"',
  },
  {
    name: "a granular path selector climbing out of the site",
    news: {
      granularSiteRestoreArtifacts: [
        {
          siteWebUrl: "https://contoso.sharepoint.com/sites/finance",
          restorePointTime: "2026-11-20T09:00:00Z",
          paths: ["/Shared Documents/../../other"],
          destinationType: "new",
        },
      ],
    },
    property: "granularSiteRestoreArtifacts[0].paths[0]",
    fix: '".."',
  },
  {
    name: "a granular path selector naming a mailbox",
    news: {
      granularSiteRestoreArtifacts: [
        {
          mailbox: "ann@contoso.com",
          restorePointTime: "2026-11-20T09:00:00Z",
          paths: ["/Shared Documents"],
          destinationType: "new",
        },
      ],
    },
    property: "granularSiteRestoreArtifacts[0].mailbox",
    fix: "siteWebUrl",
  },
  {
    name: "a structured mailbox query under v1.0",
    schema: EXCHANGE,
    news: {
      granularMailboxRestoreArtifacts: [
        {
          mailbox: "ann@contoso.com",
          restorePointTime: "2026-11-20T09:00:00Z",
          query: { structuredQueryExpression: { senders: ["mallory@contoso.com"] } },
        },
      ],
    },
    property: "granularMailboxRestoreArtifacts[0].query.structuredQueryExpression",
    fix: "only in Graph beta",
  },
  {
    name: "an in-place granular site item under v1.0 (v1.0 cannot say so)",
    news: {
      granularSiteRestoreArtifacts: [{ browseSessionId: BROWSE, id: ITEM, destinationType: "inPlace" }],
    },
    property: "granularSiteRestoreArtifacts[0].destinationType",
    fix: 'apiVersion to "beta"',
  },
  {
    name: "conflictBehavior on a standard session",
    apiVersion: "beta",
    news: { siteRestoreArtifacts: [{ restorePoint: { id: RP1 } }], conflictBehavior: "replace" },
    property: "conflictBehavior",
    fix: "only to granular sessions",
  },
  {
    name: "conflictBehavior on Exchange",
    schema: EXCHANGE,
    apiVersion: "beta",
    news: { conflictBehavior: "replace" },
    property: "conflictBehavior",
    fix: "Remove it",
  },
  {
    name: "activate turned from true back to false",
    olds: { activate: true, siteRestoreArtifacts: [{ restorePoint: { id: RP1 } }] },
    news: { activate: false, siteRestoreArtifacts: [{ restorePoint: { id: RP1 } }] },
    property: "activate",
    fix: "change triggers, or delete the resource",
  },
  {
    name: "a selector naming a unit of another kind",
    news: {
      siteRestoreArtifacts: [{ mailbox: "ann@contoso.com", restorePointTime: "2026-11-20T09:00:00Z" }],
    },
    property: "siteRestoreArtifacts[0].mailbox",
    fix: "siteWebUrl or protectionUnitId",
  },
  {
    name: "a selector with a time that is not an instant",
    schema: EXCHANGE,
    news: { mailboxRestoreArtifacts: [{ mailbox: "ann@contoso.com", restorePointTime: "yesterday" }] },
    property: "mailboxRestoreArtifacts[0].restorePointTime",
    fix: "ISO 8601",
  },
  {
    name: "a selector that also names a restore point",
    schema: ONEDRIVE,
    news: {
      driveRestoreArtifacts: [
        {
          oneDriveOwner: "ann@contoso.com",
          restorePointTime: "2026-11-20T09:00:00Z",
          restorePoint: { id: RP1 },
        },
      ],
    },
    property: "driveRestoreArtifacts[0].restorePoint",
    fix: "not both",
  },
  {
    name: "an unknown top-level property",
    news: { siteRestoreArtifact: [] },
    property: "siteRestoreArtifact",
    fix: "siteRestoreArtifacts",
  },
  {
    name: "an unknown property inside an artifact",
    news: { siteRestoreArtifacts: [{ restorePoint: { id: RP1 }, destination: "new" }] },
    property: "siteRestoreArtifacts[0].destination",
    fix: "destinationType",
  },
  {
    name: "an unknown destination type",
    news: { siteRestoreArtifacts: [{ restorePoint: { id: RP1 }, destinationType: "elsewhere" }] },
    property: "siteRestoreArtifacts[0].destinationType",
    fix: '"inPlace"',
  },
  {
    name: "a completion timeout of zero",
    news: { completionTimeoutMinutes: 0 },
    property: "completionTimeoutMinutes",
    fix: "above 0",
  },
  {
    name: "activate that is not a boolean",
    news: { activate: "yes" },
    property: "activate",
    fix: "true or false",
  },
  {
    name: "a bulk request without resources",
    news: {
      siteRestoreArtifactsBulkAdditionRequest: {
        protectionTimePeriod: { startDateTime: "2026-11-01T00:00:00Z" },
      },
    },
    property: "siteRestoreArtifactsBulkAdditionRequest",
    fix: "siteWebUrls or siteIds",
  },
  {
    name: "a bulk request with a bad mailbox",
    schema: EXCHANGE,
    news: {
      mailboxRestoreArtifactsBulkAdditionRequest: {
        mailboxes: ["not-an-address"],
        protectionTimePeriod: { startDateTime: "2026-11-01T00:00:00Z" },
      },
    },
    property: "mailboxRestoreArtifactsBulkAdditionRequest.mailboxes[0]",
    fix: "email address",
  },
  {
    name: "a bulk request without a protection time period",
    schema: ONEDRIVE,
    news: { driveRestoreArtifactsBulkAdditionRequest: { drives: ["ann@contoso.com"] } },
    property: "driveRestoreArtifactsBulkAdditionRequest.protectionTimePeriod",
    fix: "required",
  },
  {
    name: "more than 50 granular mailbox artifacts",
    schema: EXCHANGE,
    news: {
      granularMailboxRestoreArtifacts: Array.from({ length: 51 }, (_, i) => ({
        restorePoint: { id: `${RP1}_${i}` },
        searchResponseId: "M2UyZDAwMDAwMDMxMzkzYTMyNj",
      })),
    },
    property: "granularMailboxRestoreArtifacts",
    fix: "split them",
  },
];

describe("check", () => {
  describe("fails naming the property and the fix", () => {
    for (const failure of FAILURES) {
      it(`refuses ${failure.name}`, () => {
        const outcome = checkSession(
          failure.schema ?? SHAREPOINT,
          failure.apiVersion ?? "v1.0",
          failure.olds ?? {},
          failure.news,
        );
        const match = outcome.failures.find((f) => f.property === failure.property);
        expect(match, `failures were ${JSON.stringify(outcome.failures)}`).to.not.equal(undefined);
        expect(match?.reason).to.include(failure.fix);
      });
    }
  });

  describe("normalizes", () => {
    it("defaults destinationType to new, activate and waitForCompletion to false, the timeout to 60", () => {
      const outcome = checkSession(
        SHAREPOINT,
        "v1.0",
        {},
        { siteRestoreArtifacts: [{ restorePoint: { id: RP1 } }] },
      );
      expect(outcome.failures).to.deep.equal([]);
      expect(outcome.inputs).to.deep.equal({
        activate: false,
        waitForCompletion: false,
        completionTimeoutMinutes: 60,
        siteRestoreArtifacts: [{ restorePoint: { id: RP1 }, destinationType: "new" }],
      });
    });

    it("keeps importSessionId, trimmed, for create to take that session over", () => {
      const outcome = checkSession(
        SHAREPOINT,
        "v1.0",
        {},
        {
          siteRestoreArtifacts: [{ restorePoint: { id: RP1 } }],
          importSessionId: " 3d5c8f0e-6a2b-4f1e-9c7d-2b8e4a1f0c9d ",
        },
      );
      expect(outcome.failures).to.deep.equal([]);
      expect(outcome.inputs.importSessionId).to.equal("3d5c8f0e-6a2b-4f1e-9c7d-2b8e4a1f0c9d");
    });

    it("keeps inPlace only where it is written", () => {
      const outcome = checkSession(
        EXCHANGE,
        "v1.0",
        {},
        {
          mailboxRestoreArtifacts: [{ restorePoint: { id: RP1 }, destinationType: "inPlace" }],
        },
      );
      expect(
        (outcome.inputs.mailboxRestoreArtifacts as { destinationType: string }[])[0]?.destinationType,
      ).to.equal("inPlace");
    });

    it("sorts artifacts and lower-cases GUID ids so order and case never show as changes", () => {
      const a = checkSession(
        SHAREPOINT,
        "v1.0",
        {},
        {
          siteRestoreArtifacts: [{ restorePoint: { id: RP2.toUpperCase() } }, { restorePoint: { id: RP1 } }],
        },
      );
      const b = checkSession(
        SHAREPOINT,
        "v1.0",
        {},
        {
          siteRestoreArtifacts: [{ restorePoint: { id: RP1 } }, { restorePoint: { id: RP2 } }],
        },
      );
      expect(a.inputs).to.deep.equal(b.inputs);
    });

    it("keeps base64 restore point ids as written (they are case-sensitive)", () => {
      const id =
        "TXpSbE5HUXpNR1l0TldZMFlpMDBNMk16TFdFeFl6WXRZall3TTJFeFl6Sm1OV000WHpFPV8xNzQ5NTY3MDAwXzE0XzE=";
      const outcome = checkSession(
        ONEDRIVE,
        "v1.0",
        {},
        { driveRestoreArtifacts: [{ restorePoint: { id } }] },
      );
      expect(
        (outcome.inputs.driveRestoreArtifacts as { restorePoint: { id: string } }[])[0]?.restorePoint.id,
      ).to.equal(id);
    });

    it("normalizes selectors: address case, instant spelling, default preference and destination", () => {
      const outcome = checkSession(
        EXCHANGE,
        "v1.0",
        {},
        {
          mailboxRestoreArtifacts: [
            { mailbox: "Ann@Contoso.COM", restorePointTime: "2026-11-20T10:00:00+01:00" },
          ],
        },
      );
      expect(outcome.failures).to.deep.equal([]);
      expect(outcome.inputs.mailboxRestoreArtifacts).to.deep.equal([
        {
          mailbox: "ann@contoso.com",
          restorePointTime: "2026-11-20T09:00:00.000Z",
          restorePointPreference: "latest",
          destinationType: "new",
        },
      ]);
    });

    it("defaults granular destinationType to new under beta and records an explicit new under v1.0", () => {
      const news = { granularSiteRestoreArtifacts: [{ browseSessionId: BROWSE, id: ITEM }] };
      const beta = checkSession(SHAREPOINT, "beta", {}, news).inputs.granularSiteRestoreArtifacts as object[];
      expect(beta[0]).to.have.property("destinationType", "new");
      const written = {
        granularSiteRestoreArtifacts: [{ browseSessionId: BROWSE, id: ITEM, destinationType: "new" }],
      };
      const v1 = checkSession(SHAREPOINT, "v1.0", {}, written);
      expect(v1.failures).to.deep.equal([]);
      expect((v1.inputs.granularSiteRestoreArtifacts as object[])[0]).to.have.property(
        "destinationType",
        "new",
      );
    });

    it("drops the engine's __provider key", () => {
      const outcome = checkSession(SHAREPOINT, "v1.0", {}, { __provider: "exports.handler = ..." });
      expect(outcome.inputs).to.not.have.property("__provider");
    });

    it("lets activate go from true to false when triggers change (a new session)", () => {
      const outcome = checkSession(
        SHAREPOINT,
        "v1.0",
        { activate: true, triggers: { run: 1 } },
        {
          activate: false,
          triggers: { run: 2 },
        },
      );
      expect(outcome.failures).to.deep.equal([]);
    });

    it("passes values unknown during preview through unvalidated", () => {
      const outcome = checkSession(
        SHAREPOINT,
        "v1.0",
        {},
        { siteRestoreArtifacts: [{ restorePoint: { id: UNKNOWN_VALUE } }] },
      );
      expect(outcome.failures).to.deep.equal([]);
    });

    it("accepts a complete bulk request and normalizes its lists", () => {
      const outcome = checkSession(
        SHAREPOINT,
        "v1.0",
        {},
        {
          siteRestoreArtifactsBulkAdditionRequest: {
            displayName: "finance",
            siteWebUrls: [
              "https://Contoso.sharepoint.com/sites/B/",
              "https://contoso.sharepoint.com/sites/a",
            ],
            protectionTimePeriod: {
              startDateTime: "2026-11-01T00:00:00Z",
              endDateTime: "2026-11-08T00:00:00Z",
            },
            restorePointPreference: "latest",
            tags: "fastRestore",
          },
          activate: true,
        },
      );
      expect(outcome.failures).to.deep.equal([]);
      expect(outcome.inputs.siteRestoreArtifactsBulkAdditionRequest).to.deep.include({
        siteWebUrls: ["https://contoso.sharepoint.com/sites/a", "https://contoso.sharepoint.com/sites/b"],
        destinationType: "new",
      });
    });
  });
});
