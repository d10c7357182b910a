// Installs this package the way a user does: `npm pack` the repository, then `npm install` the tarball
// into a throwaway Pulumi project with its own node_modules. Closure serialization treats code under
// node_modules differently from local files, and a file missing from the package only shows up this
// way. One install per process is shared (it takes a while); each test gets its own small project
// that links to the shared node_modules.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repositoryDir } from "../repository";
import { stopwatch } from "./operation";

/** Options for {@link installPackage}. */
export interface InstallOptions {
  /** The repository to pack. Default: the repository this file belongs to. */
  repoDir?: string;
  /** Run `npm run build` before packing. Default `false` (`npm test` has just built). */
  build?: boolean;
  /** Where to make the temporary directories. Default `os.tmpdir()`. */
  tempDir?: string;
}

/** A package installed into a temporary Pulumi project. */
export interface InstalledPackage {
  /** The project directory whose node_modules holds the package and `@pulumi/pulumi`. */
  projectDir: string;
  /** The packed tarball. */
  tarballPath: string;
  /** Name and version from the repository's package.json. */
  packageName: string;
  packageVersion: string;
  /**
   * The exact `@pulumi/pulumi` version installed: the one the repository uses, or the one
   * `M365_BACKUP_PULUMI_SDK` names (see {@link PULUMI_SDK_VARIABLE}).
   */
  pulumiVersion: string;
  /** How long packing and installing took. */
  packDurationInMs: number;
  installDurationInMs: number;
  /** Files in the tarball (paths inside `package/`). */
  files: string[];
}

/** Options for {@link createProject}. */
export interface CreateProjectOptions {
  /** Link the new project's node_modules to this install's. */
  from?: InstalledPackage;
  /** Or link it to this node_modules directory (e.g. the repository's own, for toy programs). */
  nodeModulesDir?: string;
  /** The project name written to Pulumi.yaml. Default `runner-test`. */
  name?: string;
  /** The program's file name. Default `index.js`. */
  program?: string;
  /** The program's source. */
  source?: string;
  /** More files to write, path (relative) → content. */
  files?: Record<string, string>;
  /** Parent directory for the project. Default `os.tmpdir()`. */
  tempDir?: string;
}

/**
 * The environment variable that chooses the `@pulumi/pulumi` installed next to the package: a version,
 * a range or a dist-tag (CI sets `latest`), resolved to one concrete version with `npm view`. Unset,
 * the install uses the exact version the repository itself has installed.
 */
export const PULUMI_SDK_VARIABLE = "M365_BACKUP_PULUMI_SDK";

const installs = new Map<string, Promise<InstalledPackage>>();
const temporaryDirs: string[] = [];
let cleanupRegistered = false;

/**
 * Packs the repository and installs the tarball (with the exact `@pulumi/pulumi` the repository uses,
 * or the one {@link PULUMI_SDK_VARIABLE} names) into a temporary Pulumi project, using npm's cache
 * (`--prefer-offline`). Memoized per repository
 * for the life of the process. The repository must be built (`dist/`) unless `build` is set.
 */
export function installPackage(options: InstallOptions = {}): Promise<InstalledPackage> {
  const repoDir = path.resolve(options.repoDir ?? repositoryDir());
  const key = fs.realpathSync(repoDir);
  let install = installs.get(key);
  if (!install) {
    install = install_(repoDir, options);
    installs.set(key, install);
    install.catch(() => installs.delete(key));
  }
  return install;
}

