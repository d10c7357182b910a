/**
 * Bad input is refused before anything happens: every invalid program fails at `check` during preview
 * with a message naming the property, and the emulator sees no request at all. The resource cases are
 * one resource each in one program (one preview reports each resource's check failure on its own URN;
 * a preview per case would cost a program process each), the config cases one stack each.
 */
import { expect } from "chai";
import { emulatorStackConfig, type Emulator } from "../../tools/emulator";
import type { ConfigValue, InstalledPackage } from "../../tools/runner";
import { startTestEmulator } from "../helpers/emulator";
import {
  mixedProgram,
  nameOf,
  RelStack,
  sharedInstall,
  toleratingRunnerEpipe,
  type Kind,
  type MixedDecl,
} from "./fixture";
import { tally } from "./summary";

const RP = "rp-0001";
const RP2 = "rp-0002";
/** A GUID-shaped id: compared without case, so its upper-case spelling is a duplicate. */
const GUID_POINT = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
const WHEN = "2026-11-20T09:00:00Z";
const PERIOD = { startDateTime: "2026-11-01T00:00:00Z" };

interface BadCase {
  /** What is wrong, in words (the resource name is derived from it). */
  what: string;
  kind: Kind;
  args: Record<string, unknown>;
  /** The property path the message must name. */
  names: string;
}

const sp = (artifacts: unknown): Record<string, unknown> => ({ siteRestoreArtifacts: artifacts });

