/**
 * Section 6: what the provider costs besides Graph requests. The cold start of the dynamic-provider
 * host, the time from a fresh host's first provider call (and from a fresh `up`) to its first request,
 * and its peak memory. The `__provider` sizes come from the operations the other sections ran.
 */
import type { Emulator } from "../emulator";
import { arrivalInMs } from "./requests";
import { BenchStack } from "./stack";
import { KIND_NAMES, standardArtifacts, UnitPicker } from "./tenant";

/** Section 6's measured times, the peak and the `__provider` sizes seen. */
export interface OverheadTimes {
  readonly hostStartInMs: number;
  readonly firstCallToFirstRequestInMs: number;
  readonly upToFirstRequestInMs: number;
  readonly peakInBytes?: number;
  readonly providerSizes: Record<string, number>;
}

/** Creates one draft, restarts the host, refreshes and destroys, timing each start. */
export async function measureOverhead(
  emulator: Emulator,
  nodeModulesDir: string,
  readPeak: (stack: BenchStack) => number | undefined,
): Promise<OverheadTimes> {
  const { className, standard } = KIND_NAMES.exchange;
  const points = new UnitPicker(emulator, "exchange").take(5);
  const stack = new BenchStack(emulator, nodeModulesDir, "bench-overhead");
  try {
    const created = await stack.up([{ className, name: "draft", args: { [standard]: standardArtifacts(points) } }]);
    const firstOfUp = created.entries[0];
    const restartStarted = Date.now();
    await stack.runner.restartProviderHost();
    const hostStartInMs = Date.now() - restartStarted;
    const refreshed = await stack.refresh();
    const firstOfRefresh = refreshed.entries[0];
    await stack.destroy();
    const peakInBytes = readPeak(stack);
    return {
      hostStartInMs,
      firstCallToFirstRequestInMs: firstOfRefresh ? arrivalInMs(firstOfRefresh) - refreshed.startedAtInMs : NaN,
      upToFirstRequestInMs: firstOfUp ? arrivalInMs(firstOfUp) - created.startedAtInMs : NaN,
      providerSizes: created.result.providerSizes,
      ...(peakInBytes === undefined ? {} : { peakInBytes }),
    };
  } finally {
    await stack.close();
  }
}
