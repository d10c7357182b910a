// Steps that act on one resource already in state, shared by the operations: delete (used by `up`,
// replacements and `destroy`), refresh, and the report of operations an interruption left pending.
import type { ResourceState } from "./checkpoint";
import { messageOf, type Operation, stopwatch } from "./operation";
import { annotateSecrets, deepEqual, secretKeys, stripSecretsFromMap } from "./properties";

/**
 * Deletes one resource from state, calling the provider for custom resources the stack owns
 * (not for components, external reads or `retainOnDelete`). Returns `false` (and records the error)
 * when the provider's delete fails; the resource then stays in state.
 */
export async function deleteResource(
  operation: Operation,
  resource: ResourceState,
  op: "delete" | "delete-replaced",
): Promise<boolean> {
  const report = {
    op,
    urn: resource.urn,
    type: resource.type,
    name: resource.name,
    custom: resource.custom,
    preview: operation.preview,
  };
  if (operation.preview) {
    operation.step({ ...report, durationInMs: 0 });
    return true;
  }
  const watch = stopwatch();
  if (resource.custom && !resource.external && !resource.retainOnDelete) {
    try {
      const pending = {
        urn: resource.urn,
        type: resource.type,
        operation: "deleting" as const,
        id: resource.id ?? "",
      };
      await operation.pending(pending, () =>
        operation.host.delete(
          resource.urn,
          resource.id ?? "",
          stripSecretsFromMap(resource.outputs),
          stripSecretsFromMap(resource.inputs),
        ),
      );
    } catch (error) {
      operation.step({ ...report, durationInMs: watch(), error: messageOf(error) });
      operation.fail({ urn: resource.urn, operation: "delete", message: messageOf(error) });
      return false;
    }
  }
  operation.remove(resource);
  operation.step({ ...report, durationInMs: watch() });
  return true;
}

/**
 * Warns about provider calls an interrupted operation left pending (a create may have made a resource
 * the stack does not know; import it), then forgets them, as the CLI does.
 */
export function reportInterruptedOperations(operation: Operation): void {
  for (const pending of operation.state.pendingOperations ?? []) {
    const id = pending.id ? ` (id ${pending.id})` : "";
    operation.diagnostics.push({
      severity: "warning",
      source: "runner",
      urn: pending.urn,
      message: `the previous operation was interrupted while ${pending.operation} ${pending.urn}${id}; the resource may exist outside the stack: check it, and import it if so`,
    });
  }
  if (!operation.preview && operation.state.pendingOperations?.length) {
    operation.state.pendingOperations = [];
    operation.save();
  }
}

/** Refresh of one resource: Read with the stored outputs and inputs. */
export async function refreshResource(operation: Operation, resource: ResourceState): Promise<void> {
  const report = {
    op: "refresh" as const,
    urn: resource.urn,
    type: resource.type,
    name: resource.name,
    custom: true,
    preview: false,
  };
  const watch = stopwatch();
  try {
    const read = await operation.host.read(
      resource.urn,
      resource.id ?? "",
      stripSecretsFromMap(resource.outputs),
      stripSecretsFromMap(resource.inputs),
    );
    if (!read.id) {
      operation.remove(resource);
      operation.step({ ...report, durationInMs: watch(), refreshResult: "gone" });
      return;
    }
    const outputs = annotateSecrets(read.properties, secretKeys(resource.outputs));
    const inputs = read.inputs ? annotateSecrets(read.inputs, secretKeys(resource.inputs)) : resource.inputs;
    const changed =
      !deepEqual(stripSecretsFromMap(outputs), stripSecretsFromMap(resource.outputs)) ||
      !deepEqual(stripSecretsFromMap(inputs), stripSecretsFromMap(resource.inputs));
    const index = operation.state.resources.indexOf(resource);
    operation.state.resources[index] = { ...resource, id: read.id, outputs, inputs };
    operation.save();
    operation.step({ ...report, durationInMs: watch(), refreshResult: changed ? "changed" : "same" });
  } catch (error) {
    operation.step({ ...report, durationInMs: watch(), error: messageOf(error) });
    operation.fail({ urn: resource.urn, operation: "read", message: messageOf(error) });
  }
}
