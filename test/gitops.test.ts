/**
 * The gitops project (stacks/gitops), planned offline like any stack: one Pulumi
 * Kubernetes Operator Stack object per stack file of the multicloud project.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { planStack } from "../tools/plan/plan";

const root = path.resolve(__dirname, "..");
const stackFiles = fs
    .readdirSync(path.join(root, "stacks"))
    .flatMap((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1] ?? [])
    .sort();

let objects: { name: string; provider?: string; inputs: any }[];
beforeAll(async () => {
    const { plan } = await planStack({ cwd: path.join(root, "stacks/gitops"), stack: "gitops" }, undefined);
    objects = plan.resources.filter((r) => r.type === "kubernetes:pulumi.com/v1:Stack");
}, 120_000);

test("one operator Stack object per stack file", () => {
    expect(objects.map((o) => o.inputs.metadata.name).sort()).toEqual(stackFiles);
});

test("each follows main of the repository, with the policy pack and the stack's ESC environment", () => {
    for (const o of objects) {
        expect(o.inputs.apiVersion).toBe("pulumi.com/v1");
        expect(o.inputs.spec.branch).toBe("main");
        expect(o.inputs.spec.stack).toMatch(new RegExp(`/multicloud/${o.name}$`));
        expect(o.inputs.metadata.annotations["multicloud.pulumi.com/policy-pack"]).toBe("multicloud");
        expect(o.inputs.metadata.annotations["multicloud.pulumi.com/esc-environment"]).toBe(`multicloud/${o.inputs.metadata.labels.environment}`);
    }
});

test("on the explicit private-cloud provider", () => {
    for (const o of objects) expect(o.provider).toMatch(/\$pulumi:providers:kubernetes::private-cloud::/);
});

test("the partner stack waits for the backend of its environment", () => {
    const partner = objects.find((o) => o.name === "partner-prod")!;
    expect(partner.inputs.spec.prerequisites).toEqual([{ name: "backend-prod" }]);
});
