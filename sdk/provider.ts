/**
 * The provider object Pulumi serializes into every restore session's state (`__provider`). It is
 * deliberately thin: the kind, the path of `provider/resources/host`, and a few lines that `require` it
 * inside the provider host. So the serialized text never holds settings, clients or credentials
 * (nothing live is captured in the provider closure), and it stays a few kilobytes.
 *
 * Why a `require` by path rather than an import the closure captures: Pulumi emits a captured module as
 * `require(...)` only when it lives under `node_modules`; a module from local files is serialized by
 * value, which for this provider (axios, timers, credentials) fails. Requiring by a specifier computed at
 * program time works in both places: the package path when installed, the file's absolute path when a
 * program runs from a clone of this repository (`pulumi up` at its root).
 */
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { RestoreSessionKind } from "../provider/model";
import type * as Host from "../provider/resources/host";

/**
 * How the provider host finds `provider/resources/host`: `pulumi-m365-backup/dist/provider/resources/host.js`
 * when the file is inside `node_modules` (resolvable from any project that installs the package, as
 * Pulumi itself would emit it), else the file's absolute path.
 */
export function hostModuleSpecifier(file: string = require.resolve("../provider/resources/host")): string {
  const parts = file.split(path.sep);
  const nodeModules = parts.lastIndexOf("node_modules");
  return nodeModules >= 0 ? parts.slice(nodeModules + 1).join("/") : file;
}

/** A dynamic provider for one kind. `config` is set by `configure` inside the provider host only. */
interface SessionProvider extends pulumi.dynamic.ResourceProvider {
  config?: Host.ConfigSnapshot;
}

/**
 * The program's one provider object per kind. Pulumi caches a provider's serialized text by object
 * identity, so sharing the object serializes each kind once per program run instead of once per
 * resource (about 50 ms of the program's single thread each, which held back every later
 * registration of a 25-session drill). The text is the same either way; the map holds no settings,
 * is never captured by the closure and lives only in the program process.
 */
const providers = new Map<RestoreSessionKind, pulumi.dynamic.ResourceProvider>();

/** The dynamic provider of one restore-session kind (the same object for every resource of it). */
export function sessionProvider(kind: RestoreSessionKind): pulumi.dynamic.ResourceProvider {
  const shared = providers.get(kind);
  if (shared !== undefined) return shared;
  const provider = newSessionProvider(kind);
  providers.set(kind, provider);
  return provider;
}

function newSessionProvider(kind: RestoreSessionKind): pulumi.dynamic.ResourceProvider {
  const hostModule = hostModuleSpecifier();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved inside the provider host; see above
  const load = (): typeof Host => require(hostModule) as typeof Host;
  const provider: SessionProvider = {
    configure(req) {
      this.config = load().snapshotConfig(req);
      return Promise.resolve();
    },
    check(olds: Host.PropertyBag, news: Host.PropertyBag) {
      return load().check(kind, this.config, olds, news);
    },
    diff(_id: string, olds: Host.PropertyBag, news: Host.PropertyBag) {
      return load().diff(kind, olds, news);
    },
    create(inputs: Host.PropertyBag) {
      return load().create(kind, this.config, inputs);
    },
    read(id: string, props?: Host.PropertyBag) {
      return load().read(kind, this.config, id, props);
    },
    update(id: string, olds: Host.PropertyBag, news: Host.PropertyBag) {
      return load().update(kind, this.config, id, olds, news);
    },
    delete(id: string, props: Host.PropertyBag) {
      return load().remove(kind, this.config, id, props);
    },
  };
  return provider;
}
