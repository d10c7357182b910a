import { expect } from "chai";
import { emulatorStackConfig, type Emulator } from "../../emulator";
import { LifecycleRunner, type ConfigValue } from "../../runner";
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

interface PickedItem {
  name: string;
  type: string;
  itemKey: string;
}

interface BrowsedSessionOutput {
  target: string;
  restorePointId: string;
  protectionDateTime: string;
  browseSessionId: string;
  items: PickedItem[];
  id: string;
  status: string;
  restoreJobType: string;
  artifacts: {
    id: string;
    status: string;
    browseSessionId?: string | null;
    destinationType: string | null;
  }[];
}

interface MailboxOutput {
  id: string;
  status: string;
  restoreJobType: string;
  artifacts: { status: string; restorePointId: string | null; searchResponseId?: string | null }[];
}

interface MailboxSearchOutput {
  searchResponseId: string;
  restorePointId: string;
  artifactHitCount: number;
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

  it("restores browsed files and folders and searched mail items to new locations, and a pinned re-run changes nothing", async () => {
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

    const siteOut = first.outputs.site as BrowsedSessionOutput;
    const driveOut = first.outputs.oneDrive as BrowsedSessionOutput;
    for (const [kind, out, unitId] of [
      ["sharePoint", siteOut, site.id],
      ["oneDriveForBusiness", driveOut, drive.id],
    ] as const) {
      // The browsed point is the fast restore point at or before the time, of the right unit.
      expect(Date.parse(out.protectionDateTime), kind).to.equal(fastPoint);
      const point = emulator.service.tenant.restorePoint(out.restorePointId);
      expect(point?.tags, kind).to.equal("fastRestore");
      expect(point?.unitId, kind).to.equal(unitId);
      // One folder and one file of the Documents library, as the emulator's browse tree has them.
      expect(
        out.items.map((item) => item.type),
        kind,
      ).to.deep.equal(["folder", "file"]);
      for (const item of out.items) {
        const browsed = emulator.service.tenant.browseItem(kind, out.browseSessionId, item.itemKey);
        expect(browsed?.restorePointId, `${kind} ${item.name}`).to.equal(out.restorePointId);
        expect(browsed?.path, `${kind} ${item.name}`).to.include(item.name);
      }
      expect(out.restoreJobType, kind).to.equal("granular");
      expect(out.status, kind).to.equal("completed");
      expect(
        out.artifacts.map((artifact) => artifact.status),
        kind,
      ).to.deep.equal(["succeeded", "succeeded"]);
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

    // Graph holds exactly the chosen items, as granular artifacts restored to a new location.
    const siteArtifacts = await graphList(
      emulator,
      `${BASE}/sharePointRestoreSessions/${siteOut.id}/granularSiteRestoreArtifacts`,
      "beta",
    );
    expect(
      siteArtifacts.map((artifact) => [artifact.browseSessionId, artifact.id, artifact.destinationType]),
    ).to.have.deep.members(siteOut.items.map((item) => [siteOut.browseSessionId, item.itemKey, "new"]));
    const driveArtifacts = await graphList(
      emulator,
      `${BASE}/oneDriveForBusinessRestoreSessions/${driveOut.id}/granularDriveRestoreArtifacts`,
      "beta",
    );
    expect(
      driveArtifacts.map((artifact) => [artifact.browseSessionId, artifact.id, artifact.destinationType]),
    ).to.have.deep.members(driveOut.items.map((item) => [driveOut.browseSessionId, item.itemKey, "new"]));

    // The mailbox session names the program's artifact-query search and the point that search returned.
    const search = first.outputs.mailboxSearch as MailboxSearchOutput;
    const registered = emulator.service.tenant.searchResponse(search.searchResponseId);
    expect(registered?.restorePointIds).to.deep.equal([search.restorePointId]);
    expect(emulator.service.tenant.restorePoint(search.restorePointId)?.unitId).to.equal(mailbox.id);
    const mailOut = first.outputs.mailbox as MailboxOutput;
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
      [search.restorePointId, search.searchResponseId, "new", "succeeded", search.artifactHitCount],
    ]);

    // Every write went to beta; one browse session per restore point was opened.
    const writes = graphWrites(emulator);
    expect(
      writes.every((write) => write.split(" ")[1].startsWith("/beta/")),
      writes.join("\n"),
    ).to.equal(true);
    expect(writes.filter((write) => write.endsWith("BrowseSessions"))).to.deep.equal([
      `POST /beta${BASE}/sharePointBrowseSessions`,
      `POST /beta${BASE}/oneDriveForBusinessBrowseSessions`,
    ]);

    // A re-run with the search pinned (same stack, one more config pair) reuses the open browse
    // sessions: nothing changes and nothing is written.
    await runner.close();
    emulator.requestLog.clear();
    runner = new LifecycleRunner({
      projectDir,
      config: {
        ...config,
        "granular-restore:mailboxSearchResponseId": search.searchResponseId,
        "granular-restore:mailboxRestorePointId": search.restorePointId,
      },
    });
    const second = await runner.up();
    expect(sessionSteps(second.steps)).to.deep.equal([
      ["same", "ExchangeRestoreSession"],
      ["same", "OneDriveForBusinessRestoreSession"],
      ["same", "SharePointRestoreSession"],
    ]);
    expect((second.outputs.site as BrowsedSessionOutput).browseSessionId).to.equal(siteOut.browseSessionId);
    expect((second.outputs.oneDrive as BrowsedSessionOutput).browseSessionId).to.equal(
      driveOut.browseSessionId,
    );
    expect(graphWrites(emulator)).to.deep.equal([]);
  });
});
