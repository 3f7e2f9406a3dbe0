import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { probeRollout } from "../../test/conformance/rollout-probe";
import { changesAfterRefresh } from "../../test/helpers/refresh";
import { ContainerCluster } from "./container-cluster";
import { ContainerService, type ContainerServiceArgs } from "./container-service";

const run = useMockRuntime();

let n = 0;
const args = (changes: Partial<ContainerServiceArgs> = {}): ContainerServiceArgs => ({
    environment: "prod",
    cluster: new ContainerCluster(`scl${++n}`, {
        environment: "dev",
        instanceType: "m6i.large",
        minNodes: 1,
        maxNodes: 2,
        vpcId: "vpc-1",
        subnetIds: ["s-a", "s-b"],
    }),
    image: "registry.example.com/app@sha256:" + "b".repeat(64),
    cpu: 512,
    memory: 1024,
    port: 8080,
    desiredCount: 2,
    minCount: 2,
    maxCount: 4,
    ...changes,
});

describe.each(["dev", "prod"] as const)("rollout in %s", (environment) => {
    test("keeps 100 % healthy, surges to 200 %, rolls back by itself, and `pulumi up` waits for steady state", async () => {
        new ContainerService(`sroll-${environment}`, args({ environment }));
        const svc = await run.one("aws:ecs/service:Service", `sroll-${environment}`);
        expect(svc.plain.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
        expect([svc.plain.deploymentMinimumHealthyPercent, svc.plain.deploymentMaximumPercent]).toEqual([100, 200]);
        expect(svc.plain.waitForSteadyState).toBe(true);
    });

    test("the rollout target is the cluster's and the service's names in the region given", async () => {
        const service = new ContainerService(`starget-${environment}`, args({ environment, region: "eu-central-1" }));
        const ecsService = await run.one("aws:ecs/service:Service", `starget-${environment}`);
        const cluster = await run.one("aws:ecs/cluster:Cluster", `scl${n}-cluster`);
        const { target, sources } = await probeRollout(run, `starget-${environment}`, service.rollout);
        expect(target).toMatchObject({ kind: "aws-ecs-service", region: "eu-central-1" });
        expect(sources).toEqual([cluster.urn, ecsService.urn].sort());
    });
});

test("service: private, on the capacity provider, behind the target group", async () => {
    new ContainerService("ssvc", args({ targetGroupArn: "arn:tg", loadBalancerSecurityGroupId: "sg-lb" }));
    const svc = await run.one("aws:ecs/service:Service", "ssvc");
    expect(svc.plain.networkConfiguration.assignPublicIp).toBe(false);
    expect(svc.plain.capacityProviderStrategies).toHaveLength(1);
    expect(svc.plain.launchType).toBeUndefined();
    expect(svc.plain.loadBalancers).toEqual([{ targetGroupArn: "arn:tg", containerName: "app", containerPort: 8080 }]);
    const sg = await run.one("aws:ec2/securityGroup:SecurityGroup", "ssvc");
    expect(sg.plain.ingress).toEqual([expect.objectContaining({ fromPort: 8080, toPort: 8080, securityGroups: ["sg-lb"] })]);
});

test("egress: HTTPS anywhere and the network by default; with an allow-list, only its ranges and DNS in the network", async () => {
    new ContainerService("segr", args({ egressCidrs: ["10.16.0.0/16"] }));
    const open = await run.one("aws:ec2/securityGroup:SecurityGroup", "segr");
    expect(open.plain.egress).toEqual([
        expect.objectContaining({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }),
        expect.objectContaining({ protocol: "-1", cidrBlocks: ["10.16.0.0/16"] }),
    ]);
    new ContainerService("segl", args({ egressCidrs: ["10.16.0.0/16"], egressAllowCidrs: { "bank-a": ["192.0.2.0/24", "198.51.100.0/28"], empty: [] } }));
    const listed = await run.one("aws:ec2/securityGroup:SecurityGroup", "segl");
    expect(listed.plain.egress).toEqual([
        expect.objectContaining({ protocol: "udp", fromPort: 53, toPort: 53, cidrBlocks: ["10.16.0.0/16"] }),
        expect.objectContaining({ protocol: "tcp", fromPort: 53, toPort: 53, cidrBlocks: ["10.16.0.0/16"] }),
        expect.objectContaining({ protocol: "-1", cidrBlocks: ["192.0.2.0/24", "198.51.100.0/28"], description: "Allowed: bank-a" }),
    ]);
});

test("task: awsvpc on EC2, unprivileged, logs to a group with retention, secrets from SSM, EFS over TLS", async () => {
    new ContainerService(
        "stask",
        args({
            secrets: { DB_PASSWORD: { parameter: "/multicloud/db", readPolicyJson: "{}" } },
            volume: { fileSystemId: "fs-1", fileSystemArn: "arn:fs", accessPointId: "fsap-1", accessPointArn: "arn:ap", clientSecurityGroupId: "sg-nfs" },
        }),
    );
    const task = await run.one("aws:ecs/taskDefinition:TaskDefinition", "stask");
    expect(task.plain.networkMode).toBe("awsvpc");
    expect(task.plain.requiresCompatibilities).toEqual(["EC2"]);
    const [container] = JSON.parse(task.plain.containerDefinitions);
    expect(container.privileged).toBe(false);
    expect(container.logConfiguration.logDriver).toBe("awslogs");
    expect(container.secrets).toEqual([{ name: "DB_PASSWORD", valueFrom: "/multicloud/db" }]);
    expect(container.mountPoints).toEqual([{ sourceVolume: "shared", containerPath: "/mnt/shared", readOnly: false }]);
    expect(task.plain.volumes[0].efsVolumeConfiguration).toMatchObject({ transitEncryption: "ENABLED", authorizationConfig: { iam: "ENABLED" } });
    expect((await run.one("aws:cloudwatch/logGroup:LogGroup", "stask")).plain.retentionInDays).toBe(365);
    expect((await run.one("aws:ecs/service:Service", "stask")).plain.networkConfiguration.securityGroups).toContain("sg-nfs");
});

test("scales on CPU between minCount and maxCount", async () => {
    new ContainerService("sscale", args());
    const target = await run.one("aws:appautoscaling/target:Target", "sscale");
    expect([target.plain.minCapacity, target.plain.maxCapacity]).toEqual([2, 4]);
    const policy = await run.one("aws:appautoscaling/policy:Policy", "sscale");
    expect(policy.plain.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType).toBe("ECSServiceAverageCPUUtilization");
});

test("rejects a negative count", () => {
    expect(() => new ContainerService("sbad1", args({ minCount: -1 }))).toThrow("ContainerService: `minCount` must be a whole number >= 0, got -1.");
});

test("rejects min above max", () => {
    expect(() => new ContainerService("sbad2", args({ minCount: 5, desiredCount: 5 }))).toThrow(
        "ContainerService: `minCount` (5) must not be above `maxCount` (4).",
    );
});

test("rejects a desired count outside min and max", () => {
    expect(() => new ContainerService("sbad3", args({ desiredCount: 9 }))).toThrow(
        "ContainerService: `desiredCount` (9) must lie between `minCount` (2) and `maxCount` (4).",
    );
});

test("rejects a port outside 1..65535", () => {
    expect(() => new ContainerService("sbad4", args({ port: 0 }))).toThrow("ContainerService: `port` must be from 1 to 65535, got 0.");
});

test("rejects CPU or memory below what ECS accepts", () => {
    expect(() => new ContainerService("sbad5", args({ cpu: 64 }))).toThrow(
        "ContainerService: `cpu` must be whole millicores >= 125 (ECS takes 128 units at least), got 64.",
    );
    expect(() => new ContainerService("sbad6", args({ memory: 64 }))).toThrow("ContainerService: `memory` must be whole MiB >= 128, got 64.");
});

test("rejects a task larger than one instance of the cluster", () => {
    expect(() => new ContainerService("sbad7", args({ memory: 8192 }))).toThrow(
        "ContainerService: `cpu` 512 and `memory` 8192 MiB must fit one m6i.large (at most 2000 millicores and 7680 MiB).",
    );
});

test("the image may be an output", async () => {
    new ContainerService("simg", args({ image: pulumi.output("registry.example.com/app@sha256:" + "c".repeat(64)) }));
    const task = await run.one("aws:ecs/taskDefinition:TaskDefinition", "simg");
    expect(JSON.parse(task.plain.containerDefinitions)[0].image).toContain("c".repeat(64));
});

test("a campaign raises the scalable target's minimum with at() actions read in the campaign's time zone", async () => {
    const blackFriday = { name: "black-friday", start: "2026-11-27T00:00", end: "2026-11-30T23:59", timeZone: "Europe/Amsterdam", minCapacity: 4 };
    new ContainerService("ssched", args({ schedules: [blackFriday] }));
    const actions = (await run.ofType("aws:appautoscaling/scheduledAction:ScheduledAction", "ssched")).map((a) => a.plain);
    actions.sort((a, b) => a.schedule.localeCompare(b.schedule));
    expect(actions.map((a) => [a.schedule, a.timezone, a.scalableTargetAction])).toEqual([
        ["at(2026-11-27T00:00:00)", "Europe/Amsterdam", { minCapacity: 4, maxCapacity: 4 }],
        ["at(2026-11-30T23:59:00)", "Europe/Amsterdam", { minCapacity: 2, maxCapacity: 4 }],
    ]);
});

describe("a campaign's raised minimum belongs to its scheduled action", () => {
    const blackFriday = { name: "black-friday", start: "2026-11-27T00:00", end: "2026-11-30T23:59", timeZone: "Europe/Amsterdam", minCapacity: 4 };
    const target = async (name: string, now: string) => {
        new ContainerService(name, args({ schedules: [blackFriday], now: new Date(now) }));
        return run.one("aws:appautoscaling/target:Target", name);
    };

    test("inside the window a refresh that reads the raised minimum reports no change; the service's count stays the autoscaler's", async () => {
        const scaling = await target("scamp-in", "2026-11-28T12:00:00Z");
        expect(scaling.plain.minCapacity).toBe(2);
        expect(changesAfterRefresh(scaling, { ...scaling.plain, minCapacity: 4 })).toEqual([]);
        const service = await run.one("aws:ecs/service:Service", "scamp-in");
        expect(changesAfterRefresh(service, { ...service.plain, desiredCount: 4 })).toEqual([]);
    });

    test("outside every window a minimum other than the configured one is drift", async () => {
        const scaling = await target("scamp-out", "2026-12-07T12:00:00Z");
        expect(scaling.options.ignoreChanges).toEqual([]);
        expect(changesAfterRefresh(scaling, { ...scaling.plain, minCapacity: 4 })).toEqual(["minCapacity"]);
    });
});

test("CPU in millicores becomes ECS units (1024 per vCPU) in the task and its container", async () => {
    new ContainerService("scpu", args({ cpu: 1000 }));
    const task = await run.one("aws:ecs/taskDefinition:TaskDefinition", "scpu");
    expect(task.plain.cpu).toBe("1024");
    expect(JSON.parse(task.plain.containerDefinitions)[0].cpu).toBe(1024);
});
