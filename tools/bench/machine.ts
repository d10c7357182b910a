/** The machine a run was measured on, and the provider host's peak memory from `/proc`. */
import * as fs from "node:fs";
import * as os from "node:os";
import type { MachineInfo } from "./model";

/** Cores, memory, Node version and load of this machine. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryInBytes: os.totalmem(),
    nodeVersion: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 10) / 10,
  };
}

/** Peak resident set (VmHWM) of a process, in bytes; undefined where `/proc` cannot tell. */
export function peakMemoryInBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) {
    return undefined;
  }
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}
