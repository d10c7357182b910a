/**
 * The host module path is a public contract: every restore session's state holds the serialized
 * provider, and that text `require`s `pulumi-m365-backup/dist/provider/resources/host.js` when the
 * package is installed. `refresh` and `destroy` of an existing stack run that stored text against
 * whatever version is installed then, so the file must stay at this path (a shim if it ever moves) and
 * keep exporting what the serialized provider calls.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { hostModuleSpecifier } from "../../sdk/provider";

const INSTALLED_SPECIFIER = "pulumi-m365-backup/dist/provider/resources/host.js";
const REPO_ROOT = path.resolve(__dirname, "../..");
/** What `sdk/provider.ts` calls on the host module, one per provider method. */
const CALLED_BY_SERIALIZED_PROVIDER = [
  "snapshotConfig",
  "check",
  "diff",
  "create",
  "read",
  "update",
  "remove",
];

describe("host module path (a contract with every stack's state)", () => {
  it("is the package path when the SDK runs from an installed package", () => {
    const installed = path.join(path.sep, "work", "app", "node_modules", ...INSTALLED_SPECIFIER.split("/"));
    expect(hostModuleSpecifier(installed)).to.equal(INSTALLED_SPECIFIER);
  });

  it("is the package path under a nested node_modules too", () => {
    const nested = path.join(
      path.sep,
      "app",
      "node_modules",
      "x",
      "node_modules",
      ...INSTALLED_SPECIFIER.split("/"),
    );
    expect(hostModuleSpecifier(nested)).to.equal(INSTALLED_SPECIFIER);
  });

  it("is the absolute file path when a program runs from a clone", () => {
    const cloned = path.join(REPO_ROOT, "dist", "provider", "resources", "host.js");
    expect(hostModuleSpecifier(cloned)).to.equal(cloned);
  });

  it("names a built file that the published package contains", () => {
    const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      name: string;
      files: string[];
      exports?: unknown;
    };
    const [name, ...rest] = INSTALLED_SPECIFIER.split("/");
    expect(packageJson.name).to.equal(name);
    expect(packageJson.files).to.include("dist/provider");
    // An `exports` map would hide the deep path from `require` unless it lists it.
    expect(packageJson.exports, "an exports map must keep the host module path requirable").to.equal(
      undefined,
    );
    expect(fs.existsSync(path.join(REPO_ROOT, ...rest)), `${rest.join("/")} (run npm run build)`).to.equal(
      true,
    );
  });

  it("exports every function the serialized provider calls", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built file, as the provider host loads it
    const host = require(path.join(REPO_ROOT, "dist", "provider", "resources", "host.js")) as Record<
      string,
      unknown
    >;
    for (const name of CALLED_BY_SERIALIZED_PROVIDER) {
      expect(typeof host[name], name).to.equal("function");
    }
  });
});
