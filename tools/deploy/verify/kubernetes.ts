/**
 * Kubernetes: a Deployment or StatefulSet is rolled out when its controller has
 * seen the newest spec and every replica runs it, as `kubectl rollout status`
 * judges. The cluster is the ambient one: $KUBECONFIG or ~/.kube/config, or
 * the service account when running inside the cluster (the private cloud's
 * operator runs there).
 */
import type { AppsV1Api, V1Deployment, V1StatefulSet } from "@kubernetes/client-node" with { "resolution-mode": "import" };
import type { RolloutTarget } from "../../../components/contracts";
import type { Reading } from "./index";

export type AppsApi = Pick<AppsV1Api, "readNamespacedDeployment" | "readNamespacedStatefulSet">;
type WorkloadTarget = Extract<RolloutTarget, { kind: "kubernetes-deployment" | "kubernetes-statefulset" }>;

/** The client is an ES module only; imported when first needed, so that reading the other clouds never loads it. */
export async function appsClient(): Promise<AppsApi> {
    const k8s = await import("@kubernetes/client-node");
    const config = new k8s.KubeConfig();
    config.loadFromDefault();
    // With no kubeconfig and no service account the client falls back to an unauthenticated http://localhost:8080.
    const cluster = config.getCurrentCluster();
    if (cluster?.name === "cluster" && cluster.server === "http://localhost:8080" && config.getCurrentUser()?.name === "user") {
        throw new Error("no cluster to read: KUBECONFIG is unset, ~/.kube/config does not exist, and this is not a pod with a service account");
    }
    return config.makeApiClient(k8s.AppsV1Api);
}

export async function readDeployment(target: Extract<WorkloadTarget, { kind: "kubernetes-deployment" }>, api: AppsApi): Promise<Reading> {
    const deployment = await readOrMissing(target, () => api.readNamespacedDeployment({ name: target.name, namespace: target.namespace }));
    if (!deployment) return { state: "failed", detail: `Deployment ${target.namespace}/${target.name} not found` };
    return deploymentReading(deployment);
}

export async function readStatefulSet(target: Extract<WorkloadTarget, { kind: "kubernetes-statefulset" }>, api: AppsApi): Promise<Reading> {
    const set = await readOrMissing(target, () => api.readNamespacedStatefulSet({ name: target.name, namespace: target.namespace }));
    if (!set) return { state: "failed", detail: `StatefulSet ${target.namespace}/${target.name} not found` };
    return statefulSetReading(set);
}

/** A 404 is an answer (the workload is gone); every other refusal (401, 403, 5xx) means the cluster could not be read. */
async function readOrMissing<T>(target: WorkloadTarget, call: () => Promise<T>): Promise<T | undefined> {
    try {
        return await call();
    } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code !== "number") throw error;
        if (code === 404) return undefined;
        // oxlint-disable-next-line preserve-caught-error -- the message keeps the API server's own words; as a cause, the client's raw dump would follow them
        throw new Error(
            `HTTP ${code} reading ${target.namespace}/${target.name}: ${statusMessage((error as { body?: unknown }).body) ?? apiMessage(error as Error)}`,
        );
    }
}

/** The client's own message is "HTTP-Code: 401\nMessage: Unauthorized\nBody: ...": its second line is the one that says something. */
function apiMessage(error: Error): string {
    return (error.message.split("\n")[1] ?? error.message).replace(/^Message: /, "");
}

/** The API server's refusals are Status objects whose message says who was refused what. */
function statusMessage(body: unknown): string | undefined {
    let status = body;
    if (typeof body === "string") {
        try {
            status = JSON.parse(body);
        } catch {
            return body || undefined;
        }
    }
    const message = (status as { message?: unknown } | undefined)?.message;
    return typeof message === "string" ? message : undefined;
}

function deploymentReading(deployment: V1Deployment): Reading {
    const generation = deployment.metadata?.generation ?? 0;
    const status = deployment.status;
    if ((status?.observedGeneration ?? 0) < generation) {
        return {
            state: "in-progress",
            detail: `waiting for the controller to observe generation ${generation} (seen ${status?.observedGeneration ?? "none"})`,
        };
    }
    const progressing = status?.conditions?.find((c) => c.type === "Progressing");
    if (progressing?.reason === "ProgressDeadlineExceeded") {
        return { state: "failed", detail: `progress deadline exceeded: ${progressing.message ?? ""}` };
    }
    const desired = deployment.spec?.replicas ?? 1;
    const updated = status?.updatedReplicas ?? 0;
    const total = status?.replicas ?? 0;
    const available = status?.availableReplicas ?? 0;
    const counts = `${updated} updated, ${available} available, ${total} total of ${desired} desired`;
    if (updated < desired || total > updated || available < updated) return { state: "in-progress", detail: counts };
    return { state: "succeeded", detail: counts };
}

function statefulSetReading(set: V1StatefulSet): Reading {
    const generation = set.metadata?.generation ?? 0;
    const status = set.status;
    if ((status?.observedGeneration ?? 0) < generation) {
        return {
            state: "in-progress",
            detail: `waiting for the controller to observe generation ${generation} (seen ${status?.observedGeneration ?? "none"})`,
        };
    }
    const desired = set.spec?.replicas ?? 1;
    const ready = status?.readyReplicas ?? 0;
    const updated = status?.updatedReplicas ?? 0;
    const counts = `${updated} updated, ${ready} ready of ${desired} desired`;
    if (ready < desired) return { state: "in-progress", detail: counts };
    const strategy = set.spec?.updateStrategy;
    if (strategy?.type === "OnDelete") return { state: "succeeded", detail: `${counts} (OnDelete: pods take the new revision only when deleted)` };
    // A partition holds back the pods below it on purpose: the rollout is done when every pod from the partition up is updated.
    const partition = strategy?.rollingUpdate?.partition ?? 0;
    if (partition > 0) {
        if (updated < desired - partition) return { state: "in-progress", detail: `${counts}, partition ${partition}` };
        return { state: "succeeded", detail: `${counts}, partition ${partition}` };
    }
    if (updated < desired || status?.currentRevision !== status?.updateRevision) {
        return { state: "in-progress", detail: `${counts}, revision ${status?.currentRevision ?? "none"} -> ${status?.updateRevision ?? "none"}` };
    }
    return { state: "succeeded", detail: `${counts}, revision ${status?.updateRevision ?? "none"}` };
}
