/**
 * What the plan does with a project's facts, and without each of them: it never
 * falls back on a project's names, layout or prices it was not given.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readConfig } from "../src/bin";
import { diffPlans } from "../src/diff";
import { estimateCost } from "../src/cost";
import { placementDiagram } from "../src/markdown";
import type { Plan, PlanResource, ReviewedPlan } from "../src/model";
import { loadProject, loadStackConfig } from "../src/project";
import type { ProjectFacts } from "../src/facts";
import { fixture } from "./helpers/cli";
import { renderMarkdown, reviewPlan, testCostOptions, testFacts } from "./helpers/facts";

const stackUrn = "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev";
const resource = (type: string, name: string, extra: Partial<PlanResource> = {}): PlanResource => ({
    urn: `urn:pulumi:dev::shop::${type}::${name}`,
    type,
    name,
    parent: stackUrn,
    custom: true,
    protect: false,
    aliases: [],
    inputs: {},
    ...extra,
});
const planOf = (resources: PlanResource[], extra: Partial<Plan> = {}): ReviewedPlan => ({
    project: "shop",
    stack: "dev",
    stackFile: "Pulumi.dev.yaml",
    config: {},
    resources,
    violations: [],
    remediations: [],
    outputs: {},
    policyPacks: [],
    stackReferences: [],
    ...extra,
});
const bare: ProjectFacts = { cloudTable: testFacts.cloudTable };

describe("without a fact, the plan leaves out what it would have computed from it", () => {
    const lb = resource("aws:lb/loadBalancer:LoadBalancer", "lb", { inputs: { tags: { workload: "shop" } } });

    test("no prices: no estimate and no cost change, rather than one of zero", () => {
        const reviewed = reviewPlan(planOf([lb]), { facts: bare, basePlans: new Map([["dev", planOf([])]]) });
        expect(reviewed.cost).toBeUndefined();
        expect(reviewed.costChange).toBeUndefined();
        expect(reviewed.diff?.created.map((r) => r.name)).toEqual(["lb"]);
        expect(reviewPlan(planOf([lb])).cost?.monthlyUsd).toBeGreaterThan(0);
    });

    test("no cost tags: every cost is untagged, and says why", () => {
        const { costTags: _, ...untaggedOptions } = testCostOptions();
        expect(estimateCost([lb], untaggedOptions).byResource[0].attribution).toEqual({
            workload: "untagged",
            environment: "untagged",
            costCenter: "untagged",
            via: "no cost tags (the project names none)",
        });
        expect(estimateCost([lb], testCostOptions()).byResource[0].attribution.workload).toBe("shop");
    });

    test("no stateful types: deleting a file system is no one-way door; a rename without an alias still is", () => {
        const efs = (name: string) => resource("aws:efs/fileSystem:FileSystem", name);
        expect(diffPlans({ resources: [efs("files")] }, { resources: [] }).oneWayDoors).toEqual([]);
        expect(diffPlans({ resources: [efs("files")] }, { resources: [] }, { statefulHolds: testFacts.statefulHolds }).oneWayDoors).toEqual([
            expect.objectContaining({ kind: "delete", holds: "holds the files written to it" }),
        ]);
        expect(diffPlans({ resources: [efs("shared")] }, { resources: [efs("files")] }).oneWayDoors).toEqual([
            expect.objectContaining({ kind: "rename", holds: undefined }),
        ]);
    });
});

describe("the comment draws and names what the project says", () => {
    const own = resource("shop:storage:Files", "files", { custom: false });
    const foreign = resource("awsx:ec2:Vpc", "net", { custom: false });
    const bucket = resource("aws:s3/bucket:Bucket", "files-bucket", { parent: own.urn, inputs: { tags: { workload: "storage" } } });
    const plan = planOf([own, foreign, bucket]);

    test("every component by default; only the project's own when it names their type prefixes", () => {
        expect(placementDiagram(plan, "dev", bare).join("\n")).toMatch(/Files.*\n[\s\S]*Vpc/);
        const drawn = placementDiagram(plan, "dev", { ...bare, componentTypes: ["shop:"] }).join("\n");
        expect(drawn).toContain('["Files<br/>files"]');
        expect(drawn).not.toContain("Vpc");
    });

    test("a diagram of the project's own replaces the placement diagram, its labels escaped and its ids generated", () => {
        const diagramOf = () => ({
            nodes: [
                { key: "a|b", group: "dc1", lines: ['x"]-->y'] },
                { key: "c", group: "dc1", lines: ["c"] },
            ],
            links: [{ between: ["a|b", "c"] as [string, string], lines: ["2 tunnels"] }],
        });
        const drawn = placementDiagram(plan, "dev", { ...bare, diagramOf }).join("\n");
        expect(drawn).toContain('subgraph cloud0["dc1"]');
        expect(drawn).toContain("n0 <-->");
        expect(drawn).not.toContain('x"]-->y');
        expect(drawn).not.toContain("a|b");
    });

    test("the marker, the stack's workload and the command a blocked door suggests are the project's", () => {
        const base = planOf([resource("aws:s3/bucket:Bucket", "old")]);
        const head = planOf([resource("aws:s3/bucket:Bucket", "new")]);
        head.diff = diffPlans(base, head, { statefulHolds: testFacts.statefulHolds });
        const facts = { ...testFacts, commentMarker: "<!-- shop-plan -->", workloadOf: () => "storefront" };
        const comment = renderMarkdown([head], { facts, command: "npm run plan --" });
        expect(comment.split("\n")[0]).toBe("<!-- shop-plan -->");
        expect(comment).toContain("| aws | `storefront` |");
        expect(comment).toContain("`npm run plan -- --stack dev --allow-one-way-door new`");
    });
});

describe("the command's config file", () => {
    const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "plan-config-"));

    test("none: every provider package is a cloud of its own name, and nothing else is known", () => {
        expect(readConfig(dir(), undefined)).toEqual({ cloudTable: { clouds: {}, inCluster: [] } });
    });

    test("paths in it are relative to it; a file OFFLINE_PLAN_CONFIG names is read instead", () => {
        const at = dir();
        fs.writeFileSync(
            path.join(at, "plan.config.js"),
            'module.exports = { cloudTable: { clouds: { aws: "aws" }, inCluster: [] }, projectDir: "app", policyPacks: ["packs/a"], prices: { catalogue: "p.yaml" } };\n',
        );
        expect(readConfig(at, undefined)).toMatchObject({
            projectDir: path.join(at, "app"),
            policyPacks: [path.join(at, "packs/a")],
            prices: { catalogue: path.join(at, "p.yaml"), rateCards: undefined },
        });
        fs.writeFileSync(path.join(at, "other.js"), 'module.exports = { cloudTable: { clouds: { gcp: "gcp" }, inCluster: [] } };\n');
        expect(readConfig(at, "other.js").cloudTable.clouds).toEqual({ gcp: "gcp" });
        expect(() => readConfig(at, "missing.js")).toThrow("OFFLINE_PLAN_CONFIG names missing.js, which does not exist.");
    });

    test("a config without a cloud table is refused, saying what to give", () => {
        const at = dir();
        fs.writeFileSync(path.join(at, "plan.config.js"), "module.exports = { policyPacks: [] };\n");
        expect(() => readConfig(at, undefined)).toThrow(/gives no cloudTable: export \{ cloudTable: \{ clouds:/);
    });
});

test("ESC environment definitions are read where the project keeps them", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-env-"));
    fs.cpSync(fixture("esc-program"), dir, { recursive: true });
    fs.renameSync(path.join(dir, "environments"), path.join(dir, "esc"));
    expect(() => loadStackConfig(loadProject(dir), "dev")).toThrow(/has no definition in environments\//);
    expect(loadStackConfig(loadProject(dir, { environmentsDir: "esc" }), "dev").config["esc-program:region"]).toBe("eu-west-1");
});
