import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribeInstanceRefreshesCommand, type InstanceRefresh } from "@aws-sdk/client-auto-scaling";
import { mockClient } from "aws-sdk-client-mock";
import { describeTarget, verify, type RolloutTarget } from "./index";
import { essClient } from "./alicloud";
import { fakeClock } from "./fixtures/recorded-server";

const autoScaling = mockClient(AutoScalingClient);
beforeEach(() => autoScaling.reset());

const asg = (name: string, region = "eu-west-1"): RolloutTarget => ({ kind: "aws-autoscaling-group", region, name });
const inService = {
    InstanceId: "i-0a1",
    LifecycleState: "InService" as const,
    HealthStatus: "Healthy",
    AvailabilityZone: "eu-west-1a",
    ProtectedFromScaleIn: false,
};
const groupNamed = (name: string) => ({
    AutoScalingGroups: [
        {
            AutoScalingGroupName: name,
            MinSize: 1,
            MaxSize: 2,
            DesiredCapacity: 1,
            DefaultCooldown: 300,
            AvailabilityZones: ["eu-west-1a"],
            HealthCheckType: "EC2",
            CreatedTime: new Date(0),
            Instances: [inService],
        },
    ],
});
const refresh = (Status: InstanceRefresh["Status"]): InstanceRefresh => ({ InstanceRefreshId: "r-1", Status, StartTime: new Date("2026-11-20T10:00:00Z") });

/** The group each call asks for answers with its own name, so several targets can share the mock. */
function groupsExist(): void {
    autoScaling.on(DescribeAutoScalingGroupsCommand).callsFake((input: { AutoScalingGroupNames: string[] }) => groupNamed(input.AutoScalingGroupNames[0]));
}

test("an empty verification is ok and says nothing", async () => {
    expect(await verify({ rollouts: [], healthChecks: [] }, fakeClock())).toEqual({ ok: true, results: [] });
});

test("one unreachable target fails the whole verification, and every target keeps its own result in order", async () => {
    groupsExist();
    autoScaling.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [refresh("Successful")] });
    const outcome = await verify(
        { rollouts: [asg("app"), { kind: "alicloud-scaling-group", region: "cn-hangzhou", scalingGroupId: "asg-1" }], healthChecks: [] },
        { ...fakeClock(), clients: { ess: (region) => essClient(region, {}, 1000) } },
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.results.map((r) => [r.target, r.ok, r.state])).toEqual([
        ["aws-autoscaling-group eu-west-1/app", true, "succeeded"],
        ["alicloud-scaling-group cn-hangzhou/asg-1", false, "unreachable"],
    ]);
});

test("a response the reader cannot make sense of is unreachable, never success", async () => {
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves(undefined as never);
    const outcome = await verify({ rollouts: [asg("app")], healthChecks: [] }, fakeClock());
    expect(outcome.ok).toBe(false);
    expect(outcome.results[0].state).toBe("unreachable");
    expect(outcome.results[0].detail).toMatch(/AutoScalingGroups/);
});

test("each client factory runs once per region, and its failure reaches each of its targets", async () => {
    const made: string[] = [];
    const outcome = await verify(
        {
            rollouts: [
                { kind: "alicloud-scaling-group", region: "cn-hangzhou", scalingGroupId: "asg-1" },
                { kind: "alicloud-scaling-group", region: "cn-hangzhou", scalingGroupId: "asg-2" },
                { kind: "alicloud-scaling-group", region: "ap-southeast-1", scalingGroupId: "asg-3" },
            ],
            healthChecks: [],
        },
        {
            ...fakeClock(),
            clients: {
                ess: (region) => {
                    made.push(region);
                    throw new Error(`no credentials for ${region}`);
                },
            },
        },
    );
    expect(made).toEqual(["cn-hangzhou", "ap-southeast-1"]);
    expect(outcome.results.map((r) => r.detail)).toEqual([
        "no credentials for cn-hangzhou",
        "no credentials for cn-hangzhou",
        "no credentials for ap-southeast-1",
    ]);
});

