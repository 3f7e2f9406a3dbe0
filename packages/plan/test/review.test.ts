/** The pure review: targets as the CLI selects them, the cost change computed once, changes against a base. */
import type { Plan, PlanResource } from "../src/model";
import { hasChanges, selectTargets } from "../src/review";
import { reviewPlan } from "./helpers/facts";

const head = "urn:pulumi:dev::p";
function resource(type: string, name: string, extra: Partial<PlanResource> = {}): PlanResource {
    return { urn: `${head}::${type}::${name}`, type, name, custom: true, protect: false, aliases: [], inputs: {}, ...extra };
}
const provider = resource("pulumi:providers:aws", "eu");
const vpc = resource("aws:ec2/vpc:Vpc", "net", { provider: `${provider.urn}::id` });
const subnet = resource("aws:ec2/subnet:Subnet", "a", { dependsOn: [vpc.urn], inputs: { cidrBlock: "10.0.0.0/24" } });
const other = resource("aws:s3/bucket:Bucket", "logs");
const plan: Plan = {
    project: "p",
    stack: "dev",
    stackFile: "Pulumi.dev.yaml",
    resources: [provider, vpc, subnet, other],
    violations: [
        { policyPack: "k", policyPackVersion: "1", policy: "x", description: "", enforcementLevel: "advisory", severity: "low", urn: other.urn, message: "m" },
        { policyPack: "k", policyPackVersion: "1", policy: "s", description: "", enforcementLevel: "advisory", severity: "low", urn: "", message: "stack" },
    ],
    remediations: [],
    outputs: {},
    policyPacks: [],
    stackReferences: [],
};

test("--target keeps the targets; with dependents, what uses them as provider or dependency, transitively; stack-wide findings stay", () => {
    expect(selectTargets(plan, [provider.urn]).resources.map((r) => r.name)).toEqual(["eu"]);
    const withDependents = selectTargets(plan, [provider.urn], true);
    expect(withDependents.resources.map((r) => r.name)).toEqual(["eu", "net", "a"]);
    expect(withDependents.violations.map((v) => v.policy)).toEqual(["s"]);
});

test("a review without a base has a cost and no diff; against itself, no changes and no cost change", () => {
    const alone = reviewPlan(plan);
    expect(alone.cost).toBeDefined();
    expect(alone.diff).toBeUndefined();
    const again = reviewPlan(plan, { basePlans: new Map([["dev", { ...plan, cost: alone.cost }]]), baseLabel: "base.json" });
    expect(hasChanges(again)).toBe(false);
    expect(again.costChange).toEqual({ baseMonthlyUsd: alone.cost!.monthlyUsd, monthlyUsd: alone.cost!.monthlyUsd, deltaUsd: 0 });
    expect(again.diff!.base).toBe("base.json (dev)");
});

test("a changed input is a change; a stack missing from the base is a new stack", () => {
    const changed = { ...plan, resources: plan.resources.map((r) => (r === subnet ? { ...r, inputs: { cidrBlock: "10.0.1.0/24" } } : r)) };
    const reviewed = reviewPlan(changed, { basePlans: new Map([["dev", plan]]) });
    expect(hasChanges(reviewed)).toBe(true);
    expect(reviewed.diff!.changed.map((c) => c.paths)).toEqual([["cidrBlock"]]);
    const fresh = reviewPlan(plan, { basePlans: new Map(), baseLabel: "base.json" });
    expect(fresh.diff!.base).toBe("base.json (no plan of dev: a new stack)");
    expect(hasChanges(fresh)).toBe(true);
});
