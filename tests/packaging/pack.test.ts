/**
 * The provider package as `npm pack` makes it: only the SDK and the provider (no emulator, runner,
 * script or test code), a package.json whose runtime dependencies are what a user's program runs, and
 * `@pulumi/pulumi` as a peer so that npm uses the program's own copy. Every `require` in the packed
 * code must resolve inside the tarball, to a Node built-in, or to a declared dependency.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as semver from "semver";

const ROOT = path.join(__dirname, "..", "..");

/** What a user's program runs. Another runtime dependency needs its reason written here. */
const RUNTIME_DEPENDENCIES: Readonly<Record<string, string>> = {
  "@azure/identity": "credentials: client secret, certificate, workload identity (OIDC)",
  axios: "the HTTP transport under the Graph pipeline",
};

/** The oldest SDK the suites run against (the development copy) up to the last 3.x. */
const SUPPORTED_SDK = ">=3.248.0 <4.0.0";

/** The Node lines the package supports and CI runs. */
const SUPPORTED_NODE = ["20.19.0", "22.0.0", "24.0.0"];

interface PackedManifest {
  name: string;
  main: string;
  types: string;
  bin?: unknown;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  bundleDependencies?: unknown;
  bundledDependencies?: unknown;
}

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${command} ${args.join(" ")}: ${stderr}`)) : resolve(stdout),
    );
  });
}

describe("packaging: the packed provider package", function () {
  this.timeout(120_000);
  let unpacked: string;
  let files: string[];
  let manifest: PackedManifest;

  before(async function () {
    if (!fs.existsSync(path.join(ROOT, "dist", "sdk", "index.js"))) {
      console.log("      skipped: dist/sdk/index.js is missing; run `npm run build` (npm test does) first");
      this.skip();
    }
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-backup-pack-"));
    after(() => fs.rmSync(workDir, { recursive: true, force: true }));
    // --ignore-scripts: the suite has just built; a prepack script would rebuild.
    const packed = JSON.parse(
      await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", workDir], ROOT),
    ) as { filename: string; files: { path: string }[] }[];
    const tarball = path.join(workDir, path.basename(packed[0].filename));
    await run("tar", ["-xzf", tarball, "-C", workDir], workDir);
    unpacked = path.join(workDir, "package");
    files = packed[0].files.map((file) => file.path).sort();
    manifest = JSON.parse(fs.readFileSync(path.join(unpacked, "package.json"), "utf8")) as PackedManifest;
  });

  it("holds the SDK, the provider, package.json and the README, and no emulator, runner, script or test", () => {
    const outside = files.filter(
      (file) => !/^dist\/(sdk|provider)\//.test(file) && !["package.json", "README.md"].includes(file),
    );
    const harness = files.filter((file) =>
      /(^|\/)(emulator|runner|scripts?|tests?|examples)(\/|$)/.test(file),
    );
    expect(outside, "files outside dist/sdk and dist/provider").to.deep.equal([]);
    expect(harness, "harness files").to.deep.equal([]);
    expect(files).to.include.members([
      "dist/sdk/index.js",
      "dist/sdk/index.d.ts",
      manifest.main,
      manifest.types,
    ]);
    expect(files.some((file) => file.startsWith("dist/provider/"))).to.equal(true);
  });

  it("is named pulumi-m365-backup and installs no command (the emulator's bin is the emulator package's)", () => {
    expect(manifest.name).to.equal("pulumi-m365-backup");
    expect(manifest.bin).to.equal(undefined);
  });

  it("depends at run time on @azure/identity and axios only, and takes @pulumi/pulumi from the program", () => {
    expect(Object.keys(manifest.dependencies ?? {}).sort()).to.deep.equal(
      Object.keys(RUNTIME_DEPENDENCIES).sort(),
    );
    expect(manifest.optionalDependencies ?? {}).to.deep.equal({});
    expect(manifest.bundleDependencies ?? manifest.bundledDependencies ?? []).to.deep.equal([]);
    expect(Object.keys(manifest.peerDependencies ?? {})).to.deep.equal(["@pulumi/pulumi"]);
    const sdkRange = manifest.peerDependencies?.["@pulumi/pulumi"] ?? "";
    expect(
      semver.subset(SUPPORTED_SDK, sdkRange),
      `peer range ${sdkRange} covers ${SUPPORTED_SDK}, so npm dedupes against the program's SDK`,
    ).to.equal(true);
    expect(semver.satisfies("4.0.0", sdkRange), `${sdkRange} excludes 4.x`).to.equal(false);
    const developed = (
      JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as {
        version: string;
      }
    ).version;
    expect(semver.satisfies(developed, sdkRange), `the development SDK ${developed} is in range`).to.equal(
      true,
    );
  });

  it("supports Node 20.19+, 22 and 24", () => {
    const range = manifest.engines?.node ?? "";
    expect(SUPPORTED_NODE.filter((version) => !semver.satisfies(version, range))).to.deep.equal([]);
    expect(semver.satisfies("20.18.0", range), `${range} excludes 20.18`).to.equal(false);
  });

  it("requires only packed files, Node built-ins and declared dependencies", () => {
    const declared = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    const packed = new Set(files);
    const unresolved: string[] = [];
    let requires = 0;
    for (const file of files.filter((name) => name.endsWith(".js"))) {
      const source = fs.readFileSync(path.join(unpacked, file), "utf8");
      for (const match of source.matchAll(/\brequire\("([^"]+)"\)/g)) {
        requires++;
        const specifier = match[1];
        if (specifier.startsWith(".")) {
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
          if (![target, `${target}.js`, `${target}/index.js`].some((candidate) => packed.has(candidate))) {
            unresolved.push(`${file}: ${specifier}`);
          }
          continue;
        }
        const bare = specifier.replace(/^node:/, "");
        const name = specifier.startsWith("@")
          ? specifier.split("/").slice(0, 2).join("/")
          : specifier.split("/")[0];
        if (!builtinModules.includes(bare) && !declared.has(name)) {
          unresolved.push(`${file}: ${specifier}`);
        }
      }
    }
    expect(requires, "require calls found in the packed code").to.be.greaterThan(50);
    expect(unresolved).to.deep.equal([]);
  });
});
