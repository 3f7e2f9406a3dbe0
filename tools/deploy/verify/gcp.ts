/**
 * GCP: a regional managed instance group is rolled out when it is stable, has
 * reached its version target, and creates, recreates or deletes no instance.
 * Credentials come from Application Default Credentials (the deploy job's
 * workload identity federation writes them); the project and region come from
 * the target.
 */
import type { RegionInstanceGroupManagersClient, protos } from "@google-cloud/compute";
import type { RolloutTarget } from "../../../components/contracts";
import type { Reading } from "./index";

export type InstanceGroupManagersApi = Pick<RegionInstanceGroupManagersClient, "auth" | "get" | "listErrors">;
type InstanceGroupManagerTarget = Extract<RolloutTarget, { kind: "gcp-region-instance-group-manager" }>;
type Actions = protos.google.cloud.compute.v1.IInstanceGroupManagerActionsSummary;

/**
 * Compute speaks REST only; `fallback` says so to the client, which would
 * otherwise load gRPC. The SDK loads here, on first use: it takes about two
 * seconds to load, which a verification without a GCP target need not pay.
 */
export function instanceGroupManagersClient(): RegionInstanceGroupManagersClient {
    // oxlint-disable-next-line typescript/no-require-imports -- loaded on first use, as said above: a static import would cost every verification two seconds
    const compute = require("@google-cloud/compute") as typeof import("@google-cloud/compute");
    return new compute.RegionInstanceGroupManagersClient({ fallback: true });
}

/** gRPC's NOT_FOUND, which the REST transport maps HTTP 404 to. */
const notFound = 5;
/** The actions that mean instances are still being replaced; `verifying`, `refreshing` and the like do not hold a rollout. */
const replacing: (keyof Actions)[] = ["creating", "creatingWithoutRetries", "recreating", "deleting"];

export async function readInstanceGroupManager(
    target: InstanceGroupManagerTarget,
    client: InstanceGroupManagersApi,
    requestTimeoutMs: number,
): Promise<Reading> {
    await credentials(client);
    const request = { project: target.project, region: target.region, instanceGroupManager: target.name };
    // The verification polls on its own clock, so the SDK's retries (up to ten minutes for a read) are turned off.
    const call = { timeout: requestTimeoutMs, retry: null };
    let group: protos.google.cloud.compute.v1.IInstanceGroupManager;
    try {
        [group] = await client.get(request, call);
    } catch (error) {
        if ((error as { code?: unknown }).code === notFound) {
            return { state: "failed", detail: `managed instance group ${target.name} not found in ${target.project}/${target.region}` };
        }
        throw error;
    }

    const stable = group.status?.isStable === true;
    const reached = group.status?.versionTarget?.isReached === true;
    const actions = group.currentActions ?? {};
    const busy = replacing.filter((a) => (actions[a] ?? 0) > 0).map((a) => `${a} ${actions[a]}`);
    const size = `target size ${group.targetSize ?? 0}`;
    if (stable && reached && busy.length === 0) return { state: "succeeded", detail: `stable, version target reached, ${size}` };

    const waiting = [stable ? undefined : "not stable", reached ? undefined : "version target not reached", ...busy].filter(Boolean).join(", ");
    const lastError = await newestInstanceError(client, request, call);
    return { state: "in-progress", detail: `${waiting}; ${size}${lastError ? `; last instance error: ${lastError}` : ""}` };
}

/**
 * Credentials are resolved before the first call: when they are missing, the
 * client's lazily created stub rejects a second time where nothing handles it.
 * A client given an auth client of its own holds that client in `auth`.
 */
async function credentials(client: InstanceGroupManagersApi): Promise<void> {
    const auth = client.auth as { getClient?: () => Promise<unknown> };
    if (typeof auth.getClient !== "function") return;
    try {
        await auth.getClient();
    } catch (error) {
        throw new Error(`no Google Cloud credentials (Application Default Credentials): ${(error as Error).message}`, { cause: error });
    }
}

/** A group that does not settle usually says why in its instance errors (quota, a bad image, a failing health check). */
async function newestInstanceError(
    client: InstanceGroupManagersApi,
    request: { project: string; region: string; instanceGroupManager: string },
    call: { timeout: number; retry: null },
): Promise<string | undefined> {
    const [errors] = await client.listErrors({ ...request, maxResults: 10 }, { ...call, autoPaginate: false });
    const time = (e: (typeof errors)[number]) => Date.parse(e.timestamp ?? "") || 0;
    const newest = errors.reduce<(typeof errors)[number] | undefined>((a, b) => (!a || time(b) > time(a) ? b : a), undefined);
    if (!newest?.error) return undefined;
    const action = newest.instanceActionDetails?.action ? `${newest.instanceActionDetails.action} ` : "";
    return `${action}${newest.error.code ?? ""}: ${newest.error.message ?? ""} (${newest.timestamp ?? "no time"})`;
}
