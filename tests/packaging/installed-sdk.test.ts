/**
 * The packed provider installed the way a user installs it, next to the program's own `@pulumi/pulumi`
 * (the repository's version, or the one M365_BACKUP_PULUMI_SDK names: CI's Node 24 leg installs the
 * latest). npm must use that one copy: a second SDK under the provider loses resource registrations,
 * log lines and `instanceof` checks.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { type InstalledPackage, installPackage } from "../../tools/runner";

const REPO = path.join(__dirname, "..", "..");

interface NpmLsNode {
  version?: string;
  path?: string;
  dependencies?: Record<string, NpmLsNode>;
}

/** `npm ls <name> --all --long --json` in `cwd`: every installed copy of `name`, as path → version. */
function installedCopies(cwd: string, name: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    execFile(
      "npm",
      ["ls", name, "--all", "--long", "--json"],
      { cwd, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } },
      (error, stdout) => {
        let tree: NpmLsNode;
        try {
          tree = JSON.parse(stdout) as NpmLsNode;
        } catch {
          reject(error ?? new Error(`npm ls ${name} printed no JSON`));
          return;
        }
        const copies = new Map<string, string>();
        const walk = (node: NpmLsNode): void => {
          for (const [childName, child] of Object.entries(node.dependencies ?? {})) {
            if (childName === name && child.path !== undefined) copies.set(child.path, child.version ?? "?");
            walk(child);
          }
        };
        walk(tree);
        resolve(copies);
      },
    );
  });
}

describe("packaging: the installed provider shares the program's @pulumi/pulumi", function () {
  this.timeout(600_000);
  let installed: InstalledPackage;

  before(async function () {
    if (!fs.existsSync(path.join(REPO, "dist", "sdk", "index.js"))) {
      console.log("      skipped: dist/sdk/index.js is missing; run `npm run build` (npm test does) first");
      this.skip();
    }
    installed = await installPackage();
  });

  it("installs one copy of @pulumi/pulumi, the program's, on this Node", async () => {
    const copies = await installedCopies(installed.projectDir, "@pulumi/pulumi");
    console.log(
      `      Node ${process.versions.node}: npm ls @pulumi/pulumi shows ` +
        [...copies]
          .map(([where, version]) => `${version} at ${path.relative(installed.projectDir, where)}`)
          .join(", "),
    );
    expect([...copies.values()]).to.deep.equal([installed.pulumiVersion]);
    expect([...copies.keys()].map((where) => fs.realpathSync(where))).to.deep.equal([
      fs.realpathSync(path.join(installed.projectDir, "node_modules", "@pulumi", "pulumi")),
    ]);
  });

  it("loads the program's copy from inside the provider package", () => {
    const providerDir = path.join(installed.projectDir, "node_modules", installed.packageName);
    const fromProvider = require.resolve("@pulumi/pulumi", {
      paths: [path.join(providerDir, "dist", "sdk")],
    });
    const fromProgram = require.resolve("@pulumi/pulumi", { paths: [installed.projectDir] });
    expect(fs.realpathSync(fromProvider)).to.equal(fs.realpathSync(fromProgram));
  });
});
