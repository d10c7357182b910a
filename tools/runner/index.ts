/**
 * The lifecycle runner: runs Pulumi programs against the SDK's own dynamic-provider host the way
 * `pulumi up` does, without the Pulumi CLI, and installs this package into a throwaway Pulumi project
 * the way a user would.
 *
 * Typical use from a test:
 * ```ts
 * import { installPackage, createProject, LifecycleRunner } from ".";
 *
 * const installed = await installPackage();                 // npm pack + npm install, once per run
 * const projectDir = createProject({ from: installed, program: "index.js", source: PROGRAM });
 * const runner = new LifecycleRunner({ projectDir, config: { "m365-backup:graphUrl": url } });
 * const result = await runner.up();                         // rejects with LifecycleError on failure
 * console.log(result.steps, result.outputs, result.providerSizes);
 * await runner.close();
 * ```
 *
 * @packageDocumentation
 */
export { DEFAULT_PARALLEL, LifecycleError, LifecycleRunner, runOperation } from "./runner";
export type { OperationName, OperationOptions, RunnerOptions, UpOptions } from "./runner";
export type { CheckpointData, PendingOperation, ResourceState } from "./checkpoint";
export type { ProviderHostIsolation } from "./provider-host";
export type {
  ConfigValue,
  Diagnostic,
  DiagnosticSeverity,
  OperationResult,
  ResourceError,
  StepOp,
  StepReport,
} from "./types";
export {
  isSecret,
  makeSecret,
  PROVIDER_KEY,
  SECRET_SIGNATURE,
  SIGNATURE_KEY,
  UNKNOWN_VALUE,
} from "./properties";
export type { PropertyMap, PropertyValue } from "./properties";
export { createProject, installPackage } from "./install";
export type { CreateProjectOptions, InstalledPackage, InstallOptions } from "./install";
export { findPulumiCli, runWithAutomation } from "./automation";
export type { AutomationOptions, AutomationResult } from "./automation";
