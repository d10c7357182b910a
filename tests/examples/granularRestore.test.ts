import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { emulatorStackConfig, type Emulator } from "../../tools/emulator";
import { LifecycleRunner, type ConfigValue } from "../../tools/runner";
import { useEmulator } from "../helpers/emulator";
import {
  exampleDir,
  exampleProject,
  graphList,
  graphWrites,
  projectConfigValues,
  sessionSteps,
} from "./fixtures";

const HOUR = 60 * 60 * 1000;
const FAST_RESTORE_EVERY = 6 * HOUR;
const BASE = "/solutions/backupRestore";

interface SessionOutput {
  target: string;
  selected: string[];
  id: string;
  status: string;
  restoreJobType: string;
  artifacts: { id: string; status: string; destinationType: string | null }[];
}

/** A resolved granular selector as the state pins it. */
interface PinnedSelector {
  paths?: string[];
  resolved: {
    restorePointId: string;
    protectionDateTime: string;
    browseSessionId?: string;
    items?: { path: string; id: string; type: string }[];
    searchResponseId?: string;
    artifactHitCount?: number | null;
  };
}

function seeded(
  emulator: Emulator,
  workload: "exchange" | "sharePoint" | "oneDriveForBusiness",
  index: number,
) {
  const unit = emulator.service.tenant.unitAt(workload, index);
  if (unit === undefined) {
    throw new Error(`the seeded tenant has no ${workload} unit ${index}`);
  }
  return unit;
}