async function install_(repoDir: string, options: InstallOptions): Promise<InstalledPackage> {
  const manifest = readJson(path.join(repoDir, "package.json")) as {
    name: string;
    version: string;
    main?: string;
  };
  if (options.build) {
    await runCommand("npm", ["run", "build"], repoDir);
  }
  const main = path.join(repoDir, manifest.main ?? "index.js");
  if (!fs.existsSync(main)) {
    throw new Error(`${main} does not exist: build the package (npm run build) before installing it`);
  }
  const pulumiVersion = await chosenPulumiVersion(repoDir);
  const workDir = makeTemporaryDir(options.tempDir, "m365-backup-install-");
  const packWatch = stopwatch();
  // --ignore-scripts: a prepack/prepare script would rebuild; the caller decides when to build.
  const packed = JSON.parse(
    await runCommand("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", workDir], repoDir),
  ) as {
    filename: string;
    files: { path: string }[];
  }[];
  const packDurationInMs = packWatch();
  const tarball = packed[0];
  if (!tarball) {
    throw new Error("npm pack produced no tarball");
  }
  const tarballPath = path.join(workDir, path.basename(tarball.filename));
  const projectDir = path.join(workDir, "project");
  fs.mkdirSync(projectDir);
  writeProjectFiles(projectDir, "installed-package", {
    name: "installed-package",
    version: "0.0.0",
    private: true,
    dependencies: { [manifest.name]: `file:${tarballPath}`, "@pulumi/pulumi": pulumiVersion },
  });
  const installWatch = stopwatch();
  await runCommand(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
    projectDir,
  );
  return {
    projectDir,
    tarballPath,
    packageName: manifest.name,
    packageVersion: manifest.version,
    pulumiVersion,
    packDurationInMs,
    installDurationInMs: installWatch(),
    files: tarball.files.map((file) => file.path),
  };
}

/**
 * The `@pulumi/pulumi` version to install: {@link PULUMI_SDK_VARIABLE} resolved by the registry to the
 * highest matching version, or the repository's own. Says which one, since a test run on "latest" must
 * show what it tested.
 */
async function chosenPulumiVersion(repoDir: string): Promise<string> {
  const requested = process.env[PULUMI_SDK_VARIABLE]?.trim();
  if (!requested) {
    return (
      readJson(require.resolve("@pulumi/pulumi/package.json", { paths: [repoDir] })) as { version: string }
    ).version;
  }
  const answer = JSON.parse(
    await runCommand("npm", ["view", `@pulumi/pulumi@${requested}`, "version", "--json"], repoDir),
  ) as string | string[] | undefined;
  // npm view answers one version as a string and several (a range) as a list in ascending order.
  const version = Array.isArray(answer) ? answer[answer.length - 1] : answer;
  if (typeof version !== "string" || version === "") {
    throw new Error(`${PULUMI_SDK_VARIABLE}=${requested} names no published @pulumi/pulumi version`);
  }
  console.log(`      installing @pulumi/pulumi ${version} (${PULUMI_SDK_VARIABLE}=${requested})`);
  return version;
}

/**
 * Makes a small Pulumi project (Pulumi.yaml with `runtime: nodejs`, package.json, a program) whose
 * node_modules is a link to an install's (or any) node_modules. Returns its directory; it is removed
 * when the process exits.
 */
export function createProject(options: CreateProjectOptions): string {
  const nodeModules = options.from
    ? path.join(options.from.projectDir, "node_modules")
    : options.nodeModulesDir;
  if (!nodeModules) {
    throw new Error("createProject needs `from` (an installed package) or `nodeModulesDir`");
  }
  const name = options.name ?? "runner-test";
  const projectDir = makeTemporaryDir(options.tempDir, "m365-backup-project-");
  const program = options.program ?? "index.js";
  writeProjectFiles(projectDir, name, { name, version: "0.0.0", private: true, main: program });
  fs.symlinkSync(path.resolve(nodeModules), path.join(projectDir, "node_modules"), "dir");
  if (options.source !== undefined) {
    fs.writeFileSync(path.join(projectDir, program), options.source);
  }
  for (const [file, content] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(projectDir, file)), { recursive: true });
    fs.writeFileSync(path.join(projectDir, file), content);
  }
  return projectDir;
}

function writeProjectFiles(projectDir: string, name: string, manifest: Record<string, unknown>): void {
  fs.writeFileSync(
    path.join(projectDir, "Pulumi.yaml"),
    `name: ${name}\nruntime: nodejs\ndescription: a throwaway project for the lifecycle runner\n`,
  );
  fs.writeFileSync(path.join(projectDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

function makeTemporaryDir(parent: string | undefined, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(parent ?? os.tmpdir(), prefix));
  temporaryDirs.push(dir);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    process.once("exit", () => {
      for (const temporary of temporaryDirs) {
        fs.rmSync(temporary, { recursive: true, force: true });
      }
    });
  }
  return dir;
}

/** The nearest directory at or above `start` holding a package.json (the repository, from source or dist). */
function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** Runs a command in `cwd` and resolves to its stdout; the error carries its stderr. */
export function runCommand(command: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${command} ${args.join(" ")} failed in ${cwd}: ${stderr || error.message}`));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}
