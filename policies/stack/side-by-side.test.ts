import { usePolicyPack, type ResourceSpec } from "../../test/helpers/policy";
import devConfig from "../config/dev.json";
import type { PolicyPackConfig } from "pulumi-offline-plan";

const pack = usePolicyPack();
/** The dev stacks' policy configuration; a JSON import types its enforcement levels as plain strings. */
const dev = devConfig as PolicyPackConfig;
const p = "rollout-side-by-side";

const messagesOf = async (resources: ResourceSpec[], policyConfig: PolicyPackConfig = {}) =>
    (await pack.judge(resources, { policyConfig })).filter((v) => v.policy === p).map((v) => v.message.slice(v.message.indexOf("\n") + 1));
const r = (type: string, inputs: Record<string, unknown>): ResourceSpec[] => [{ type, inputs }];

const zoneSpread = { topologyKey: "topology.kubernetes.io/zone", maxSkew: 1, whenUnsatisfiable: "DoNotSchedule", minDomains: 2 };
const workload = (kind: "Deployment" | "StatefulSet", replicas: number | undefined, constraints: unknown[] = [zoneSpread]) =>
    r(`kubernetes:apps/v1:${kind}`, {
        metadata: { name: "app" },
        spec: { ...(replicas === undefined ? {} : { replicas }), template: { spec: { topologySpreadConstraints: constraints, containers: [] } } },
    });

const side = "old and new versions never run side by side in a rollout or rollback.";

describe.each([
    {
        group: "AWS autoscaling group",
        good: r("aws:autoscaling/group:Group", { minSize: 2, maxSize: 4, vpcZoneIdentifiers: ["subnet-a", "subnet-b"] }),
        bad: r("aws:autoscaling/group:Group", { minSize: 1, maxSize: 4, vpcZoneIdentifiers: ["subnet-a"] }),
        messages: [
            `The autoscaling group keeps as few as 1 (\`minSize\`): with fewer than 2, ${side}`,
            "The autoscaling group runs in one availability zone: give it a subnet in each of two zones or more.",
        ],
    },
    {
        group: "ECS service",
        good: r("aws:ecs/service:Service", { desiredCount: 2, networkConfiguration: { subnets: ["s-a", "s-b"] } }),
        bad: r("aws:ecs/service:Service", { networkConfiguration: { subnets: ["s-a"] } }),
        messages: [
            `The ECS service keeps as few as 0 (\`desiredCount\`): with fewer than 2, ${side}`,
            "The ECS service's tasks run in one subnet, so one availability zone: give it a subnet in each of two zones or more.",
        ],
    },
    {
        group: "ECS service's scaling target",
        good: r("aws:appautoscaling/target:Target", { scalableDimension: "ecs:service:DesiredCount", minCapacity: 2, maxCapacity: 4 }),
        bad: r("aws:appautoscaling/target:Target", { scalableDimension: "ecs:service:DesiredCount", minCapacity: 1, maxCapacity: 4 }),
        messages: [`The ECS service's scaling target keeps as few as 1 (\`minCapacity\`): with fewer than 2, ${side}`],
    },
    {
        group: "GCP regional instance group",
        good: r("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", {
            targetSize: 2,
            distributionPolicyZones: ["europe-west1-b", "europe-west1-c"],
        }),
        bad: r("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", { targetSize: 1, distributionPolicyZones: ["europe-west1-b"] }),
        messages: [
            `The instance group keeps as few as 1 (\`targetSize\`): with fewer than 2, ${side}`,
            "The instance group is distributed over one zone: list two zones or more in `distributionPolicyZones`.",
        ],
    },
    {
        group: "GCP zonal instance group",
        good: r("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", { targetSize: 3 }),
        bad: r("gcp:compute/instanceGroupManager:InstanceGroupManager", { targetSize: 3, zone: "europe-west1-b" }),
        messages: ["A zonal instance group runs in one zone: use a regional instance group (RegionInstanceGroupManager) over two zones or more."],
    },
    {
        group: "GCP autoscaler",
        good: r("gcp:compute/regionAutoscaler:RegionAutoscaler", { target: "mig", autoscalingPolicy: { minReplicas: 2, maxReplicas: 4 } }),
        bad: r("gcp:compute/regionAutoscaler:RegionAutoscaler", { target: "mig", autoscalingPolicy: { maxReplicas: 4 } }),
        messages: [`The autoscaler sets no \`autoscalingPolicy.minReplicas\`: with fewer than 2, ${side}`],
    },
    {
        group: "ESS scaling group",
        good: r("alicloud:ess/scalingGroup:ScalingGroup", { minSize: 2, maxSize: 4, vswitchIds: ["vsw-a", "vsw-b"] }),
        bad: r("alicloud:ess/scalingGroup:ScalingGroup", { minSize: 1, maxSize: 4, vswitchIds: ["vsw-a"] }),
        messages: [
            `The scaling group keeps as few as 1 (\`minSize\`): with fewer than 2, ${side}`,
            "The scaling group runs in one vSwitch, so one zone: give it a vSwitch in each of two zones or more (`vswitchIds`).",
        ],
    },
    {
        group: "Kubernetes Deployment",
        good: workload("Deployment", 2),
        // Left out, replicas is 1; a spread that schedules anyway does not hold the pods to two zones.
        bad: workload("Deployment", undefined, [{ ...zoneSpread, whenUnsatisfiable: "ScheduleAnyway" }]),
        messages: [
            `The Deployment keeps as few as 1 (\`spec.replicas\`): with fewer than 2, ${side}`,
            "The Deployment's pods are not held to two zones: add a topology spread on topology.kubernetes.io/zone with `whenUnsatisfiable: DoNotSchedule` and `minDomains` of 2 or more.",
        ],
    },
    {
        group: "Kubernetes StatefulSet",
        good: workload("StatefulSet", 3),
        bad: workload("StatefulSet", 3, []),
        messages: [
            "The StatefulSet's pods are not held to two zones: add a topology spread on topology.kubernetes.io/zone with `whenUnsatisfiable: DoNotSchedule` and `minDomains` of 2 or more.",
        ],
    },
    {
        group: "HorizontalPodAutoscaler",
        good: r("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", { spec: { minReplicas: 2, maxReplicas: 4 } }),
        bad: r("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", { spec: { maxReplicas: 4 } }),
        messages: [`The HorizontalPodAutoscaler keeps as few as 1 (\`spec.minReplicas\`): with fewer than 2, ${side}`],
    },
])("$group", ({ good, bad, messages }) => {
    test("two or more across two zones or more passes", async () => {
        expect(await messagesOf(good)).toEqual([]);
    });

    test("fewer, or one zone, is blocked with the reason, in dev as in prod", async () => {
        expect(await messagesOf(bad)).toEqual(messages);
        const inDev = (await pack.judge(bad, { policyConfig: dev })).filter((v) => v.policy === p);
        expect(inDev.map((v) => v.enforcementLevel)).toEqual(messages.map(() => "mandatory"));
    });
});