test("a cluster client that cannot be made leaves its workloads unreachable", async () => {
    const outcome = await verify(
        { rollouts: [{ kind: "kubernetes-deployment", namespace: "partner", name: "web" }], healthChecks: [] },
        { ...fakeClock(), clients: { kubernetes: async () => Promise.reject(new Error("no kubeconfig: KUBECONFIG names a file that does not exist")) } },
    );
    expect(outcome.results[0]).toMatchObject({ ok: false, state: "unreachable", detail: "no kubeconfig: KUBECONFIG names a file that does not exist" });
});

test("by default a rollout is looked at every 15 s for 900 s", async () => {
    groupsExist();
    autoScaling.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [refresh("InProgress")] });
    const clock = fakeClock();
    const outcome = await verify({ rollouts: [asg("app")], healthChecks: [] }, clock);
    expect(outcome.results[0]).toMatchObject({ ok: false, state: "in-progress" });
    expect(outcome.results[0].detail).toMatch(/^still in progress after 900s: instance refresh r-1 InProgress/);
    expect(clock.slept).toHaveLength(60);
    expect(new Set(clock.slept)).toEqual(new Set([15_000]));
    expect(autoScaling.commandCalls(DescribeInstanceRefreshesCommand)).toHaveLength(61);
});

test("rollouts are polled side by side, and health checks run once they have settled", async () => {
    const events: string[] = [];
    groupsExist();
    const answers: Record<string, InstanceRefresh["Status"][]> = { fast: ["Successful"], slow: ["InProgress", "InProgress", "Successful"] };
    autoScaling.on(DescribeInstanceRefreshesCommand).callsFake((input: { AutoScalingGroupName: string }) => {
        const name = input.AutoScalingGroupName;
        events.push(name);
        return { InstanceRefreshes: [refresh(answers[name].shift() ?? "Successful")] };
    });
    const server = http.createServer((req, res) => {
        events.push("health");
        res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
        const clock = fakeClock();
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
        const outcome = await verify({ rollouts: [asg("slow"), asg("fast")], healthChecks: [{ name: "api", url }] }, { ...clock, pollSeconds: 10 });
        expect(outcome.ok).toBe(true);
        expect(outcome.results.map((r) => r.target)).toEqual(["aws-autoscaling-group eu-west-1/slow", "aws-autoscaling-group eu-west-1/fast", "health api"]);
        expect(events).toEqual(["slow", "fast", "slow", "slow", "health"]);
    } finally {
        server.close();
    }
});

test.each([
    [{ timeoutSeconds: Number("soon") }, "verify: timeoutSeconds must be a number of seconds above 0, not NaN"],
    [{ timeoutSeconds: -5 }, "verify: timeoutSeconds must be a number of seconds above 0, not -5"],
    [{ pollSeconds: 0 }, "verify: pollSeconds must be a number of seconds above 0, not 0"],
])("a timeout or poll interval that could never end or never rest is refused (%o)", async (options, message) => {
    await expect(verify({ rollouts: [asg("app")], healthChecks: [] }, { ...fakeClock(), ...options })).rejects.toThrow(message);
    expect(autoScaling.calls()).toHaveLength(0);
});

test("targets are named by kind and where they live", () => {
    expect(describeTarget({ kind: "aws-ecs-service", region: "eu-west-1", cluster: "c", service: "s" })).toBe("aws-ecs-service eu-west-1/c/s");
    expect(describeTarget({ kind: "gcp-region-instance-group-manager", project: "p", region: "europe-west1", name: "m" })).toBe(
        "gcp-region-instance-group-manager p/europe-west1/m",
    );
    expect(describeTarget({ kind: "kubernetes-statefulset", namespace: "n", name: "s" })).toBe("kubernetes-statefulset n/s");
});
