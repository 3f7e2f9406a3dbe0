/**
 * Providers and names in this project's stacks, as the engine and the providers
 * make them: explicit providers kept, names that providers assign in Check seen by
 * the program, and every Kubernetes object labelled and valid.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { listStacks, loadProject, planStacks, type Plan } from "pulumi-offline-plan";
import { root } from "../helpers/cli";

// This project's stacks, planned once for the tests that read them.
let stacks: Plan[] = [];
beforeAll(async () => {
    stacks = (await planStacks({ cwd: root, stacks: listStacks(loadProject(root)) }, undefined)).map((run) => run.plan);
}, 300_000);
const stack = (name: string) => stacks.find((p) => p.stack === name)!;

describe("default providers", () => {
    test("explicit providers stay as the program declares them", () => {
        const plan = stack("transactional-dev");
        const explicit = plan.resources.filter((r) => r.type === "pulumi:providers:aws" && !r.name.startsWith("default_"));
        expect(explicit.length).toBeGreaterThan(0);
        const users = plan.resources.filter((r) => r.provider?.startsWith(`${explicit[0].urn}::`));
        expect(users.length).toBeGreaterThan(0);
    });
});

describe("auto-naming", () => {
    test("the program sees the assigned name: the partner HPA targets its Deployment, the pod mounts its claim", () => {
        const plan = stack("partner-dev");
        const deployment = plan.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        const hpa = plan.resources.find((r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")!;
        const pvc = plan.resources.find((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim")!;
        const deploymentName = (deployment.inputs.metadata as { name: string }).name;
        expect((hpa.inputs.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name).toBe(deploymentName);
        const volumes = (deployment.inputs.spec as any).template.spec.volumes as { persistentVolumeClaim?: { claimName: string } }[];
        expect(volumes.map((v) => v.persistentVolumeClaim?.claimName).filter(Boolean)).toContain((pvc.inputs.metadata as { name: string }).name);
    });
});

test("every Kubernetes object of every stack, custom resources included, carries the cost labels", () => {
    const objects = stacks.flatMap((plan) =>
        plan.resources
            .filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm") && !r.type.endsWith("List"))
            .map((r) => ({ plan, r })),
    );
    const kinds = new Set(objects.map(({ r }) => r.type));
    // A custom resource's kind: a group of its own (velero.io), not one of Kubernetes' (k8s.io, or none).
    expect([...kinds].some((kind) => /^kubernetes:[a-z0-9-]+(\.[a-z0-9-]+)+\/[^:]+:\w+$/.test(kind) && !kind.includes("k8s.io"))).toBe(true);
    const unlabelled = objects
        .filter(({ r }) => {
            const labels = (r.inputs.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {};
            return ["workload", "environment", "cost-center", "managed-by"].some((key) => !labels[key]);
        })
        .map(({ plan, r }) => `${plan.stack}: ${r.type} ${r.name}`);
    expect(unlabelled).toEqual([]);
});

test("every Kubernetes object of every stack is valid against the Kubernetes schemas, unknowns and secrets set aside", () => {
    expect(stacks.map((p) => p.stack)).toEqual(listStacks(loadProject(root)));
    const objects = stacks.flatMap((plan) =>
        plan.resources
            .filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm") && !r.type.startsWith("pulumi:"))
            .map((r) => ({ urn: r.urn, object: r.inputs })),
    );
    expect(objects.length).toBeGreaterThan(20);
    const out = execFileSync(process.execPath, [path.join(root, "test/helpers/validate-kubernetes.mjs")], { input: JSON.stringify(objects), cwd: root });
    const { invalid, withoutSchema } = JSON.parse(String(out)) as { invalid: unknown[]; withoutSchema: string[] };
    expect(invalid).toEqual([]);
    // Only custom resources go unchecked: their schema is their CRD, not Kubernetes'.
    for (const kind of withoutSchema) {
        expect(kind).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+\/\S+ \S+$/);
        expect(kind).not.toMatch(/k8s\.io\//);
    }
}, 60_000);
