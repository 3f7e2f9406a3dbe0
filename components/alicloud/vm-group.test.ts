import { useMockRuntime } from "../../test/helpers/pulumi";
import { offlineId } from "pulumi-offline-plan/runtime";
import { probeRollout } from "../../test/conformance/rollout-probe";
import { changesAfterRefresh } from "../../test/helpers/refresh";
import { VmGroup, type VmGroupArgs } from "./vm-group";

const run = useMockRuntime();

const args = (environment: "dev" | "prod"): VmGroupArgs => ({
    environment,
    imageId: "m-pinned0001",
    instanceType: "ecs.g7.large",
    region: "eu-central-1",
    minSize: 2,
    maxSize: 6,
    desiredSize: 3,
    cpuTargetPercent: 60,
    port: 8080,
    vpcId: "vpc-offline",
    vswitchIds: ["vsw-a", "vsw-b"],
    ingressCidrs: ["10.30.0.0/20", "10.30.16.0/20"],
    albServerGroupId: "sgp-offline",
});

describe("VmGroup", () => {
    test("a scaling group balanced over the vSwitches, in the ALB server group, health-checked by it", async () => {
        new VmGroup("vms-group", args("dev"));
        const group = await run.one("alicloud:ess/scalingGroup:ScalingGroup", "vms-group");
        expect(group.plain).toMatchObject({
            minSize: 2,
            maxSize: 6,
            desiredCapacity: 3,
            vswitchIds: ["vsw-a", "vsw-b"],
            multiAzPolicy: "BALANCE",
            healthCheckTypes: ["ECS", "LOAD_BALANCER"],
            albServerGroups: [{ albServerGroupId: "sgp-offline", port: 8080, weight: 100 }],
        });
    });

    test("instances: the pinned image, encrypted ESSD system disk, no public bandwidth, their own security group", async () => {
        new VmGroup("vms-config", args("dev"));
        const config = await run.one("alicloud:ess/scalingConfiguration:ScalingConfiguration", "vms-config");
        expect(config.plain).toMatchObject({
            imageId: "m-pinned0001",
            instanceType: "ecs.g7.large",
            systemDiskCategory: "cloud_essd",
            systemDiskEncrypted: true,
            internetMaxBandwidthOut: 0,
            active: true,
            enable: true,
        });
        expect(config.plain.securityGroupIds).toHaveLength(1);
    });

    test("the security group admits only the service port, only from the private ranges", async () => {
        new VmGroup("vms-sg", args("dev"));
        const rules = await run.ofType("alicloud:ecs/securityGroupRule:SecurityGroupRule", "vms-sg");
        expect(rules.map((r) => [r.plain.type, r.plain.portRange, r.plain.cidrIp])).toEqual([
            ["ingress", "8080/8080", "10.30.0.0/20"],
            ["ingress", "8080/8080", "10.30.16.0/20"],
        ]);
    });

    test("scales on average CPU with a target-tracking rule", async () => {
        new VmGroup("vms-cpu", args("dev"));
        const rule = await run.one("alicloud:ess/scalingRule:ScalingRule", "vms-cpu");
        expect(rule.plain).toMatchObject({ scalingRuleType: "TargetTrackingScalingRule", metricName: "CpuUtilization", targetValue: 60 });
    });

    describe.each(["dev", "prod"] as const)("rollout in %s", (environment) => {
        test("an instance refresh that keeps 100 % healthy and surges first, gated on the load balancer's health check", async () => {
            new VmGroup(`vms-rollout-${environment}`, args(environment));
            const refresh = await run.one("alicloud:ess/instanceRefresh:InstanceRefresh", `vms-rollout-${environment}`);
            expect(refresh.plain).toEqual({
                scalingGroupId: expect.any(String),
                desiredConfigurationImageId: "m-pinned0001",
                minHealthyPercentage: 100,
                maxHealthyPercentage: 150,
                checkpoints: [{ percentage: 50 }],
                checkpointPauseTime: 10,
                skipMatching: true,
            });
            const group = await run.one("alicloud:ess/scalingGroup:ScalingGroup", `vms-rollout-${environment}`);
            expect(group.plain.healthCheckTypes).toEqual(["ECS", "LOAD_BALANCER"]);
        });

        test("the rollout target is the scaling group's id in the kit's region", async () => {
            const vms = new VmGroup(`vms-target-${environment}`, args(environment));
            const group = await run.one("alicloud:ess/scalingGroup:ScalingGroup", `vms-target-${environment}`);
            const { target, sources } = await probeRollout(run, `vms-target-${environment}`, vms.rollout);
            expect(target).toEqual({ kind: "alicloud-scaling-group", region: "eu-central-1", scalingGroupId: offlineId(group.type, group.name) });
            expect(sources).toEqual([group.urn]);
        });
    });

    test("gets a RAM role that may read only its secrets, and mounts the NAS", async () => {
        new VmGroup("vms-secrets", { ...args("dev"), secretNames: ["backend-serviceToken"], nfsMountDomain: "abc.eu-central-1.nas.aliyuncs.com" });
        const policy = await run.one("alicloud:ram/policy:Policy", "vms-secrets");
        const document = JSON.parse(policy.plain.policyDocument);
        expect(document.Statement[0]).toEqual({
            Effect: "Allow",
            Action: ["kms:GetSecretValue", "kms:DescribeSecret"],
            Resource: ["acs:kms:*:*:secret/backend-serviceToken"],
        });
        const config = await run.one("alicloud:ess/scalingConfiguration:ScalingConfiguration", "vms-secrets");
        expect(config.plain.roleName).toBe("vms-secrets");
        expect(config.plain.userData).toContain("abc.eu-central-1.nas.aliyuncs.com:/ /mnt/shared nfs");
    });

    test("group deletion protection in prod only", async () => {
        new VmGroup("vms-prod", args("prod"));
        new VmGroup("vms-dev", args("dev"));
        expect((await run.one("alicloud:ess/scalingGroup:ScalingGroup", "vms-prod")).plain.groupDeletionProtection).toBe(true);
        expect((await run.one("alicloud:ess/scalingGroup:ScalingGroup", "vms-dev")).plain.groupDeletionProtection).toBe(false);
    });

    test("rejects sizes through validateVmGroupSpec", () => {
        expect(() => new VmGroup("vms-bad-size", { ...args("dev"), minSize: 7 })).toThrow("VmGroup: `minSize` (7) must not be above `maxSize` (6).");
    });

    test("rejects an instance type that is not an ECS type", () => {
        expect(() => new VmGroup("vms-bad-type", { ...args("dev"), instanceType: "t3.large" })).toThrow(
            'VmGroup: `instanceType` must be an ECS instance type such as "ecs.g7.large", got "t3.large".',
        );
    });

    test("rejects the internet as an ingress range", () => {
        expect(() => new VmGroup("vms-open", { ...args("dev"), ingressCidrs: ["0.0.0.0/0"] })).toThrow(
            "VmGroup: `ingressCidrs` must be private ranges, not the internet (0.0.0.0/0).",
        );
    });

    test("rejects a bad port, a server group without a port, and no vSwitch", () => {
        expect(() => new VmGroup("vms-port", { ...args("dev"), port: 70000 })).toThrow("VmGroup: `port` must be a port from 1 to 65535, got 70000.");
        expect(() => new VmGroup("vms-noport", { ...args("dev"), port: undefined })).toThrow(
            "VmGroup: `port` is required with `albServerGroupId`: the port the load balancer sends traffic to.",
        );
        expect(() => new VmGroup("vms-novsw", { ...args("dev"), vswitchIds: [] })).toThrow("VmGroup: `vswitchIds` must list at least one vSwitch; got none.");
    });
});

