/**
 * Where the repository is, for the tools that pack, build or run it (the lifecycle runner, the drill,
 * the benchmarks). They run from source (`tools/…`, under ts-node) and compiled (`dist/tools/…`), so
 * the root is found by the package's name rather than by a fixed number of `..`.
 */
import * as fs from "fs";
import * as path from "path";

const PACKAGE_NAME = "pulumi-m365-backup";

/** The nearest directory at or above `from` whose package.json names this package. */
export function repositoryDir(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (
      fs.existsSync(manifest) &&
      (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE_NAME
    ) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`Cannot find the ${PACKAGE_NAME} repository at or above ${from}.`);
    }
  }
}