describe("examples/granular-restore through the lifecycle runner, from the installed package", function () {
  this.timeout(300_000);
  const suite = useEmulator({ unitsPerWorkload: 20, pageSize: 50 });
  let runner: LifecycleRunner | undefined;

  after(async () => {
    await runner?.close();
  });

  it("restores files and folders by path and mail items by query to new locations, and a re-run changes nothing", async () => {
    const emulator = suite.emulator;
    const now = emulator.clock.nowInMs();
    // Half an hour past the last fast restore point: the browse must pick that point, not a later one.
    const fastPoint = Math.floor(now / FAST_RESTORE_EVERY) * FAST_RESTORE_EVERY;
    const restorePointTime = new Date(Math.min(fastPoint + HOUR / 2, now)).toISOString();
    const site = seeded(emulator, "sharePoint", 2);
    const drive = seeded(emulator, "oneDriveForBusiness", 3);
    const mailbox = seeded(emulator, "exchange", 4);
    const config: Record<string, ConfigValue> = {
      ...projectConfigValues(exampleDir("granular-restore")),
      ...emulatorStackConfig(emulator),
      "granular-restore:restorePointTime": restorePointTime,
      "granular-restore:siteWebUrl": site.siteWebUrl as string,
      "granular-restore:oneDriveOwner": drive.email as string,
      "granular-restore:mailbox": mailbox.email as string,
    };
    expect(config["m365-backup:apiVersion"], "Pulumi.yaml sets the beta API").to.equal("beta");
    const projectDir = await exampleProject("granular-restore");
    runner = new LifecycleRunner({ projectDir, config });

    const first = await runner.up();
    expect(sessionSteps(first.steps)).to.deep.equal([
      ["create", "ExchangeRestoreSession"],
      ["create", "OneDriveForBusinessRestoreSession"],
      ["create", "SharePointRestoreSession"],
    ]);
    const pinned = (name: string, property: string): PinnedSelector => {
      const resource = runner?.resources().find((r) => r.custom && r.name === name);
      return (resource?.outputs[property] as unknown as PinnedSelector[])[0];
    };

    for (const [kind, name, property, out, unitId] of [
      ["sharePoint", "site-items", "granularSiteRestoreArtifacts", first.outputs.site, site.id],
      [
        "oneDriveForBusiness",
        "onedrive-items",
        "granularDriveRestoreArtifacts",
        first.outputs.oneDrive,
        drive.id,
      ],
    ] as const) {
      const session = out as SessionOutput;
      const selector = pinned(name, property);
      // The program picked the library's first folder and first file with browseRestorePoint.
      expect(session.selected, kind).to.have.length(2);
      expect(selector.paths, kind).to.have.members(session.selected);
      // The selector resolved to the fast restore point at or before the time, of the right unit.
      expect(Date.parse(selector.resolved.protectionDateTime), kind).to.equal(fastPoint);
      const point = emulator.service.tenant.restorePoint(selector.resolved.restorePointId);
      expect(point?.tags, kind).to.equal("fastRestore");
      expect(point?.unitId, kind).to.equal(unitId);
      expect((selector.resolved.items ?? []).map((item) => item.type).sort(), kind).to.deep.equal([
        "file",
        "folder",
      ]);
      for (const item of selector.resolved.items ?? []) {
        const browsed = emulator.service.tenant.browseItem(
          kind,
          selector.resolved.browseSessionId ?? "",
          item.id,
        );
        expect(browsed?.restorePointId, `${kind} ${item.path}`).to.equal(selector.resolved.restorePointId);
      }
      expect(session.restoreJobType, kind).to.equal("granular");
      expect(session.status, kind).to.equal("completed");
      expect(
        session.artifacts.map((artifact) => artifact.status),
        kind,
      ).to.deep.equal(["succeeded", "succeeded"]);
      const collection =
        kind === "sharePoint" ? "sharePointRestoreSessions" : "oneDriveForBusinessRestoreSessions";
      const artifacts = await graphList(emulator, `${BASE}/${collection}/${session.id}/${property}`, "beta");
      // Exactly the chosen items, restored to a new location (sent explicitly under beta).
      expect(
        artifacts.map((artifact) => [artifact.browseSessionId, artifact.id, artifact.destinationType]),
        kind,
      ).to.have.deep.members(
        (selector.resolved.items ?? []).map((item) => [selector.resolved.browseSessionId, item.id, "new"]),
      );
    }

    // The beta-only conflictBehavior went through check into the state of both browse-item sessions.
    const conflict = runner
      .resources()
      .filter((resource) => resource.custom)
      .map((resource) => [resource.name, resource.outputs.conflictBehavior])
      .sort();
    expect(conflict).to.deep.equal([
      ["mail-items", undefined],
      ["onedrive-items", "rename"],
      ["site-items", "rename"],
    ]);

    // The mailbox selector resolved to a search of that mailbox's point, and the session names it.
    const mailSelector = pinned("mail-items", "granularMailboxRestoreArtifacts").resolved;
    const registered = emulator.service.tenant.searchResponse(mailSelector.searchResponseId ?? "");
    expect(registered?.restorePointIds).to.deep.equal([mailSelector.restorePointId]);
    expect(emulator.service.tenant.restorePoint(mailSelector.restorePointId)?.unitId).to.equal(mailbox.id);
    const mailOut = first.outputs.mailbox as SessionOutput;
    expect(mailOut.restoreJobType).to.equal("granular");
    expect(mailOut.status).to.equal("completed");
    const mailArtifacts = await graphList(
      emulator,
      `${BASE}/exchangeRestoreSessions/${mailOut.id}/granularMailboxRestoreArtifacts`,
      "beta",
    );
    expect(
      mailArtifacts.map((artifact) => [
        (artifact.restorePoint as { id: string }).id,
        artifact.searchResponseId,
        artifact.destinationType,
        artifact.status,
        artifact.restoredItemCount,
      ]),
    ).to.deep.equal([
      [
        mailSelector.restorePointId,
        mailSelector.searchResponseId,
        "new",
        "succeeded",
        mailSelector.artifactHitCount,
      ],
    ]);

    // Every write went to beta; one browse session per restore point was opened (the program's
    // browseRestorePoint opened it, and the provider reused it).
    const writes = graphWrites(emulator);
    expect(
      writes.every((write) => write.split(" ")[1].startsWith("/beta/")),
      writes.join("\n"),
    ).to.equal(true);
    expect(writes.filter((write) => write.endsWith("BrowseSessions")).sort()).to.deep.equal([
      `POST /beta${BASE}/oneDriveForBusinessBrowseSessions`,
      `POST /beta${BASE}/sharePointBrowseSessions`,
    ]);

    // A re-run of the same program: the resolutions are pinned, nothing changes and nothing is written.
    emulator.requestLog.clear();
    const second = await runner.up();
    expect(sessionSteps(second.steps)).to.deep.equal([
      ["same", "ExchangeRestoreSession"],
      ["same", "OneDriveForBusinessRestoreSession"],
      ["same", "SharePointRestoreSession"],
    ]);
    expect(graphWrites(emulator)).to.deep.equal([]);
  });

  it("has no Graph client of its own", () => {
    const dir = exampleDir("granular-restore");
    expect(fs.existsSync(path.join(dir, "graph.js"))).to.equal(false);
    const source = fs.readFileSync(path.join(dir, "index.js"), "utf8");
    expect(source).to.not.match(/@azure\/identity|fetch\(|https?\.request/);
  });
});
