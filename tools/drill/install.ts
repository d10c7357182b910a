/**
 * Installs the packed package for the drill, quickly: `npm pack` the repository (so the program sees
 * exactly the files a user installs, under `node_modules`, which is what closure serialization keys
 * on), unpack the tarball into a throwaway `node_modules/pulumi-m365-backup`, and link every other
 * entry to the repository's own `node_modules`, which `npm ci` has just filled with the same locked
 * dependencies. A full `npm install` of the tarball (what the lifecycle tests do, through
 * `tools/runner/install.ts`) would fetch the same versions again and take most of the drill's minute.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCommand } from "../runner/install";

export interface PackedInstall {
  /** A `node_modules` with the unpacked package and links to the repository's dependencies. */
  readonly nodeModulesDir: string;
  readonly tarballPath: string;
  readonly packageName: string;
  readonly packageVersion: string;
  readonly durationInMs: number;
  /** Removes everything this install made. */
  remove(): void;
}

/** Packs `repoDir` (which must be built) and lays the package out in a temporary `node_modules`. */
export async function installPackedPackage(repoDir: string): Promise<PackedInstall> {
  const started = Date.now();
  const manifest = JSON.parse(fs.readFileSync(path.join(repoDir, "package.json"), "utf8")) as {
    name: string;
    version: string;
    main?: string;
  };
  if (!fs.existsSync(path.join(repoDir, manifest.main ?? "index.js"))) {
    throw new Error(`${manifest.main ?? "index.js"} is missing: build the package first (npm run build).`);
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-backup-drill-install-"));
  const remove = () => fs.rmSync(workDir, { recursive: true, force: true });
  try {
    const packed = JSON.parse(
      await runCommand("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", workDir], repoDir),
    ) as { filename: string }[];
    const tarballPath = path.join(workDir, path.basename(packed[0]?.filename ?? ""));
    const nodeModulesDir = path.join(workDir, "node_modules");
    const packageDir = path.join(nodeModulesDir, ...manifest.name.split("/"));
    fs.mkdirSync(packageDir, { recursive: true });
    await runCommand("tar", ["-xzf", tarballPath, "--strip-components=1", "-C", packageDir], workDir);
    const repoModules = path.join(repoDir, "node_modules");
    for (const entry of fs.readdirSync(repoModules)) {
      if (
        !entry.startsWith(".") &&
        entry !== manifest.name &&
        !fs.existsSync(path.join(nodeModulesDir, entry))
      ) {
        fs.symlinkSync(path.join(repoModules, entry), path.join(nodeModulesDir, entry), "dir");
      }
    }
    return {
      nodeModulesDir,
      tarballPath,
      packageName: manifest.name,
      packageVersion: manifest.version,
      durationInMs: Date.now() - started,
      remove,
    };
  } catch (error) {
    remove();
    throw error;
  }
}
