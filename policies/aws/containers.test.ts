import { unknown, usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack({ ignorePreviewNotices: true });
const service = "aws:ecs/service:Service";
const task = "aws:ecs/taskDefinition:TaskDefinition";

const goodService = {
    cluster: "c",
    taskDefinition: "t",
    desiredCount: 3,
    deploymentCircuitBreaker: { enable: true, rollback: true },
    deploymentMinimumHealthyPercent: 100,
    deploymentMaximumPercent: 200,
};

describe("ECS services", () => {
    test("circuit breaker with rollback, 100 % min healthy and 200 % max pass; so do the ECS defaults for the percentages", async () => {
        const names = ["aws-ecs-service-deployment-circuit-breaker", "aws-ecs-service-minimum-healthy-percent", "aws-ecs-service-maximum-percent"];
        for (const inputs of [goodService, { ...goodService, deploymentMinimumHealthyPercent: undefined, deploymentMaximumPercent: undefined }]) {
            const hit = await pack.policiesHit([{ type: service, inputs }]);
            for (const p of names) expect(hit).not.toContain(p);
        }
    });
    test("no circuit breaker, or one without rollback, is blocked", async () => {
        expect(await pack.policiesHit([{ type: service, inputs: { ...goodService, deploymentCircuitBreaker: undefined } }])).toContain(
            "aws-ecs-service-deployment-circuit-breaker",
        );
        expect(await pack.policiesHit([{ type: service, inputs: { ...goodService, deploymentCircuitBreaker: { enable: true, rollback: false } } }])).toContain(
            "aws-ecs-service-deployment-circuit-breaker",
        );
    });
    test("min healthy below 100 (or 0) and max percent 100 are blocked; dev may lower the floor but never to 0", async () => {
        expect(await pack.policiesHit([{ type: service, inputs: { ...goodService, deploymentMinimumHealthyPercent: 50 } }])).toContain(
            "aws-ecs-service-minimum-healthy-percent",
        );
        expect(await pack.policiesHit([{ type: service, inputs: { ...goodService, deploymentMaximumPercent: 100 } }])).toContain(
            "aws-ecs-service-maximum-percent",
        );
        const dev = { policyConfig: { "aws-ecs-service-minimum-healthy-percent": { minimumHealthyPercent: 50 } } };
        expect(await pack.policiesHit([{ type: service, inputs: { ...goodService, deploymentMinimumHealthyPercent: 50 } }], dev)).not.toContain(
            "aws-ecs-service-minimum-healthy-percent",
        );
        expect(await pack.policiesHit([{ type: service, inputs: { ...goodService, deploymentMinimumHealthyPercent: 0 } }], dev)).toContain(
            "aws-ecs-service-minimum-healthy-percent",
        );
    });
});

const container = (extra: Record<string, unknown>) => ({
    name: "app",
    image: "repo/app:1.0",
    essential: true,
    logConfiguration: { logDriver: "awslogs", options: {} },
    ...extra,
});

describe("ECS task definitions (container definitions parsed from JSON)", () => {
    test("unprivileged containers with logging pass", async () => {
        const hit = await pack.policiesHit([{ type: task, inputs: { family: "f", containerDefinitions: JSON.stringify([container({})]) } }]);
        expect(hit).not.toContain("aws-ecs-task-no-privileged-containers");
        expect(hit).not.toContain("aws-ecs-task-logging");
    });
    test("a privileged sidecar or a container without logs is blocked", async () => {
        const defs = JSON.stringify([container({}), container({ name: "sidecar", privileged: true, logConfiguration: undefined })]);
        expect(await pack.policiesHit([{ type: task, inputs: { family: "f", containerDefinitions: defs } }])).toEqual(
            expect.arrayContaining(["aws-ecs-task-no-privileged-containers", "aws-ecs-task-logging"]),
        );
    });
    test("definitions that are not JSON are reported; definitions not known yet are not", async () => {
        expect(await pack.policiesHit([{ type: task, inputs: { family: "f", containerDefinitions: "[{not json" } }])).toContain("aws-ecs-task-logging");
        expect(await pack.policiesHit([{ type: task, inputs: { family: "f", containerDefinitions: unknown } }])).not.toContain("aws-ecs-task-logging");
    });
});

describe("aws-ecs-cluster-container-insights", () => {
    test("enabled or enhanced passes; left out or disabled is blocked", async () => {
        const cluster = "aws:ecs/cluster:Cluster";
        expect(await pack.policiesHit([{ type: cluster, inputs: { settings: [{ name: "containerInsights", value: "enhanced" }] } }])).not.toContain(
            "aws-ecs-cluster-container-insights",
        );
        expect(await pack.policiesHit([{ type: cluster, inputs: {} }])).toContain("aws-ecs-cluster-container-insights");
        expect(await pack.policiesHit([{ type: cluster, inputs: { settings: [{ name: "containerInsights", value: "disabled" }] } }])).toContain(
            "aws-ecs-cluster-container-insights",
        );
    });
});
