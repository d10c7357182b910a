/**
 * Helpers for the restore-session lifecycle tests: a stack of the installed package wired to an
 * emulator, programs written per step, and restore points picked from the emulator's seeded tenant.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { emulatorStackConfig, type Emulator, type EmulatorOptions } from "../../tools/emulator";
import { clearCredentialCache } from "../../provider/graph";
import type { ConfigSnapshot } from "../../provider/resources/host";
import {
  createProject,
  installPackage,
  LifecycleRunner,
  type InstalledPackage,
  type OperationResult,
} from "../../tools/runner";
import { graphCall, startTestEmulator } from "../helpers/emulator";

export type Kind = "sharePoint" | "exchange" | "oneDriveForBusiness";

/** Per kind: the class, the Graph property names, the workload name and the selector field. */
export const KINDS: Record<
  Kind,
  { className: string; standard: string; type: string; unitType: string; selector: string; unitName: string }
> = {
  sharePoint: {
    className: "SharePointRestoreSession",
    standard: "siteRestoreArtifacts",
    type: "pulumi-nodejs:dynamic/m365-backup:SharePointRestoreSession",
    unitType: "microsoft.graph.siteProtectionUnit",
    selector: "siteWebUrl",
    unitName: "siteWebUrl",
  },
  exchange: {
    className: "ExchangeRestoreSession",
    standard: "mailboxRestoreArtifacts",
    type: "pulumi-nodejs:dynamic/m365-backup:ExchangeRestoreSession",
    unitType: "microsoft.graph.mailboxProtectionUnit",
    selector: "mailbox",
    unitName: "email",
  },
  oneDriveForBusiness: {
    className: "OneDriveForBusinessRestoreSession",
    standard: "driveRestoreArtifacts",
    type: "pulumi-nodejs:dynamic/m365-backup:OneDriveForBusinessRestoreSession",
    unitType: "microsoft.graph.driveProtectionUnit",
    selector: "oneDriveOwner",
    unitName: "email",
  },
};

/** One resource of a program. */
export interface ResourceDecl {
  name: string;
  args: Record<string, unknown>;
  /** Resource options as a JS expression body, e.g. `{ import: "..." }`. */
  opts?: Record<string, unknown>;
}

/** A program declaring `resources` of `kind` and exporting each one's id, status and artifacts. */
export function programSource(kind: Kind, resources: ResourceDecl[]): string {
  const { className } = KINDS[kind];
  const lines = [`"use strict";`, `const m365 = require("pulumi-m365-backup");`];
  resources.forEach((resource, index) => {
    lines.push(
      `const r${index} = new m365.${className}(${JSON.stringify(resource.name)}, ${JSON.stringify(resource.args)}, ${JSON.stringify(resource.opts ?? {})});`,
      `exports[${JSON.stringify(`${resource.name}Id`)}] = r${index}.id;`,
      `exports[${JSON.stringify(`${resource.name}Status`)}] = r${index}.status;`,
      `exports[${JSON.stringify(`${resource.name}Artifacts`)}] = r${index}.artifacts;`,
      `exports[${JSON.stringify(`${resource.name}Count`)}] = r${index}.restoreSessionArtifactCount;`,
    );
  });
  return `${lines.join("\n")}\n`;
}

/** A stack of one project (linked to the installed package) against one emulator. */
export class Stack {
  readonly runner: LifecycleRunner;

  constructor(
    readonly emulator: Emulator,
    readonly projectDir: string,
    extraConfig: Record<string, string> = {},
  ) {
    this.runner = new LifecycleRunner({
      projectDir,
      config: {
        ...emulatorStackConfig(emulator),
        ...extraConfig,
      },
      env: { NODE_EXTRA_CA_CERTS: emulator.caCertPath, M365_BACKUP_POLL_INTERVAL_MS: "10" },
    });
  }

  static create(
    emulator: Emulator,
    installed: InstalledPackage,
    extraConfig: Record<string, string> = {},
  ): Stack {
    const projectDir = createProject({ from: installed, name: "restore-sessions", source: "" });
    return new Stack(emulator, projectDir, extraConfig);
  }