test("a campaign becomes one-time ESS scheduled tasks at UTC launch times that move only the scaling group's minimum", async () => {
    // Singles' Day in Shanghai (UTC+8) starts the previous day in UTC.
    const singlesDay = { name: "singles-day", start: "2026-11-11T00:00", end: "2026-11-12T02:00", timeZone: "Asia/Shanghai", minCapacity: 5 };
    new VmGroup("vms-sched", { ...args("prod"), schedules: [singlesDay] });
    const tasks = (await run.ofType("alicloud:ess/scheduledTask:ScheduledTask", "vms-sched")).map((t) => t.plain);
    tasks.sort((a, b) => a.launchTime.localeCompare(b.launchTime));
    expect(tasks).toHaveLength(2);
    expect(tasks[0]).toMatchObject({ scheduledTaskName: "singles-day-start", launchTime: "2026-11-10T16:00Z", minValue: 5, maxValue: 6 });
    expect(tasks[1]).toMatchObject({ scheduledTaskName: "singles-day-end", launchTime: "2026-11-11T18:00Z", minValue: 2, maxValue: 6 });
    expect(tasks.map((t) => t.desiredCapacity)).toEqual([undefined, undefined]);
    expect(tasks.every((t) => t.recurrenceType === undefined)).toBe(true);
});

test("the scaling rule owns the count: Pulumi sets the first desired capacity and ignores drift", async () => {
    new VmGroup("vms-owner", args("prod"));
    const group = await run.one("alicloud:ess/scalingGroup:ScalingGroup", "vms-owner");
    expect(group.plain.desiredCapacity).toBeDefined();
    expect(group.options.ignoreChanges).toEqual(["desiredCapacity"]);
});

describe("a campaign's raised minimum belongs to its scheduled task", () => {
    const singlesDay = { name: "singles-day", start: "2026-11-11T00:00", end: "2026-11-12T02:00", timeZone: "Asia/Shanghai", minCapacity: 5 };
    const group = async (name: string, now: string) => {
        new VmGroup(name, { ...args("prod"), schedules: [singlesDay], now: new Date(now) });
        return run.one("alicloud:ess/scalingGroup:ScalingGroup", name);
    };

    test("inside the window a refresh that reads the raised minimum reports no change, so a deploy keeps it", async () => {
        const scaling = await group("vms-camp-in", "2026-11-11T03:00:00Z");
        expect(scaling.plain.minSize).toBe(2);
        expect(changesAfterRefresh(scaling, { ...scaling.plain, minSize: 5 })).toEqual([]);
    });

    test("outside every window a minimum other than the configured one is drift", async () => {
        const scaling = await group("vms-camp-out", "2026-11-20T00:00:00Z");
        expect(scaling.options.ignoreChanges).toEqual(["desiredCapacity"]);
        expect(changesAfterRefresh(scaling, { ...scaling.plain, minSize: 5 })).toEqual(["minSize"]);
    });
});

test("rejects a campaign whose end is not after its start", () => {
    const backwards = { name: "sale", start: "2026-11-12T00:00", end: "2026-11-11T00:00", timeZone: "Asia/Shanghai", minCapacity: 3 };
    expect(() => new VmGroup("vms-bad", { ...args("dev"), schedules: [backwards] })).toThrow(
        "VmGroup: `schedules[0].end` (2026-11-11T00:00) must be at least 5 minutes after `schedules[0].start` (2026-11-12T00:00).",
    );
});
