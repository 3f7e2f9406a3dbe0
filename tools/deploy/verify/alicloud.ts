/**
 * Alibaba Cloud: an ESS scaling group is rolled out when its newest scaling
 * activity succeeded, its newest instance refresh (where it has one) succeeded,
 * and as many instances are in service as the group wants. Read through the
 * Auto Scaling OpenAPI (version 2022-02-22, the first with instance refreshes)
 * with Alibaba Cloud's RPC client.
 */
import RPCClient from "@alicloud/pop-core";
import type { RolloutTarget } from "../../../components/contracts";
import type { Reading } from "./index";

export type EssApi = Pick<RPCClient, "request">;
type ScalingGroupTarget = Extract<RolloutTarget, { kind: "alicloud-scaling-group" }>;

export const essApiVersion = "2022-02-22";

/** The China regions that the central endpoint serves; every other region has its own (the Auto Scaling endpoint list). */
const centralRegions = new Set(["cn-qingdao", "cn-beijing", "cn-hangzhou", "cn-shanghai", "cn-shenzhen", "cn-nanjing"]);

export function essEndpoint(region: string): string {
    return centralRegions.has(region) ? "https://ess.aliyuncs.com" : `https://ess.${region}.aliyuncs.com`;
}

/**
 * pop-core has no credential chain of its own, so this reads the environment
 * as Alibaba Cloud's default chain and its tools do: the ALIBABA_CLOUD_* names
 * first, then the ALICLOUD_* names the Pulumi and Terraform providers read.
 * An OIDC login in the deploy job exports its STS credentials under these names.
 */
export function essClient(region: string, env: NodeJS.ProcessEnv, requestTimeoutMs: number, endpoint = essEndpoint(region)): EssApi {
    const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID || env.ALICLOUD_ACCESS_KEY;
    const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET || env.ALICLOUD_SECRET_KEY;
    const securityToken = env.ALIBABA_CLOUD_SECURITY_TOKEN || env.ALICLOUD_SECURITY_TOKEN || undefined;
    if (!accessKeyId || !accessKeySecret) {
        throw new Error(
            "no Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS)",
        );
    }
    const client = new RPCClient({ accessKeyId, accessKeySecret, securityToken, endpoint, apiVersion: essApiVersion });
    return {
        request: <T>(action: string, params: object, options: object = {}) => client.request<T>(action, params, { timeout: requestTimeoutMs, ...options }),
    };
}

interface ScalingGroup {
    ScalingGroupId: string;
    LifecycleState?: string;
    ActiveCapacity?: number;
    DesiredCapacity?: number;
    MinSize?: number;
}
interface ScalingActivity {
    ScalingActivityId?: string;
    StatusCode?: string;
    StatusMessage?: string;
    StartTime?: string;
    Progress?: number;
}
interface InstanceRefreshTask {
    InstanceRefreshTaskId?: string;
    Status?: string;
    Detail?: string;
    StartTime?: string;
    FinishedUpdateCapacity?: number;
    TotalNeedUpdateCapacity?: number;
}

/** The 2022-02-22 API returns lists as arrays; the 2014-08-28 shape wraps each in an object named for its item. */
function listOf<T>(value: unknown, item: string): T[] {
    if (Array.isArray(value)) return value as T[];
    const inner = (value as Record<string, unknown> | undefined)?.[item];
    return Array.isArray(inner) ? (inner as T[]) : [];
}

/** The newest by start time; a task not yet started has none and is the newest. */
function newest<T extends { StartTime?: string }>(items: T[]): T | undefined {
    const started = (item: T) => (item.StartTime ? Date.parse(item.StartTime) : Number.POSITIVE_INFINITY);
    return items.reduce<T | undefined>((a, b) => (!a || started(b) > started(a) ? b : a), undefined);
}

const refreshRunning = new Set(["Pending", "InProgress", "Paused"]);
const refreshRolledBack = new Set(["RollbackInProgress", "RollbackSuccessful"]);

export async function readScalingGroup(target: ScalingGroupTarget, client: EssApi): Promise<Reading> {
    const post = { method: "POST" };
    const where = { RegionId: target.region, ScalingGroupId: target.scalingGroupId };
    const groups = await client.request<{ ScalingGroups?: unknown }>(
        "DescribeScalingGroups",
        { RegionId: target.region, ScalingGroupIds: [target.scalingGroupId] },
        post,
    );
    const group = listOf<ScalingGroup>(groups.ScalingGroups, "ScalingGroup").find((g) => g.ScalingGroupId === target.scalingGroupId);
    if (!group) return { state: "failed", detail: `scaling group ${target.scalingGroupId} not found in ${target.region}` };

    const refreshes = await client.request<{ InstanceRefreshTasks?: unknown }>("DescribeInstanceRefreshes", { ...where, MaxResults: 10 }, post);
    const refresh = newest(listOf<InstanceRefreshTask>(refreshes.InstanceRefreshTasks, "InstanceRefreshTask"));
    const activities = await client.request<{ ScalingActivities?: unknown }>("DescribeScalingActivities", { ...where, PageSize: 10 }, post);
    const activity = newest(listOf<ScalingActivity>(activities.ScalingActivities, "ScalingActivity"));

    const refreshText = refresh
        ? `instance refresh ${refresh.InstanceRefreshTaskId} ${refresh.Status} (${refresh.FinishedUpdateCapacity ?? 0} of ${refresh.TotalNeedUpdateCapacity ?? "?"} updated)${refresh.Detail ? `: ${refresh.Detail}` : ""}`
        : undefined;
    const activityText = activity
        ? `scaling activity ${activity.ScalingActivityId} ${activity.StatusCode}${activity.StatusMessage ? `: ${activity.StatusMessage}` : ""}`
        : "no scaling activity";
    const about = [refreshText, activityText].filter(Boolean).join("; ");

    if (refresh?.Status && refreshRolledBack.has(refresh.Status)) return { state: "rolled-back", detail: about };
    if (refresh?.Status && !refreshRunning.has(refresh.Status) && refresh.Status !== "Successful") return { state: "failed", detail: about };
    if (activity?.StatusCode && activity.StatusCode !== "InProgress" && activity.StatusCode !== "Successful") return { state: "failed", detail: about };
    if (refresh?.Status && refreshRunning.has(refresh.Status)) return { state: "in-progress", detail: about };
    if (activity?.StatusCode === "InProgress") return { state: "in-progress", detail: `${about} (${activity.Progress ?? 0}%)` };

    const wanted = group.DesiredCapacity ?? group.MinSize ?? 0;
    const capacity = `${group.ActiveCapacity ?? 0} of ${wanted} ${group.DesiredCapacity !== undefined ? "desired" : "minimum"} instances in service`;
    if ((group.ActiveCapacity ?? 0) < wanted) return { state: "in-progress", detail: `${about}; ${capacity}` };
    return { state: "succeeded", detail: `${about}; ${capacity}` };
}
