/**
 * The gitops project (stacks/gitops), planned offline like any stack: the
 * private cloud's stacks applied from inside it by Pulumi Kubernetes Operator
 * v2 `Stack` objects, one per stack file placed on the private cloud.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { planStack } from "../tools/plan/plan";

const root = path.resolve(__dirname, "..");
const privateStacks = fs
    .readdirSync(path.join(root, "stacks"))
    .flatMap((f) => {
        const name = /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1];
        if (!name) return [];
        const clouds: unknown = parse(fs.readFileSync(path.join(root, "stacks", f), "utf8"))?.config?.["multicloud:clouds"];
        return Array.isArray(clouds) && clouds.includes("onprem") ? [name] : [];
    })
    .sort();
const sdkVersion: string = JSON.parse(fs.readFileSync(path.join(root, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;

let resources: { name: string; type: string; provider?: string; inputs: any }[];
let objects: typeof resources;
beforeAll(async () => {
    const { plan } = await planStack({ cwd: path.join(root, "stacks/gitops"), stack: "gitops" }, undefined);
    resources = plan.resources;
    objects = plan.resources.filter((r) => r.type === "kubernetes:pulumi.com/v1:Stack");
}, 120_000);

test("one Operator Stack object per stack on the private cloud, and none for the stacks the deploy workflow applies", () => {
    expect(privateStacks.length).toBeGreaterThan(0);
    expect(objects.map((o) => o.inputs.metadata.name).sort()).toEqual(privateStacks);
});

test("each follows main, opens its ESC environment through spec.environment, and runs as the pulumi ServiceAccount", () => {
    for (const o of objects) {
        expect(o.inputs.apiVersion).toBe("pulumi.com/v1");
        expect(o.inputs.spec.branch).toBe("main");
        expect(o.inputs.spec.stack).toMatch(new RegExp(`/multicloud/${o.name}$`));
        const environment = o.inputs.metadata.labels["multicloud.marketplace.internal/environment"];
        expect(o.inputs.spec.environment).toEqual([`multicloud/${environment}`]);
        expect(o.inputs.spec.serviceAccountName).toBe("pulumi");
    }
});

test("the workspace image is pinned to the CLI release of the SDK in use", () => {
    for (const o of objects) expect(o.inputs.spec.workspaceTemplate.spec.image).toBe(`pulumi/pulumi:${sdkVersion}-nonroot`);
});

test("drift on the private cloud: each stack is refreshed and re-applied on a resync period even when main has not moved", () => {
    for (const o of objects) {
        expect(o.inputs.spec.refresh).toBe(true);
        expect(o.inputs.spec.continueResyncOnCommitMatch).toBe(true);
        expect(o.inputs.spec.resyncFrequencySeconds).toBe(600);
    }
});

test("labels and annotations use the project's own domain; the policy pack enforced by the policy group is recorded", () => {
    for (const o of objects) {
        const keys = [...Object.keys(o.inputs.metadata.labels), ...Object.keys(o.inputs.metadata.annotations)].filter((k) => k.includes("/"));
        for (const key of keys) expect(key).toMatch(/^(app\.kubernetes\.io|multicloud\.marketplace\.internal)\//);
        expect(o.inputs.metadata.annotations["multicloud.marketplace.internal/policy-pack"]).toBe("marketplace/multicloud");
    }
});

test("the pulumi ServiceAccount exists and is bound to system:auth-delegator", () => {
    const account = resources.find((r) => r.type === "kubernetes:core/v1:ServiceAccount")!;
    expect(account.inputs.metadata).toEqual({ name: "pulumi", namespace: "pulumi-operator" });
    const binding = resources.find((r) => r.type === "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding")!;
    expect(binding.inputs.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" });
    expect(binding.inputs.subjects).toEqual([{ kind: "ServiceAccount", name: "pulumi", namespace: "pulumi-operator" }]);
});

test("on the explicit private-cloud provider", () => {
    for (const r of resources.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers"))) {
        expect(r.provider).toMatch(/\$pulumi:providers:kubernetes::private-cloud::/);
    }
});

test("prerequisites name only other Operator stacks: the backend the partner reads is applied by the deploy workflow", () => {
    const partner = objects.find((o) => o.name === "partner-prod")!;
    expect(partner.inputs.spec.prerequisites).toEqual([]);
});