const CASES: BadCase[] = [
  {
    what: "artifact list is a string",
    kind: "sharePoint",
    args: sp("all sites"),
    names: "siteRestoreArtifacts",
  },
  {
    what: "artifact list is an object",
    kind: "sharePoint",
    args: sp({ restorePoint: { id: RP } }),
    names: "siteRestoreArtifacts",
  },
  { what: "artifact is a string", kind: "sharePoint", args: sp([RP]), names: "siteRestoreArtifacts[0]" },
  { what: "artifact is empty", kind: "sharePoint", args: sp([{}]), names: "siteRestoreArtifacts[0]" },
  {
    what: "restorePoint is a string",
    kind: "sharePoint",
    args: sp([{ restorePoint: RP }]),
    names: "siteRestoreArtifacts[0].restorePoint",
  },
  {
    what: "restorePoint id is a number",
    kind: "sharePoint",
    args: sp([{ restorePoint: { id: 5 } }]),
    names: "siteRestoreArtifacts[0].restorePoint.id",
  },
  {
    what: "restorePoint id has spaces",
    kind: "sharePoint",
    args: sp([{ restorePoint: { id: "not an id" } }]),
    names: "siteRestoreArtifacts[0].restorePoint.id",
  },
  {
    what: "restorePoint id is empty",
    kind: "sharePoint",
    args: sp([{ restorePoint: { id: "" } }]),
    names: "siteRestoreArtifacts[0].restorePoint.id",
  },
  {
    what: "restorePoint has an unknown key",
    kind: "sharePoint",
    args: sp([{ restorePoint: { id: RP, when: WHEN } }]),
    names: "siteRestoreArtifacts[0].restorePoint.when",
  },
  {
    what: "artifact has an unknown key",
    kind: "sharePoint",
    args: sp([{ restorePoint: { id: RP }, colour: "red" }]),
    names: "siteRestoreArtifacts[0].colour",
  },
  {
    what: "destinationType is not an enum member",
    kind: "sharePoint",
    args: sp([{ restorePoint: { id: RP }, destinationType: "elsewhere" }]),
    names: "siteRestoreArtifacts[0].destinationType",
  },
  {
    what: "destinationType is a number",
    kind: "sharePoint",
    args: sp([{ restorePoint: { id: RP }, destinationType: 1 }]),
    names: "siteRestoreArtifacts[0].destinationType",
  },
  {
    what: "destination types are mixed",
    kind: "sharePoint",
    args: sp([
      { restorePoint: { id: RP }, destinationType: "new" },
      { restorePoint: { id: RP2 }, destinationType: "inPlace" },
    ]),
    names: "siteRestoreArtifacts",
  },
  {
    what: "an artifact is listed twice",
    kind: "sharePoint",
    args: sp([{ restorePoint: { id: GUID_POINT } }, { restorePoint: { id: GUID_POINT.toUpperCase() } }]),
    names: "siteRestoreArtifacts[1]",
  },
  {
    what: "standard and bulk styles are mixed",
    kind: "sharePoint",
    args: {
      ...sp([{ restorePoint: { id: RP } }]),
      siteRestoreArtifactsBulkAdditionRequest: {
        siteWebUrls: ["https://contoso.sharepoint.com/sites/a"],
        protectionTimePeriod: PERIOD,
      },
    },
    names: "siteRestoreArtifactsBulkAdditionRequest",
  },
  {
    what: "a top-level property is misspelt",
    kind: "sharePoint",
    args: { siteRestoreArtifact: [{ restorePoint: { id: RP } }] },
    names: "siteRestoreArtifact",
  },
  {
    what: "activate is a string",
    kind: "sharePoint",
    args: { ...sp([{ restorePoint: { id: RP } }]), activate: "yes" },
    names: "activate",
  },
  {
    what: "waitForCompletion is a number",
    kind: "sharePoint",
    args: { ...sp([{ restorePoint: { id: RP } }]), waitForCompletion: 1 },
    names: "waitForCompletion",
  },
  {
    what: "completionTimeoutMinutes is negative",
    kind: "sharePoint",
    args: { ...sp([{ restorePoint: { id: RP } }]), completionTimeoutMinutes: -5 },
    names: "completionTimeoutMinutes",
  },
  {
    what: "completionTimeoutMinutes is absurdly long",
    kind: "sharePoint",
    args: { ...sp([{ restorePoint: { id: RP } }]), completionTimeoutMinutes: 1_000_000 },
    names: "completionTimeoutMinutes",
  },
  {
    what: "completionTimeoutMinutes is a string",
    kind: "sharePoint",
    args: { ...sp([{ restorePoint: { id: RP } }]), completionTimeoutMinutes: "30" },
    names: "completionTimeoutMinutes",
  },
  {
    what: "activate with nothing to restore",
    kind: "sharePoint",
    args: { activate: true },
    names: "activate",
  },
  {
    what: "conflictBehavior is not an enum member",
    kind: "sharePoint",
    args: {
      granularSiteRestoreArtifacts: [{ browseSessionId: "b-1", id: "item-1" }],
      conflictBehavior: "merge",
    },
    names: "conflictBehavior",
  },
  {
    what: "conflictBehavior on a mailbox session",
    kind: "exchange",
    args: { mailboxRestoreArtifacts: [{ restorePoint: { id: RP } }], conflictBehavior: "replace" },
    names: "conflictBehavior",
  },
  {
    what: "selector site URL is plain http",
    kind: "sharePoint",
    args: sp([{ siteWebUrl: "http://contoso.sharepoint.com/sites/a", restorePointTime: WHEN }]),
    names: "siteRestoreArtifacts[0].siteWebUrl",
  },
  {
    what: "selector time is not an instant",
    kind: "sharePoint",
    args: sp([{ siteWebUrl: "https://contoso.sharepoint.com/sites/a", restorePointTime: "yesterday" }]),
    names: "restorePointTime",
  },
  {
    what: "selector and restorePoint together",
    kind: "sharePoint",
    args: sp([
      {
        siteWebUrl: "https://contoso.sharepoint.com/sites/a",
        restorePointTime: WHEN,
        restorePoint: { id: RP },
      },
    ]),
    names: "siteRestoreArtifacts[0].restorePoint",
  },
  {
    what: "selector of another workload",
    kind: "sharePoint",
    args: sp([{ mailbox: "ann@contoso.com", restorePointTime: WHEN }]),
    names: "siteRestoreArtifacts[0].mailbox",
  },
  {
    what: "selector preference is not an enum member",
    kind: "sharePoint",
    args: sp([
      {
        siteWebUrl: "https://contoso.sharepoint.com/sites/a",
        restorePointTime: WHEN,
        restorePointPreference: "newest",
      },
    ]),
    names: "restorePointPreference",
  },
  {
    what: "selector has an unknown key",
    kind: "sharePoint",
    args: sp([{ siteWebUrl: "https://contoso.sharepoint.com/sites/a", restorePointTime: WHEN, site: "a" }]),
    names: "siteRestoreArtifacts[0].site",
  },
  {
    what: "granular site item has no browse session",
    kind: "sharePoint",
    args: { granularSiteRestoreArtifacts: [{ id: "item-1" }] },
    names: "granularSiteRestoreArtifacts[0]",
  },
  {
    what: "bulk request is a string",
    kind: "sharePoint",
    args: { siteRestoreArtifactsBulkAdditionRequest: "all" },
    names: "siteRestoreArtifactsBulkAdditionRequest",
  },
  {
    what: "bulk request names nothing",
    kind: "sharePoint",
    args: { siteRestoreArtifactsBulkAdditionRequest: { siteWebUrls: [], protectionTimePeriod: PERIOD } },
    names: "siteRestoreArtifactsBulkAdditionRequest",
  },
  {
    what: "bulk site URL is plain http",
    kind: "sharePoint",
    args: {
      siteRestoreArtifactsBulkAdditionRequest: {
        siteWebUrls: ["http://contoso.sharepoint.com/sites/a"],
        protectionTimePeriod: PERIOD,
      },
    },
    names: "siteWebUrls[0]",
  },
  {
    what: "bulk site URL listed twice",
    kind: "sharePoint",
    args: {
      siteRestoreArtifactsBulkAdditionRequest: {
        siteWebUrls: ["https://contoso.sharepoint.com/sites/a", "https://contoso.sharepoint.com/sites/a"],
        protectionTimePeriod: PERIOD,
      },
    },
    names: "siteWebUrls[1]",
  },
  {
    what: "bulk request has no time period",
    kind: "sharePoint",
    args: {
      siteRestoreArtifactsBulkAdditionRequest: { siteWebUrls: ["https://contoso.sharepoint.com/sites/a"] },
    },
    names: "protectionTimePeriod",
  },
  {
    what: "bulk period ends before it starts",
    kind: "sharePoint",
    args: {
      siteRestoreArtifactsBulkAdditionRequest: {
        siteWebUrls: ["https://contoso.sharepoint.com/sites/a"],
        protectionTimePeriod: { startDateTime: WHEN, endDateTime: "2026-11-01T00:00:00Z" },
      },
    },
    names: "endDateTime",
  },
  {
    what: "bulk preference is not an enum member",
    kind: "sharePoint",
    args: {
      siteRestoreArtifactsBulkAdditionRequest: {
        siteWebUrls: ["https://contoso.sharepoint.com/sites/a"],
        protectionTimePeriod: PERIOD,
        restorePointPreference: "newest",
      },
    },
    names: "restorePointPreference",
  },
  {
    what: "bulk displayName is a number",
    kind: "sharePoint",
    args: {
      siteRestoreArtifactsBulkAdditionRequest: {
        siteWebUrls: ["https://contoso.sharepoint.com/sites/a"],
        protectionTimePeriod: PERIOD,
        displayName: 7,
      },
    },
    names: "displayName",
  },
  {
    what: "mailbox selector is not an address",
    kind: "exchange",
    args: { mailboxRestoreArtifacts: [{ mailbox: "not-an-address", restorePointTime: WHEN }] },
    names: "mailbox",
  },
  {
    what: "granular mailbox item has no search response",
    kind: "exchange",
    args: { granularMailboxRestoreArtifacts: [{ restorePoint: { id: RP } }] },
    names: "granularMailboxRestoreArtifacts[0]",
  },
  {
    what: "bulk mailbox is not an address",
    kind: "exchange",
    args: {
      mailboxRestoreArtifactsBulkAdditionRequest: {
        mailboxes: ["ann at contoso"],
        protectionTimePeriod: PERIOD,
      },
    },
    names: "mailboxes[0]",
  },
  {
    what: "OneDrive owner is not an address",
    kind: "oneDriveForBusiness",
    args: { driveRestoreArtifacts: [{ oneDriveOwner: "ann", restorePointTime: WHEN }] },
    names: "oneDriveOwner",
  },
  {
    what: "OneDrive restore point id is an object",
    kind: "oneDriveForBusiness",
    args: { driveRestoreArtifacts: [{ restorePoint: { id: { value: RP } } }] },
    names: "driveRestoreArtifacts[0].restorePoint.id",
  },
];

