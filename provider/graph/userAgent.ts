/**
 * The `User-Agent`: `pulumi-m365-backup/<version>`, with the version read from this package's own
 * package.json at run time. Looking upward from this file finds it from the source tree
 * (`provider/graph`), from the build (`dist/provider/graph`) and from an installed copy
 * (`node_modules/pulumi-m365-backup/dist/provider/graph`) alike.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

/** This package's npm name. */
export const PACKAGE_NAME = "pulumi-m365-backup";

/** This package's version, or `0.0.0-unknown` if its package.json cannot be found. */
export function packageVersion(startDir: string = __dirname): string {
  for (let dir = startDir; ; dir = path.dirname(dir)) {
    const version = readVersion(path.join(dir, "package.json"));
    if (version !== undefined) {
      return version;
    }
    if (path.dirname(dir) === dir) {
      return "0.0.0-unknown";
    }
  }
}

/** `pulumi-m365-backup/<version>`. */
export function userAgent(): string {
  return `${PACKAGE_NAME}/${packageVersion()}`;
}

function readVersion(file: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
    return manifest.name === PACKAGE_NAME && typeof manifest.version === "string"
      ? manifest.version
      : undefined;
  } catch {
    return undefined;
  }
}