test("a pod anti-affinity required across zones holds the pods to two zones as well", async () => {
    const affinity = {
        podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: { app: "a" } } }],
        },
    };
    const held = r("kubernetes:apps/v1:Deployment", { metadata: { name: "app" }, spec: { replicas: 2, template: { spec: { affinity, containers: [] } } } });
    expect(await messagesOf(held)).toEqual([]);
});

test("a scaling target of something other than an ECS service, and a daemon service, are not judged", async () => {
    expect(
        await messagesOf(r("aws:appautoscaling/target:Target", { scalableDimension: "dynamodb:table:ReadCapacityUnits", minCapacity: 1, maxCapacity: 4 })),
    ).toEqual([]);
    expect(await messagesOf(r("aws:ecs/service:Service", { schedulingStrategy: "DAEMON" }))).toEqual([]);
});

describe("policies/config/dev.json relaxes nothing about how a rollout proceeds", () => {
    const rollout = [
        p,
        "k8s-no-recreate-strategy",
        "k8s-rolling-update-keeps-capacity",
        "aws-autoscaling-group-instance-refresh",
        "aws-autoscaling-group-multi-az",
        "aws-ecs-service-deployment-circuit-breaker",
        "aws-ecs-service-minimum-healthy-percent",
        "aws-ecs-service-maximum-percent",
    ];

    test("it names none of the rollout policies", () => {
        expect(Object.keys(dev).filter((name) => rollout.includes(name))).toEqual([]);
    });

    test("under it, a rollout that would lose capacity is blocked as in prod", async () => {
        const slow = [
            ...r("aws:autoscaling/group:Group", {
                minSize: 2,
                maxSize: 4,
                vpcZoneIdentifiers: ["a", "b"],
                instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 50 } },
            }),
            ...r("aws:ecs/service:Service", {
                desiredCount: 2,
                deploymentCircuitBreaker: { enable: true, rollback: true },
                deploymentMinimumHealthyPercent: 50,
                deploymentMaximumPercent: 200,
            }),
            ...workload("Deployment", 2),
        ];
        const blocked = (await pack.judge(slow, { policyConfig: dev }))
            .filter((v) => rollout.includes(v.policy))
            .map((v) => `${v.policy} ${v.enforcementLevel}`);
        expect(blocked.sort()).toEqual([
            "aws-autoscaling-group-instance-refresh mandatory",
            "aws-ecs-service-minimum-healthy-percent mandatory",
            "k8s-rolling-update-keeps-capacity mandatory",
        ]);
    });
});
