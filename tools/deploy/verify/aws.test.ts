import {
    AutoScalingClient,
    DescribeAutoScalingGroupsCommand,
    DescribeInstanceRefreshesCommand,
    type AutoScalingGroup,
    type Instance,
    type InstanceRefresh,
} from "@aws-sdk/client-auto-scaling";
import { DescribeServicesCommand, ECSClient, type Deployment, type Service } from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { verify, type RolloutTarget } from "./index";
import { fakeClock } from "./fixtures/recorded-server";

const autoScaling = mockClient(AutoScalingClient);
const ecs = mockClient(ECSClient);
beforeEach(() => {
    autoScaling.reset();
    ecs.reset();
});

async function verifyOne(target: RolloutTarget, timeoutSeconds = 600) {
    const clock = fakeClock();
    const outcome = await verify({ rollouts: [target], healthChecks: [] }, { timeoutSeconds, pollSeconds: 15, ...clock });
    return { ...outcome, result: outcome.results[0], slept: clock.slept };
}

describe("Auto Scaling group", () => {
    const target: RolloutTarget = { kind: "aws-autoscaling-group", region: "eu-west-1", name: "transactional-prod-ecs" };
    const instance = (id: string, LifecycleState: Instance["LifecycleState"] = "InService", HealthStatus = "Healthy"): Instance => ({
        InstanceId: id,
        LifecycleState,
        HealthStatus,
        AvailabilityZone: "eu-west-1a",
        ProtectedFromScaleIn: false,
    });
    const group = (instances: Instance[], DesiredCapacity = 3): { AutoScalingGroups: AutoScalingGroup[] } => ({
        AutoScalingGroups: [
            {
                AutoScalingGroupName: target.name,
                MinSize: 2,
                MaxSize: 6,
                DesiredCapacity,
                DefaultCooldown: 300,
                AvailabilityZones: ["eu-west-1a", "eu-west-1b"],
                HealthCheckType: "ELB",
                CreatedTime: new Date("2026-09-01T10:00:00Z"),
                Instances: instances,
            },
        ],
    });
    const full = group([instance("i-0a1"), instance("i-0b2"), instance("i-0c3")]);
    const refresh = (Status: InstanceRefresh["Status"], extra: Partial<InstanceRefresh> = {}): InstanceRefresh => ({
        InstanceRefreshId: "08b91cf7-8fa6-48af-b6a6-d227f40f1b9b",
        AutoScalingGroupName: target.name,
        Status,
        StartTime: new Date("2026-11-20T10:00:00Z"),
        PercentageComplete: Status === "Successful" ? 100 : 33,
        InstancesToUpdate: Status === "Successful" ? 0 : 2,
        ...extra,
    });

    test("a refresh in progress is read again until it succeeds and the desired capacity is in service", async () => {
        autoScaling
            .on(DescribeAutoScalingGroupsCommand)
            .resolvesOnce(group([instance("i-0a1"), instance("i-0d4", "Pending")]))
            .resolves(full);
        autoScaling
            .on(DescribeInstanceRefreshesCommand)
            .resolvesOnce({ InstanceRefreshes: [refresh("Pending", { StartTime: undefined })] })
            .resolvesOnce({ InstanceRefreshes: [refresh("InProgress")] })
            .resolves({ InstanceRefreshes: [refresh("Successful", { EndTime: new Date("2026-11-20T10:20:00Z") })] });
        const { ok, result, slept } = await verifyOne(target);
        expect(ok).toBe(true);
        expect(result).toEqual({
            target: "aws-autoscaling-group eu-west-1/transactional-prod-ecs",
            ok: true,
            state: "succeeded",
            detail: "instance refresh 08b91cf7-8fa6-48af-b6a6-d227f40f1b9b Successful; 3 of 3 desired instances in service",
        });
        expect(slept).toEqual([15_000, 15_000]);
        expect(autoScaling.commandCalls(DescribeInstanceRefreshesCommand)[0].args[0].input).toEqual({ AutoScalingGroupName: target.name });
        expect(autoScaling.commandCalls(DescribeAutoScalingGroupsCommand)[0].args[0].input).toEqual({ AutoScalingGroupNames: [target.name] });
    });

    test("the client is made for the target's region", async () => {
        autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(full);
        autoScaling.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
        await verifyOne(target);
        const client = autoScaling.call(0).thisValue as AutoScalingClient;
        expect(await client.config.region()).toBe("eu-west-1");
    });

    test("a successful refresh with the capacity in service succeeds at once; the newest refresh decides", async () => {
        autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(full);
        autoScaling.on(DescribeInstanceRefreshesCommand).resolves({
            InstanceRefreshes: [refresh("Failed", { InstanceRefreshId: "older", StartTime: new Date("2026-11-01T00:00:00Z") }), refresh("Successful")],
        });
        const { result, slept } = await verifyOne(target);
        expect(result).toMatchObject({ ok: true, state: "succeeded" });
        expect(slept).toEqual([]);
    });

    test("no refresh at all succeeds, saying none ran", async () => {
        autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(full);
        autoScaling.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
        const { result } = await verifyOne(target);
        expect(result).toMatchObject({ ok: true, state: "succeeded", detail: "no instance refresh ran; 3 of 3 desired instances in service" });
    });

    test.each(["RollbackInProgress", "RollbackSuccessful"] as const)("a refresh in %s is rolled-back, with its reason", async (status) => {
        autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(full);
        autoScaling.on(DescribeInstanceRefreshesCommand).resolves({
            InstanceRefreshes: [refresh(status, { StatusReason: "Rolling back: instances failed ELB health checks." })],
        });
        const { ok, result, slept } = await verifyOne(target);
        expect(ok).toBe(false);
        expect(result.state).toBe("rolled-back");
        expect(result.detail).toBe(`instance refresh 08b91cf7-8fa6-48af-b6a6-d227f40f1b9b ${status}: Rolling back: instances failed ELB health checks.`);
        expect(slept).toEqual([]);
    });

    test.each(["Failed", "Cancelled", "Cancelling", "RollbackFailed"] as const)("a refresh in %s fails", async (status) => {
        autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(full);
        autoScaling
            .on(DescribeInstanceRefreshesCommand)
            .resolves({ InstanceRefreshes: [refresh(status, { StatusReason: "Launch failed: the instance type is not supported." })] });
        const { result } = await verifyOne(target);
        expect(result).toMatchObject({ ok: false, state: "failed" });
        expect(result.detail).toContain(`${status}: Launch failed`);
    });

    test("a successful refresh with instances short of the desired capacity at the deadline fails as in-progress", async () => {
        autoScaling
            .on(DescribeAutoScalingGroupsCommand)
            .resolves(group([instance("i-0a1"), instance("i-0b2", "InService", "Unhealthy"), instance("i-0c3", "Terminating")]));
        autoScaling.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [refresh("Successful")] });
        const { ok, result } = await verifyOne(target, 40);
        expect(ok).toBe(false);
        expect(result.state).toBe("in-progress");
        expect(result.detail).toContain("still in progress after 40s");
        expect(result.detail).toContain("1 of 3 desired instances in service");
    });

    test("a group that does not exist fails", async () => {
        autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
        const { result } = await verifyOne(target);
        expect(result).toMatchObject({ ok: false, state: "failed", detail: "Auto Scaling group transactional-prod-ecs not found in eu-west-1" });
    });

    test("no credentials is unreachable with the SDK's message", async () => {
        const error = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
        autoScaling.on(DescribeAutoScalingGroupsCommand).rejects(error);
        const { ok, result, slept } = await verifyOne(target);
        expect(ok).toBe(false);
        expect(result).toMatchObject({ state: "unreachable", detail: "Could not load credentials from any providers" });
        expect(slept).toEqual([]);
    });
});

