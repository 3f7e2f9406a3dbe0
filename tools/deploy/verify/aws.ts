/**
 * AWS: an Auto Scaling group's newest instance refresh and its in-service
 * capacity; an ECS service's PRIMARY deployment and whether the deployment
 * circuit breaker rolled it back. Credentials come from the SDK's default chain
 * (the deploy job's OIDC role arrives as AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE
 * or as plain environment keys); the region comes from the target.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribeInstanceRefreshesCommand, type InstanceRefresh } from "@aws-sdk/client-auto-scaling";
import { DescribeServicesCommand, ECSClient, type Deployment } from "@aws-sdk/client-ecs";
import type { RolloutTarget } from "../../../components/contracts";
import type { Reading } from "./index";

export type AutoScalingApi = Pick<AutoScalingClient, "send">;
export type EcsApi = Pick<ECSClient, "send">;
type AutoScalingTarget = Extract<RolloutTarget, { kind: "aws-autoscaling-group" }>;
type EcsTarget = Extract<RolloutTarget, { kind: "aws-ecs-service" }>;

export function autoScalingClient(region: string, requestTimeoutMs: number): AutoScalingClient {
    return new AutoScalingClient({ region, requestHandler: { requestTimeout: requestTimeoutMs, connectionTimeout: 5000 } });
}

export function ecsClient(region: string, requestTimeoutMs: number): ECSClient {
    return new ECSClient({ region, requestHandler: { requestTimeout: requestTimeoutMs, connectionTimeout: 5000 } });
}

const refreshRunning = new Set(["Pending", "InProgress", "Baking"]);
const refreshRolledBack = new Set(["RollbackInProgress", "RollbackSuccessful"]);

export async function readAutoScalingGroup(target: AutoScalingTarget, client: AutoScalingApi): Promise<Reading> {
    const groups = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [target.name] }));
    const group = groups.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === target.name);
    if (!group) return { state: "failed", detail: `Auto Scaling group ${target.name} not found in ${target.region}` };

    const refreshes = await client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: target.name }));
    const refresh = newestRefresh(refreshes.InstanceRefreshes ?? []);
    const about = refresh ? `instance refresh ${refresh.InstanceRefreshId} ${refresh.Status}` : "no instance refresh ran";
    const reason = refresh?.StatusReason ? `: ${refresh.StatusReason}` : "";
    const status = refresh?.Status;
    if (status && refreshRolledBack.has(status)) return { state: "rolled-back", detail: `${about}${reason}` };
    if (status && refreshRunning.has(status)) {
        return { state: "in-progress", detail: `${about} (${refresh?.PercentageComplete ?? 0}% complete, ${refresh?.InstancesToUpdate ?? "?"} to update)` };
    }
    if (status && status !== "Successful") return { state: "failed", detail: `${about}${reason}` };

    const desired = group.DesiredCapacity ?? 0;
    const inService = (group.Instances ?? []).filter((i) => i.LifecycleState === "InService" && i.HealthStatus !== "Unhealthy").length;
    const capacity = `${inService} of ${desired} desired instances in service`;
    if (inService < desired) return { state: "in-progress", detail: `${about}; ${capacity}` };
    return { state: "succeeded", detail: `${about}; ${capacity}` };
}

/** DescribeInstanceRefreshes promises no order; a refresh not yet started has no start time and is the newest. */
function newestRefresh(refreshes: InstanceRefresh[]): InstanceRefresh | undefined {
    const started = (r: InstanceRefresh) => r.StartTime?.getTime() ?? Number.POSITIVE_INFINITY;
    return refreshes.reduce<InstanceRefresh | undefined>((newest, r) => (!newest || started(r) > started(newest) ? r : newest), undefined);
}

/** The circuit breaker names the rollback in the deployment it starts ("ECS deployment circuit breaker: rolling back to deploymentId ..."). */
const rollbackReason = /roll(ing|ed)? ?back/i;

export async function readEcsService(target: EcsTarget, client: EcsApi): Promise<Reading> {
    const out = await client.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }));
    const service = out.services?.find((s) => s.serviceName === target.service || s.serviceArn === target.service);
    if (!service) {
        const failure = out.failures?.[0];
        const why = failure ? ` (${[failure.reason, failure.detail].filter(Boolean).join(": ")})` : "";
        return { state: "failed", detail: `ECS service ${target.service} not found in cluster ${target.cluster}${why}` };
    }
    if (service.status !== "ACTIVE") return { state: "failed", detail: `ECS service ${target.service} is ${service.status}` };

    const deployments = service.deployments ?? [];
    const primary = deployments.find((d) => d.status === "PRIMARY");
    if (!primary) return { state: "failed", detail: `ECS service ${target.service} has no PRIMARY deployment` };
    const tasks = `${primary.runningCount ?? 0} of ${primary.desiredCount ?? 0} tasks running`;
    const about = (d: Deployment) => `deployment ${d.id} ${d.rolloutState ?? d.status}${d.rolloutStateReason ? ` (${d.rolloutStateReason})` : ""}`;

    if (primary.rolloutState === "FAILED") return { state: "failed", detail: `${about(primary)}; ${tasks}` };
    const failed = deployments.find((d) => d !== primary && d.rolloutState === "FAILED");
    if (rollbackReason.test(primary.rolloutStateReason ?? "") || (failed && rolledBackFrom(failed, primary))) {
        return { state: "rolled-back", detail: `${failed ? `${about(failed)}; now ` : ""}${about(primary)}; ${tasks}` };
    }
    if (failed) return { state: "in-progress", detail: `${about(failed)} still draining; ${about(primary)}; ${tasks}` };
    // Tasks short of the desired count after COMPLETED are still starting or keep failing: looked at again until the deadline.
    if (primary.rolloutState === "IN_PROGRESS" || (primary.runningCount ?? 0) < (primary.desiredCount ?? 0)) {
        return { state: "in-progress", detail: `${about(primary)}; ${tasks}` };
    }
    // Services the circuit breaker does not watch (behind a Classic Load Balancer, or another deployment controller) report no rolloutState.
    if (primary.rolloutState === undefined && deployments.length > 1) {
        return { state: "in-progress", detail: `${deployments.length} deployments still active; ${tasks}` };
    }
    return { state: "succeeded", detail: `${about(primary)}; ${tasks}` };
}

/**
 * A rollback returns the service to an older revision of the failed deployment's
 * task definition; a new update after a failure (re-applying the last good
 * commit registers a new revision) moves forward, and is no rollback.
 */
function rolledBackFrom(failed: Deployment, primary: Deployment): boolean {
    const revision = (arn: string | undefined) => /:task-definition\/(.+):(\d+)$/.exec(arn ?? "");
    const from = revision(failed.taskDefinition);
    const to = revision(primary.taskDefinition);
    return !!from && !!to && from[1] === to[1] && Number(to[2]) <= Number(from[2]);
}
