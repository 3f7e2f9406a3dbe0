/**
 * Every stack of this project, planned as CI plans it (all together, so stack
 * references get planned outputs): no mandatory violation, the four cost keys on
 * every taggable resource, no policy that cannot run at preview, and a monthly
 * cost estimate.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { PlanRun } from "pulumi-offline-plan";
import { listStacks, loadProject } from "pulumi-offline-plan";
import { stackConfigFor } from "pulumi-offline-plan";
import { estimateCost } from "../plan.config";
import { placementDiagram } from "../plan.config";
import { summaryByCloud } from "../plan.config";
import { readTags, tagPlacement } from "../policies/catalog/tags";
import { cloudsWithoutBackup, unprotectedStateful } from "./helpers/prod-safety";
import { stackPlans } from "./helpers/stack-plans";

const root = path.resolve(__dirname, "..");
const stacks = listStacks(loadProject(root));
let runs: PlanRun[] = [];

beforeAll(async () => {
    const plans = await stackPlans();
    runs = stacks.map((stack) => plans.get(stack)!);
}, 240_000);

test("the project has the eight stacks, one per workload and environment", () => {
    expect(stacks).toEqual(["analytics", "backend", "partner", "transactional"].flatMap((w) => [`${w}-dev`, `${w}-prod`]));
});

test.each(stacks.map((s, i) => [s, i] as const))("%s plans with no mandatory violation", (_stack, i) => {
    const mandatory = runs[i].plan.violations.filter((v) => v.enforcementLevel === "mandatory");
    expect(mandatory.map((v) => `${v.policy}: ${v.urn.split("::").pop()}`)).toEqual([]);
});

test.each(stacks.map((s, i) => [s, i] as const))("%s leaves no policy blind at preview: every value a policy reads is known", (_stack, i) => {
    const blind = runs[i].plan.violations.filter((v) => v.message.includes("can't run policy"));
    expect(blind.map((v) => `${v.policy}: ${v.urn.split("::").pop()}`)).toEqual([]);
});

test.each(stacks.map((s, i) => [s, i] as const).filter(([s]) => s.endsWith("-prod")))(
    "%s keeps every stateful resource protected and its shared storage backed up",
    (stack, i) => {
        const { plan } = runs[i];
        expect(unprotectedStateful(plan)).toEqual([]);
        const clouds = JSON.parse(stackConfigFor(loadProject(root), stack).config["multicloud:clouds"]) as string[];
        expect(cloudsWithoutBackup(plan, clouds)).toEqual([]);
    },
);

test.each(stacks.map((s, i) => [s, i] as const))("%s tags every taggable resource with the four cost keys", (_stack, i) => {
    const missing = runs[i].plan.resources.flatMap((r) => {
        const where = tagPlacement(r.type);
        if (!r.custom || !where) return [];
        const tags = Object.fromEntries(readTags(where, r.inputs) ?? []);
        const absent = ["workload", "environment", "cost-center", "managed-by"].filter((k) => !tags[k]);
        return absent.length ? [`${r.name}: ${absent.join(", ")}`] : [];
    });
    expect(missing).toEqual([]);
});

test.each(stacks.map((s, i) => [s, i] as const))("%s has a monthly cost estimate (the private cloud's shown back from its requests)", (_stack, i) => {
    const cost = estimateCost(runs[i].plan.resources);
    expect(cost.monthlyUsd).toBeGreaterThan(0);
    expect(cost.unpriced).toEqual([]);
    expect(cost.unpricedRegions).toEqual([]);
});

test.each(stacks.map((s, i) => [s, i] as const))("%s attributes every dollar as its cloud will bill it: nothing untagged", (stack, i) => {
    const cost = estimateCost(runs[i].plan.resources);
    const [workload, environment] = [stack.replace(/-(dev|prod)$/, ""), stack.split("-").pop()];
    expect(cost.byWorkload).toEqual({ [workload]: cost.monthlyUsd });
    expect(cost.byEnvironment).toEqual({ [environment!]: cost.monthlyUsd });
    expect(cost.byResource.filter((r) => r.attribution.workload !== workload).map((r) => `${r.urn.split("::").pop()}: ${r.attribution.via}`)).toEqual([]);
    // Only what its cloud cannot label goes through the stack; groups, node pools and namespaces bill with the labels they pass on.
    const throughStack = new Set(cost.byResource.filter((r) => r.attribution.via.startsWith("its stack")).map((r) => r.type));
    expect([...throughStack]).toEqual(stack.startsWith("analytics") ? ["gcp:compute/routerNat:RouterNat"] : []);
});

test.each(stacks.map((s, i) => [s, i] as const))(
    "%s counts every resource under the cloud it runs on, in the estimate, the summary and the diagram",
    (stack, i) => {
        const { plan } = runs[i];
        const clouds = (JSON.parse(stackConfigFor(loadProject(root), stack).config["multicloud:clouds"]) as string[]).sort();
        expect(Object.keys(estimateCost(plan.resources).byCloud).sort()).toEqual(clouds);
        expect([...summaryByCloud(plan.resources).keys()].sort()).toEqual(clouds);
        const diagramClouds = placementDiagram(plan, stack).flatMap((line) => /subgraph cloud\d+\["(.*)"\]/.exec(line)?.[1] ?? []);
        expect(diagramClouds.sort()).toEqual(clouds);
    },
);

test("the partner stacks read the backend's planned outputs", () => {
    for (const run of runs.filter((r) => r.plan.stack.startsWith("partner"))) {
        expect(run.plan.stackReferences).toEqual([{ name: run.plan.stack.replace("partner", "backend"), answeredWith: "planned" }]);
    }
});

/**
 * What each stack held when its URNs were last recorded (test/fixtures/stack-urns.json):
 * a deployed resource whose URN the code changes is deleted and created anew by
 * `pulumi up` unless an alias carries it over, so every recorded URN must still
 * be planned, under its own URN or as an alias of the resource that replaces it.
 * A resource removed on purpose leaves the file in the same change.
 */
const recordedUrns: Record<string, string[]> = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures/stack-urns.json"), "utf8"));

test.each(stacks.map((s, i) => [s, i] as const))("%s keeps every recorded URN, as itself or through an alias: a move replaces nothing", (stack, i) => {
    const { resources } = runs[i].plan;
    const kept = new Set(resources.flatMap((r) => [r.urn, ...r.aliases]));
    expect(recordedUrns[stack]?.length).toBeGreaterThan(0);
    expect(recordedUrns[stack].filter((urn) => !kept.has(urn))).toEqual([]);
});
