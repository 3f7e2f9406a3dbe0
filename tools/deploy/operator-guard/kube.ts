/**
 * The guard's calls to the Kubernetes API, through @kubernetes/client-node: list
 * the Operator's `Stack` objects of one namespace, patch one (JSON Patch, as the
 * field manager `multicloud-operator-guard`), and record an Event about one. In
 * the cluster the client authenticates with the pod's ServiceAccount token;
 * elsewhere with KUBECONFIG.
 */
import * as os from "node:os";
import type * as k8s from "@kubernetes/client-node" with { "resolution-mode": "import" };
import type { GuardEvent, PatchOp, StackObject } from "./decide";

export const fieldManager = "multicloud-operator-guard";

export interface StackApi {
    list(): Promise<StackObject[]>;
    patch(name: string, ops: PatchOp[]): Promise<void>;
    record(about: StackObject, event: GuardEvent): Promise<void>;
}

/** Whether an API error says the object changed since it was read (a failed `test` op, a conflict). */
export function isStale(err: unknown): boolean {
    const code = (err as { code?: number }).code;
    return code === 409 || code === 422;
}

export async function connect(namespace: string): Promise<StackApi> {
    // The client is an ES module; this project's TypeScript is CommonJS.
    const client: typeof k8s = await import("@kubernetes/client-node");
    const config = new client.KubeConfig();
    config.loadFromDefault();
    const custom = config.makeApiClient(client.CustomObjectsApi);
    const core = config.makeApiClient(client.CoreV1Api);
    const stacks = { group: "pulumi.com", version: "v1", namespace, plural: "stacks" };
    return {
        async list() {
            const list = (await custom.listNamespacedCustomObject(stacks)) as { items?: StackObject[] };
            return list.items ?? [];
        },
        async patch(name, ops) {
            await custom.patchNamespacedCustomObject({ ...stacks, name, body: ops, fieldManager });
        },
        async record(about, event) {
            const now = new Date();
            /* oxlint-disable typescript/no-unsafe-class-instance-assignment -- the client's models are classes of plain fields, serialised by name; its own examples pass object literals */
            await core.createNamespacedEvent({
                namespace,
                body: {
                    metadata: { generateName: `${about.metadata.name}.`, namespace },
                    involvedObject: {
                        apiVersion: "pulumi.com/v1",
                        kind: "Stack",
                        name: about.metadata.name,
                        namespace,
                        uid: about.metadata.uid,
                        resourceVersion: about.metadata.resourceVersion,
                    },
                    type: event.type,
                    reason: event.reason,
                    message: event.message,
                    source: { component: fieldManager },
                    reportingComponent: fieldManager,
                    reportingInstance: os.hostname(),
                    firstTimestamp: now,
                    lastTimestamp: now,
                    count: 1,
                },
            });
            /* oxlint-enable typescript/no-unsafe-class-instance-assignment */
        },
    };
}