interface ConfigCase {
  what: string;
  config: (emulator: Emulator) => Record<string, ConfigValue>;
  names: string;
}

const CONFIG_CASES: ConfigCase[] = [
  {
    what: "Graph endpoint over plain http",
    config: (e) => ({ ...emulatorStackConfig(e), "m365-backup:graphEndpoint": "http://graph.example.com" }),
    names: "m365-backup:graphEndpoint",
  },
  {
    what: "authority host over plain http",
    config: (e) => ({ ...emulatorStackConfig(e), "m365-backup:authorityHost": "http://login.example.com" }),
    names: "m365-backup:authorityHost",
  },
  {
    what: "Graph endpoint with a version path",
    config: (e) => ({ ...emulatorStackConfig(e), "m365-backup:graphEndpoint": `${e.graphEndpoint}/v1.0` }),
    names: "m365-backup:graphEndpoint",
  },
  {
    what: "unknown API version",
    config: (e) => ({ ...emulatorStackConfig(e), "m365-backup:apiVersion": "v2.0" }),
    names: "m365-backup:apiVersion",
  },
  {
    what: "request timeout of zero seconds",
    config: (e) => ({ ...emulatorStackConfig(e), "m365-backup:requestTimeoutSeconds": "0" }),
    names: "m365-backup:requestTimeoutSeconds",
  },
  {
    what: "retry attempts that are not a whole number",
    config: (e) => ({ ...emulatorStackConfig(e), "m365-backup:retryMaxAttempts": "2.5" }),
    names: "m365-backup:retryMaxAttempts",
  },
  {
    what: "two credentials at once",
    config: (e) => ({ ...emulatorStackConfig(e), "m365-backup:clientCertificatePath": "/tmp/cert.pem" }),
    names: "m365-backup:clientCertificatePath",
  },
];

