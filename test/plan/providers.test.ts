/**
 * Providers and names as the engine and the providers make them: default providers
 * from the stack's configuration, every resource naming its provider, a pack that
 * reads `args.provider.props`, and names that providers assign in Check.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { planStack, planStacks, type Plan } from "../../tools/plan/plan";
import { autoName } from "../../tools/plan/runtime/auto-naming";
import { deriveAutoNamed, autoNamedFile } from "../../tools/plan/runtime/derive-auto-named";
import { unknownValue } from "../../tools/plan/runtime/capture";
import { listStacks, loadProject } from "../../tools/plan/project";
import { cli, fixture, root } from "../helpers/cli";

// This project's stacks, planned once for the tests that read them.
let stacks: Plan[] = [];
beforeAll(async () => {
    stacks = (await planStacks({ cwd: root, stacks: listStacks(loadProject(root)) }, undefined)).map((run) => run.plan);
}, 300_000);
const stack = (name: string) => stacks.find((p) => p.stack === name)!;

const awsVersion = JSON.parse(fs.readFileSync(require.resolve("@pulumi/aws/package.json"), "utf8")).version as string;
const defaultAws = `default_${awsVersion.replace(/\./g, "_")}`;

describe("default providers", () => {
    test("a program on default providers gets pulumi:providers:aws::default_<version>, with the stack's aws:* config as inputs", async () => {
        const { plan } = await planStack({ cwd: fixture("esm-program"), stack: "frankfurt" }, undefined);
        const provider = plan.resources.find((r) => r.type === "pulumi:providers:aws")!;
        expect(provider.urn).toBe(`urn:pulumi:frankfurt::esm-program::pulumi:providers:aws::${defaultAws}`);
        expect(provider.inputs).toEqual({ region: "eu-central-1", version: awsVersion });
        const bucket = plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        // The id of a provider not created yet is unknown in a preview, as the engine writes it.
        expect(bucket.provider).toBe(`${provider.urn}::${unknownValue}`);
    });

    test("one default provider per package, and none for component resources", async () => {
        const { plan } = await planStack({ cwd: fixture("efs-program"), stack: "enc" }, undefined);
        expect(plan.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => r.name)).toEqual([defaultAws]);
        for (const r of plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"))) expect(r.provider).toMatch(/::pulumi:providers:aws::/);
        expect(plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.provider).toBeUndefined();
    });

    test("a pack written elsewhere reads args.provider.props of a default provider, as under the CLI", async () => {
        const { code, stdout } = await cli(["--cwd", fixture("esm-program"), "--stack", "frankfurt", "--policy-pack", fixture("provider-pack")]);
        expect(code).toBe(0);
        expect(stdout).toContain(`logs-archive-bucket: urn:pulumi:frankfurt::esm-program::pulumi:providers:aws::${defaultAws} region=eu-central-1 version=${awsVersion}`);
    });

    test("explicit providers stay as the program declares them", () => {
        const plan = stack("transactional-dev");
        const explicit = plan.resources.filter((r) => r.type === "pulumi:providers:aws" && !r.name.startsWith("default_"));
        expect(explicit.length).toBeGreaterThan(0);
        const users = plan.resources.filter((r) => r.provider?.startsWith(`${explicit[0].urn}::`));
        expect(users.length).toBeGreaterThan(0);
    });
});

describe("auto-naming", () => {
    const urn = "urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::web";

    test("a Kubernetes object without a name gets <logical name>-<8 of a-z0-9>, stable for its URN", () => {
        const named = autoName("kubernetes:apps/v1:Deployment", urn, { metadata: { namespace: "n" } });
        const name = (named.metadata as { name: string }).name;
        expect(name).toMatch(/^web-[a-z0-9]{8}$/);
        expect(autoName("kubernetes:apps/v1:Deployment", urn, {})).toEqual(expect.objectContaining({ metadata: expect.objectContaining({ name }) }));
        expect((named.metadata as { annotations: Record<string, string> }).annotations["pulumi.com/autonamed"]).toBe("true");
        expect((autoName("kubernetes:apps/v1:Deployment", `${urn}2`, {}).metadata as { name: string }).name).not.toBe(name);
    });

    test("a name the program gives, a generateName, or metadata not known yet is left alone", () => {
        expect(autoName("kubernetes:apps/v1:Deployment", urn, { metadata: { name: "mine" } })).toEqual({ metadata: { name: "mine" } });
        expect(autoName("kubernetes:apps/v1:Deployment", urn, { metadata: { generateName: "w-" } })).toEqual({ metadata: { generateName: "w-" } });
        expect(autoName("kubernetes:apps/v1:Deployment", urn, { metadata: unknownValue })).toEqual({ metadata: unknownValue });
    });

    test("an AWS type the provider names (name/namePrefix) gets <logical name>-<7 hex>; other types keep their inputs", () => {
        const q = autoName("aws:sqs/queue:Queue", "urn:pulumi:dev::p::aws:sqs/queue:Queue::jobs", {});
        expect(q.name).toMatch(/^jobs-[0-9a-f]{7}$/);
        expect(autoName("aws:sqs/queue:Queue", "urn:pulumi:dev::p::aws:sqs/queue:Queue::jobs", { namePrefix: "j-" })).toEqual({ namePrefix: "j-" });
        expect(autoName("aws:s3/bucket:Bucket", "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b", {})).toEqual({});
    });

    test("the list of auto-named AWS types is what the installed SDK declares (rerun derive-auto-named.ts when stale)", () => {
        expect(JSON.parse(fs.readFileSync(autoNamedFile, "utf8"))).toEqual(deriveAutoNamed());
    });

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
        plan.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm") && !r.type.endsWith("List")).map((r) => ({ plan, r })),
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