describe("ECS service", () => {
    const target: RolloutTarget = { kind: "aws-ecs-service", region: "eu-west-1", cluster: "transactional-prod", service: "api" };
    const taskDefinition = (revision: number) => `arn:aws:ecs:eu-west-1:123456789012:task-definition/transactional-prod-api:${revision}`;
    const deployment = (extra: Partial<Deployment>): Deployment => ({
        id: "ecs-svc/4861259337417210981",
        status: "PRIMARY",
        taskDefinition: taskDefinition(42),
        desiredCount: 3,
        pendingCount: 0,
        runningCount: 3,
        failedTasks: 0,
        createdAt: new Date("2026-11-20T10:00:00Z"),
        updatedAt: new Date("2026-11-20T10:06:00Z"),
        launchType: "EC2",
        rolloutState: "COMPLETED",
        rolloutStateReason: "ECS deployment ecs-svc/4861259337417210981 completed.",
        ...extra,
    });
    const service = (deployments: Deployment[], extra: Partial<Service> = {}) => ({
        services: [
            {
                serviceArn: "arn:aws:ecs:eu-west-1:123456789012:service/transactional-prod/api",
                serviceName: "api",
                clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/transactional-prod",
                status: "ACTIVE",
                desiredCount: 3,
                runningCount: 3,
                pendingCount: 0,
                taskDefinition: deployments[0]?.taskDefinition,
                deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100 },
                deployments,
                ...extra,
            },
        ],
        failures: [],
    });

    test("an IN_PROGRESS deployment is read again until it is COMPLETED", async () => {
        const inProgress = deployment({
            rolloutState: "IN_PROGRESS",
            rolloutStateReason: "ECS deployment ecs-svc/4861259337417210981 in progress.",
            runningCount: 1,
            pendingCount: 2,
        });
        const draining = deployment({
            id: "ecs-svc/1122334455667788990",
            status: "ACTIVE",
            taskDefinition: taskDefinition(41),
            rolloutState: "COMPLETED",
            runningCount: 2,
        });
        ecs.on(DescribeServicesCommand)
            .resolvesOnce(service([inProgress, draining]))
            .resolves(service([deployment({})]));
        const { ok, result, slept } = await verifyOne(target);
        expect(ok).toBe(true);
        expect(result).toEqual({
            target: "aws-ecs-service eu-west-1/transactional-prod/api",
            ok: true,
            state: "succeeded",
            detail: "deployment ecs-svc/4861259337417210981 COMPLETED (ECS deployment ecs-svc/4861259337417210981 completed.); 3 of 3 tasks running",
        });
        expect(slept).toEqual([15_000]);
        expect(ecs.commandCalls(DescribeServicesCommand)[0].args[0].input).toEqual({ cluster: "transactional-prod", services: ["api"] });
    });

    test("a COMPLETED deployment with every task running succeeds at once", async () => {
        ecs.on(DescribeServicesCommand).resolves(service([deployment({})]));
        const { result, slept } = await verifyOne(target);
        expect(result).toMatchObject({ ok: true, state: "succeeded" });
        expect(slept).toEqual([]);
    });

    test("a circuit-breaker rollback in progress is rolled-back, naming the failed deployment", async () => {
        const failed = deployment({
            id: "ecs-svc/9988776655443322110",
            status: "ACTIVE",
            taskDefinition: taskDefinition(43),
            rolloutState: "FAILED",
            rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
            runningCount: 0,
            failedTasks: 10,
        });
        const rollback = deployment({
            id: "ecs-svc/5566778899001122334",
            rolloutState: "IN_PROGRESS",
            rolloutStateReason: "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/4861259337417210981.",
            runningCount: 2,
        });
        ecs.on(DescribeServicesCommand).resolves(service([rollback, failed]));
        const { ok, result, slept } = await verifyOne(target);
        expect(ok).toBe(false);
        expect(result.state).toBe("rolled-back");
        expect(result.detail).toContain("deployment ecs-svc/9988776655443322110 FAILED (ECS deployment circuit breaker: tasks failed to start.)");
        expect(result.detail).toContain("rolling back to deploymentId ecs-svc/4861259337417210981");
        expect(slept).toEqual([]);
    });

    test("a rollback is recognised by the older task definition it returns to, whatever its reason says", async () => {
        const failed = deployment({
            id: "ecs-svc/9988776655443322110",
            status: "ACTIVE",
            taskDefinition: taskDefinition(43),
            rolloutState: "FAILED",
            rolloutStateReason: "tasks failed to start.",
        });
        const rollback = deployment({ id: "ecs-svc/5566778899001122334", rolloutStateReason: undefined });
        ecs.on(DescribeServicesCommand).resolves(service([rollback, failed]));
        const { result } = await verifyOne(target);
        expect(result).toMatchObject({ ok: false, state: "rolled-back" });
    });

    test("a new deployment after a failed one (re-applying the last good commit) is no rollback: it succeeds once the failed one is gone", async () => {
        const failed = deployment({
            id: "ecs-svc/9988776655443322110",
            status: "ACTIVE",
            taskDefinition: taskDefinition(43),
            rolloutState: "FAILED",
            rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
        });
        const reapplied = deployment({
            id: "ecs-svc/7777777777777777777",
            taskDefinition: taskDefinition(44),
            rolloutState: "IN_PROGRESS",
            rolloutStateReason: undefined,
            runningCount: 1,
        });
        ecs.on(DescribeServicesCommand)
            .resolvesOnce(service([reapplied, failed]))
            .resolves(service([{ ...reapplied, rolloutState: "COMPLETED", runningCount: 3 }]));
        const { result, slept } = await verifyOne(target);
        expect(result).toMatchObject({ ok: true, state: "succeeded" });
        expect(slept).toEqual([15_000]);
    });

    test("a FAILED primary deployment (circuit breaker without rollback) fails", async () => {
        ecs.on(DescribeServicesCommand).resolves(
            service([
                deployment({
                    rolloutState: "FAILED",
                    rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
                    runningCount: 0,
                    failedTasks: 10,
                }),
            ]),
        );
        const { ok, result } = await verifyOne(target);
        expect(ok).toBe(false);
        expect(result.state).toBe("failed");
        expect(result.detail).toBe(
            "deployment ecs-svc/4861259337417210981 FAILED (ECS deployment circuit breaker: tasks failed to start.); 0 of 3 tasks running",
        );
    });

    test("a COMPLETED deployment still short of its desired tasks at the deadline fails as in-progress", async () => {
        ecs.on(DescribeServicesCommand).resolves(service([deployment({ runningCount: 2 })]));
        const { ok, result, slept } = await verifyOne(target, 30);
        expect(ok).toBe(false);
        expect(result.state).toBe("in-progress");
        expect(result.detail).toContain("2 of 3 tasks running");
        expect(slept).toEqual([15_000, 15_000]);
    });

    test("a service that does not exist fails, with ECS's failure reason", async () => {
        ecs.on(DescribeServicesCommand).resolves({
            services: [],
            failures: [{ arn: "arn:aws:ecs:eu-west-1:123456789012:service/transactional-prod/api", reason: "MISSING" }],
        });
        const { result } = await verifyOne(target);
        expect(result).toMatchObject({ ok: false, state: "failed", detail: "ECS service api not found in cluster transactional-prod (MISSING)" });
    });

    test("an access denial is unreachable with the SDK's message", async () => {
        const denied = Object.assign(
            new Error(
                "User: arn:aws:sts::123456789012:assumed-role/deploy/gha is not authorized to perform: ecs:DescribeServices on resource: arn:aws:ecs:eu-west-1:123456789012:service/transactional-prod/api",
            ),
            { name: "AccessDeniedException", $metadata: { httpStatusCode: 400 } },
        );
        ecs.on(DescribeServicesCommand).rejects(denied);
        const { ok, result } = await verifyOne(target);
        expect(ok).toBe(false);
        expect(result.state).toBe("unreachable");
        expect(result.detail).toContain("is not authorized to perform: ecs:DescribeServices");
    });
});