  /** Writes the program the next operation runs. */
  program(kind: Kind, resources: ResourceDecl[]): this {
    fs.writeFileSync(path.join(this.projectDir, "index.js"), programSource(kind, resources));
    return this;
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}

/** A suite's installed package, emulator and stacks, available inside tests once `before` has run. */
export interface RunnerStacks {
  readonly installed: InstalledPackage;
  readonly emulator: Emulator;
  /** A new stack of the installed package (or of the project at `projectDir`), closed after the test. */
  readonly stack: (extraConfig?: Record<string, string>, projectDir?: string) => Stack;
}

/**
 * Registers the hooks of a suite that drives programs through the lifecycle runner: the packed package
 * installed once, an emulator started with `options`, and after each test the faults and the request
 * log cleared and every stack the test opened closed.
 */
export function useRunnerStacks(options: EmulatorOptions): RunnerStacks {
  const opened: Stack[] = [];
  const fixture = {
    stack: (extraConfig: Record<string, string> = {}, projectDir?: string): Stack => {
      const created =
        projectDir === undefined
          ? Stack.create(fixture.emulator, fixture.installed, extraConfig)
          : new Stack(fixture.emulator, projectDir, extraConfig);
      opened.push(created);
      return created;
    },
  } as { -readonly [K in keyof RunnerStacks]: RunnerStacks[K] };

  before(async () => {
    fixture.installed = await installPackage();
    fixture.emulator = await startTestEmulator(options);
  });
  afterEach(async () => {
    fixture.emulator.faults.reset();
    fixture.emulator.requestLog.clear();
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  after(async () => {
    await fixture.emulator?.close();
  });
  return fixture;
}

/** The ops of the custom-resource steps of an operation, e.g. `["create"]`. */
export function ops(result: OperationResult): string[] {
  return result.steps.filter((step) => step.custom).map((step) => step.op);
}

/** Graph writes (non-GET) the emulator saw. */
export function graphWrites(emulator: Emulator): string[] {
  return emulator.requestLog.writes().map((entry) => `${entry.method} ${entry.path}`);
}

/** A protection unit of the kind (not on hold) and its latest restore point. */
export interface UnitPoint {
  unitId: string;
  /** The mailbox, site URL or OneDrive owner that names the unit. */
  name: string;
  restorePointId: string;
  protectionDateTime: string;
}

/** Units of the kind not on hold, from `skip` on, with their latest restore point (via Graph search). */
export async function unitPoints(
  emulator: Emulator,
  kind: Kind,
  count: number,
  skip = 0,
): Promise<UnitPoint[]> {
  const tenant = emulator.service.tenant;
  const units = [];
  for (let index = 0; units.length < count + skip; index++) {
    const unit = tenant.unitAt(kind, index);
    if (!unit) throw new Error(`the emulator has too few ${kind} units`);
    if (!unit.onHold) units.push(unit);
  }
  const chosen = units.slice(skip);
  const now = emulator.clock.now();
  type Found = { restorePoint: { id: string; protectionDateTime: string; protectionUnit: { id: string } } };
  const results: Found[] = [];
  // A search takes at most 20 units.
  for (let start = 0; start < chosen.length; start += 20) {
    const search = await graphCall(emulator, {
      method: "POST",
      path: "/solutions/backupRestore/restorePoints/search",
      body: {
        protectionUnitIds: chosen.slice(start, start + 20).map((unit) => unit.id),
        protectionTimePeriod: {
          startDateTime: new Date(now.getTime() - 30 * 86_400_000).toISOString(),
          endDateTime: now.toISOString(),
        },
        restorePointPreference: "latest",
      },
    });
    if (search.status !== 200) throw new Error(`search answered ${search.status}: ${search.text}`);
    results.push(...(search.body.searchResults as Found[]));
  }
  return chosen.map((unit) => {
    const found = results.find((result) => result.restorePoint.protectionUnit.id === unit.id);
    if (!found) throw new Error(`no restore point for unit ${unit.id}`);
    return {
      unitId: unit.id,
      name: (kind === "sharePoint" ? unit.siteWebUrl : unit.email) as string,
      restorePointId: found.restorePoint.id,
      protectionDateTime: found.restorePoint.protectionDateTime,
    };
  });
}

/** A unit on hold (its restores fail with ArtifactCannotBeRestored) and its latest restore point. */
export async function unitOnHold(emulator: Emulator, kind: Kind): Promise<UnitPoint> {
  const tenant = emulator.service.tenant;
  for (let index = 0; ; index++) {
    const unit = tenant.unitAt(kind, index);
    if (!unit) throw new Error(`the emulator has no ${kind} unit on hold`);
    if (!unit.onHold) continue;
    const now = emulator.clock.now();
    const search = await graphCall(emulator, {
      method: "POST",
      path: "/solutions/backupRestore/restorePoints/search",
      body: {
        protectionUnitIds: [unit.id],
        protectionTimePeriod: {
          startDateTime: new Date(now.getTime() - 30 * 86_400_000).toISOString(),
          endDateTime: now.toISOString(),
        },
      },
    });
    const point = search.body.searchResults[0]?.restorePoint;
    if (!point) continue;
    return {
      unitId: unit.id,
      name: (kind === "sharePoint" ? unit.siteWebUrl : unit.email) as string,
      restorePointId: point.id,
      protectionDateTime: point.protectionDateTime,
    };
  }
}

/** All sessions of the emulator of the kind (raw Graph list). */
export async function sessionsInEmulator(emulator: Emulator): Promise<{ id: string; status: string }[]> {
  const sessions: { id: string; status: string }[] = [];
  let next: string | undefined = "/solutions/backupRestore/restoreSessions";
  while (next) {
    const page = await graphCall(emulator, { method: "GET", path: next });
    sessions.push(...(page.body.value as { id: string; status: string }[]));
    next = page.body["@odata.nextLink"] as string | undefined;
  }
  return sessions;
}

/** The emulator and the provider's config for suites that call `provider/resources/host` directly. */
export interface DirectProviderFixture {
  emulator: Emulator;
  config: ConfigSnapshot;
}

/**
 * Registers the hooks of a suite that calls the provider's host functions directly (no runner): an
 * emulator started with `options`, the provider's config pointing at it, a short first poll interval,
 * and faults and the request log cleared after each test. The fixture's fields are set once the suite's
 * `before` hooks have run.
 */
export function useDirectProvider(
  options: EmulatorOptions & { pollIntervalInMs: number },
): DirectProviderFixture {
  const fixture = {} as DirectProviderFixture;
  const previousInterval = process.env.M365_BACKUP_POLL_INTERVAL_MS;
  const { pollIntervalInMs, ...emulatorOptions } = options;

  before(async () => {
    process.env.M365_BACKUP_POLL_INTERVAL_MS = String(pollIntervalInMs);
    fixture.emulator = await startTestEmulator(emulatorOptions);
    fixture.config = {
      values: {
        tenantId: fixture.emulator.tenantId,
        clientId: fixture.emulator.clientId,
        clientSecret: fixture.emulator.clientSecret,
        authorityHost: fixture.emulator.authorityHost,
        graphEndpoint: fixture.emulator.graphEndpoint,
      },
      unknownKeys: [],
    };
  });
  afterEach(() => {
    fixture.emulator.faults.reset();
    fixture.emulator.requestLog.clear();
  });
  after(async () => {
    if (previousInterval === undefined) {
      delete process.env.M365_BACKUP_POLL_INTERVAL_MS;
    } else {
      process.env.M365_BACKUP_POLL_INTERVAL_MS = previousInterval;
    }
    clearCredentialCache();
    await fixture.emulator?.close();
  });
  return fixture;
}

/** Opens a browse session on a fast restore point of a site and returns its id and two item keys. */
export async function browseItems(
  emulator: Emulator,
): Promise<{ browseSessionId: string; itemKeys: string[] }> {
  const unit = emulator.service.tenant.unitAt("sharePoint", 0)!;
  const now = emulator.clock.now();
  const search = await graphCall(emulator, {
    method: "POST",
    path: "/solutions/backupRestore/restorePoints/search",
    version: "beta",
    body: {
      protectionUnitIds: [unit.id],
      protectionTimePeriod: {
        startDateTime: new Date(now.getTime() - 30 * 86_400_000).toISOString(),
        endDateTime: now.toISOString(),
      },
      tags: "fastRestore",
    },
  });
  const restorePointId = search.body.searchResults[0].restorePoint.id as string;
  const browse = await graphCall(emulator, {
    method: "POST",
    path: "/solutions/backupRestore/sharePointBrowseSessions",
    version: "beta",
    body: { restorePointId },
  });
  expect(browse.status, browse.text).to.equal(201);
  emulator.clock.advance(60_000);
  const top = await graphCall(emulator, {
    method: "POST",
    path: `/solutions/backupRestore/sharePointBrowseSessions/${browse.body.id}/browse`,
    version: "beta",
    body: {},
  });
  expect(top.status, top.text).to.equal(200);
  let items = top.body.value as { itemKey: string; type: string }[];
  // Walk down (site, library, folder) until a level has two items to restore.
  for (let depth = 0; items.length < 2 && depth < 4 && items[0]; depth++) {
    const next = await graphCall(emulator, {
      method: "POST",
      path: `/solutions/backupRestore/sharePointBrowseSessions/${browse.body.id}/browse`,
      version: "beta",
      body: { browseLocationItemKey: items[0].itemKey, browseResourceType: items[0].type },
    });
    expect(next.status, next.text).to.equal(200);
    items = next.body.value as { itemKey: string; type: string }[];
  }
  return {
    browseSessionId: browse.body.id as string,
    itemKeys: items.slice(0, 2).map((item) => item.itemKey),
  };
}