/** A config key misspelt: silently ignored until `check` learned to refuse it (docs/reliability.md, finding 1). */
const UNKNOWN_KEY_CASE: ConfigCase = {
  what: "misspelt config key",
  config: (e) => ({ ...emulatorStackConfig(e), "m365-backup:graphEndpont": e.graphEndpoint }),
  names: "m365-backup:graphEndpont",
};

const VALID: MixedDecl = {
  kind: "exchange",
  name: "valid",
  args: { mailboxRestoreArtifacts: [{ restorePoint: { id: RP } }] },
};

function resourceName(badCase: BadCase): string {
  return badCase.what.replace(/[^a-zA-Z0-9]+/g, "-");
}

describe("reliability: bad input is refused at check, before any Graph request", function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let installed: InstalledPackage;
  const stacks: RelStack[] = [];

  before(async () => {
    installed = await sharedInstall();
    emulator = await startTestEmulator({ restoreMs: 20 });
  });
  after(async () => {
    await Promise.all(stacks.map((stack) => stack.close()));
    await emulator?.close();
  });

  it(`refuses each of ${CASES.length} invalid resources in preview with a message naming the property, and sends nothing`, async () => {
    expect(CASES.length + CONFIG_CASES.length).to.be.at.least(40);
    const stack = RelStack.create(emulator, installed, { name: "bad-inputs" });
    stacks.push(stack);
    stack.source(
      mixedProgram(
        CASES.map((badCase) => ({ kind: badCase.kind, name: resourceName(badCase), args: badCase.args })),
      ),
    );
    emulator.requestLog.clear();
    const { value: result, epipes } = await toleratingRunnerEpipe(() =>
      stack.runner.preview({ allowErrors: true }),
    );
    if (epipes > 0)
      console.log(
        `      (the runner wrote to the stopped program host ${epipes} time(s): EPIPE, see docs/reliability.md)`,
      );
    const problems: string[] = [];
    for (const badCase of CASES) {
      const messages = result.errors
        .filter((error) => nameOf(error.urn) === resourceName(badCase))
        .map((error) => error.message);
      const named = messages.some((message) => message.includes(badCase.names));
      const atCheck = result.errors.some(
        (error) => nameOf(error.urn) === resourceName(badCase) && error.operation === "check",
      );
      if (!named || !atCheck)
        problems.push(
          `${badCase.what}: expected a check failure naming ${badCase.names}, got ${JSON.stringify(messages)}`,
        );
      tally("bad inputs", named && atCheck);
    }
    expect(emulator.requestLog.count(), "requests the emulator saw during the preview").to.equal(0);
    expect(problems).to.deep.equal([]);
  });

  it(`refuses each of ${CONFIG_CASES.length} invalid provider configurations in preview, naming the key, and sends nothing`, async () => {
    emulator.requestLog.clear();
    const outcomes = await Promise.all(
      CONFIG_CASES.map(async (configCase) => {
        const stack = RelStack.create(emulator, installed, {
          name: "bad-config",
          config: configCase.config(emulator),
        });
        stacks.push(stack);
        stack.source(mixedProgram([VALID]));
        try {
          const result = await stack.runner.preview({ allowErrors: true });
          return {
            configCase,
            messages: result.errors.map((error) => `${error.operation}: ${error.message}`),
          };
        } catch (error) {
          // A configuration the provider refuses at Configure fails the whole operation.
          return { configCase, messages: [error instanceof Error ? error.message : String(error)] };
        }
      }),
    );
    const problems: string[] = [];
    for (const { configCase, messages } of outcomes) {
      const named = messages.some((message) => message.includes(configCase.names));
      if (!named)
        problems.push(
          `${configCase.what}: expected a failure naming ${configCase.names}, got ${JSON.stringify(messages)}`,
        );
      tally("bad inputs", named);
    }
    const writes = emulator.requestLog.writes();
    expect(
      writes.map((entry) => `${entry.method} ${entry.path}`),
      "Graph writes during the previews",
    ).to.deep.equal([]);
    expect(emulator.requestLog.count({ kind: "graph" }), "Graph requests during the previews").to.equal(0);
    expect(problems).to.deep.equal([]);
  });

  // docs/reliability.md, finding 1 (fixed): `configure` records unknown `m365-backup:*` keys by name and
  // `check` refuses them.
  it("refuses a misspelt m365-backup config key at preview, naming it", async () => {
    const stack = RelStack.create(emulator, installed, {
      name: "bad-config",
      config: UNKNOWN_KEY_CASE.config(emulator),
    });
    stacks.push(stack);
    stack.source(mixedProgram([VALID]));
    const result = await stack.runner.preview({ allowErrors: true });
    const named = result.errors
      .map((error) => error.message)
      .join("\n")
      .includes(UNKNOWN_KEY_CASE.names);
    tally("bad inputs", named);
    expect(named, "the preview's errors name the misspelt key").to.equal(true);
    expect(emulator.requestLog.count({ kind: "graph" }), "Graph requests during the preview").to.equal(0);
  });
});
