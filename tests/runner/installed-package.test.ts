// The runner against this package as a user installs it: `npm pack`, then `npm install` of the tarball
// into a throwaway Pulumi project. The program loads the package and `@pulumi/pulumi` from that
// project's node_modules, and the dynamic-provider host is the installed SDK's.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { createProject, type InstalledPackage, installPackage, LifecycleRunner } from "../../tools/runner";
import { customSteps } from "./harness";
import { ToyServer } from "./toy-server";

const REPO = path.join(__dirname, "..", "..");
const BUILT = fs.existsSync(path.join(REPO, "dist", "sdk", "index.js"));

describe("lifecycle runner from an installed tarball", function () {
  this.timeout(600_000);
  let installed: InstalledPackage;
  let server: ToyServer;
  const runners: LifecycleRunner[] = [];

  before(async function () {
    if (!BUILT) {
      console.log("      skipped: dist/sdk/index.js is missing; run `npm run build` (npm test does) first");
      this.skip();
    }
    installed = await installPackage();
    console.log(
      `      npm pack took ${installed.packDurationInMs} ms, npm install ${installed.installDurationInMs} ms ` +
        `(${installed.packageName}@${installed.packageVersion} with @pulumi/pulumi ${installed.pulumiVersion})`,
    );
  });

  beforeEach(async () => {
    server = await ToyServer.start();
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.close()));
    await server?.close();
  });

  it("packs the built SDK and provider, and installs them with the repository's exact @pulumi/pulumi", () => {
    expect(installed.files).to.include.members(["package.json", "dist/sdk/index.js", "dist/sdk/index.d.ts"]);
    expect(installed.files.some((file) => file.startsWith("dist/provider/"))).to.be.true;
    expect(
      installed.files.some(
        (file) => file.startsWith("tests/") || (file.endsWith(".ts") && !file.endsWith(".d.ts")),
      ),
    ).to.be.false;
    const pulumiManifest = path.join(
      installed.projectDir,
      "node_modules",
      "@pulumi",
      "pulumi",
      "package.json",
    );
    expect((JSON.parse(fs.readFileSync(pulumiManifest, "utf8")) as { version: string }).version).to.equal(
      installed.pulumiVersion,
    );
  });

  it("runs a program that loads the installed package, with the installed SDK's provider host", async () => {
    const toyProvider = fs.readFileSync(path.join(__dirname, "fixtures", "toy-provider.js"), "utf8");
    const projectDir = createProject({
      from: installed,
      files: { "toy-provider.js": toyProvider },
      source: `
        const m365 = require("${installed.packageName}");
        const { ToyItem } = require("./toy-provider");
        const item = new ToyItem("a", { name: "installed" });
        exports.packageExports = Object.keys(m365).sort();
        exports.itemId = item.id;
        exports.sdkPath = require.resolve("@pulumi/pulumi");
      `,
    });
    const runner = new LifecycleRunner({ projectDir, config: { "toy:url": server.url } });
    runners.push(runner);
    const result = await runner.up();
    expect(customSteps(result)).to.deep.equal([["create", "a"]]);
    expect(result.outputs.packageExports).to.include.members([
      "SharePointRestoreSession",
      "ExchangeRestoreSession",
      "OneDriveForBusinessRestoreSession",
    ]);
    expect(result.outputs.itemId).to.equal("item-1");
    expect(fs.realpathSync(result.outputs.sdkPath as string)).to.equal(
      fs.realpathSync(path.join(installed.projectDir, "node_modules", "@pulumi", "pulumi", "index.js")),
    );
  });

  it("serializes each restore-session kind's provider from the installed package (sizes printed)", async () => {
    const projectDir = createProject({
      from: installed,
      source: `
        const m365 = require("${installed.packageName}");
        const artifact = { restorePoint: { id: "restore-point-1" } };
        new m365.SharePointRestoreSession("sites", { siteRestoreArtifacts: [artifact] });
        new m365.ExchangeRestoreSession("mailboxes", { mailboxRestoreArtifacts: [artifact] });
        new m365.OneDriveForBusinessRestoreSession("drives", { driveRestoreArtifacts: [artifact] });
      `,
    });
    const runner = new LifecycleRunner({ projectDir });
    runners.push(runner);
    // A preview: Check and Diff only, so nothing reaches Graph; Check may refuse without config.
    const result = await runner.preview({ allowErrors: true });
    for (const [type, bytes] of Object.entries(result.providerSizes)) {
      console.log(`      serialized __provider of ${type}: ${bytes} bytes`);
    }
    expect(Object.keys(result.providerSizes)).to.have.members([
      "pulumi-nodejs:dynamic/m365-backup:SharePointRestoreSession",
      "pulumi-nodejs:dynamic/m365-backup:ExchangeRestoreSession",
      "pulumi-nodejs:dynamic/m365-backup:OneDriveForBusinessRestoreSession",
    ]);
    expect(result.errors.filter((error) => error.operation === "program")).to.deep.equal([]);
  });
});
