/**
 * The JSON plan as tools built for `pulumi preview --json` read it: steps with their
 * operation, states and diff reasons, the change summary, the unknown sentinel,
 * policy events; one document per stack, an array for several; read back by --base.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readBasePlans } from "../src/base-plan";
import type { Plan, PlanResource } from "../src/model";
import { planDocument, planJson } from "../src/preview-json";
import { reviewPlan } from "./helpers/facts";
import { cli, fixture } from "./helpers/cli";

const sentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const provider = `urn:pulumi:prod::p::pulumi:providers:aws::default_7_48_0::${sentinel}`;

function resource(type: string, name: string, inputs: Record<string, unknown>): PlanResource {
    return { urn: `urn:pulumi:prod::p::${type}::${name}`, type, name, provider, custom: true, protect: false, aliases: [], inputs };
}

function plan(resources: PlanResource[]): Plan {
    return {
        project: "p",
        stack: "prod",
        stackFile: "Pulumi.prod.yaml",
        config: { "p:token": "[secret]", "aws:region": "eu-west-1" },
        resources,
        violations: [
            {
                policyPack: "pack",
                policyPackVersion: "1.0.0",
                policy: "efs-encrypted",
                description: "d",
                enforcementLevel: "mandatory",
                severity: "high",
                urn: resources[0]?.urn ?? "",
                message: "not encrypted",
            },
        ],
        remediations: [],
        outputs: { id: "[unknown]" },
        policyPacks: [],
        stackReferences: [],
        standIns: ["gcp:container/getEngineVersions:getEngineVersions"],
        durationMs: 1500,
    };
}

const efs = (inputs: Record<string, unknown>) => resource("aws:efs/fileSystem:FileSystem", "files", inputs);
const vpc = (cidr: string) => resource("aws:ec2/vpc:Vpc", "net", { cidrBlock: cidr, tags: { id: "[unknown]" } });

test("without a base every step is a create, with the provider, the new state and unknowns as the sentinel", () => {
    const doc = planDocument(reviewPlan(plan([efs({ encrypted: true }), vpc("10.0.0.0/16")])), undefined);
    expect(doc.changeSummary).toEqual({ create: 2 });
    expect(doc.steps[1]).toEqual({
        op: "create",
        urn: "urn:pulumi:prod::p::aws:ec2/vpc:Vpc::net",
        provider,
        newState: {
            type: "aws:ec2/vpc:Vpc",
            urn: "urn:pulumi:prod::p::aws:ec2/vpc:Vpc::net",
            custom: true,
            parent: undefined,
            protect: false,
            provider,
            propertyDependencies: { cidrBlock: null, tags: null },
            inputs: { cidrBlock: "10.0.0.0/16", tags: { id: sentinel } },
            outputs: { cidrBlock: "10.0.0.0/16", tags: { id: sentinel } },
        },
    });
    expect(doc.config).toEqual({ "p:token": "[secret]", "aws:region": "eu-west-1" });
    expect(doc.duration).toBe(1_500_000_000);
    expect(doc.diagnostics).toEqual([
        expect.objectContaining({ severity: "info", message: expect.stringContaining("gcp:container/getEngineVersions:getEngineVersions") }),
    ]);
    expect(doc.policyEvents).toEqual([
        {
            resourceUrn: "urn:pulumi:prod::p::aws:efs/fileSystem:FileSystem::files",
            message: "not encrypted",
            color: "never",
            policyName: "efs-encrypted",
            policyPackName: "pack",
            policyPackVersion: "1.0.0",
            policyPackVersionTag: "1.0.0",
            enforcementLevel: "mandatory",
            severity: "high",
        },
    ]);
});

test("against a base: update, replace, delete and same, with diff and replace reasons", () => {
    const bucket = resource("aws:s3/bucketPolicy:BucketPolicy", "old", { policy: "{}" });
    const base = plan([efs({ encrypted: false }), vpc("10.0.0.0/16"), bucket]);
    const head = plan([efs({ encrypted: true }), vpc("10.1.0.0/16")]);
    const basePlans = new Map([["prod", base]]);
    const doc = planDocument(reviewPlan(head, { basePlans, allow: ["files"] }), base);
    expect(doc.changeSummary).toEqual({ replace: 1, update: 1, delete: 1 });
    const byOp = Object.fromEntries(doc.steps.map((s) => [s.op, s]));
    expect(byOp.replace).toMatchObject({
        diffReasons: ["encrypted"],
        replaceReasons: ["encrypted"],
        detailedDiff: { encrypted: { kind: "update-replace", inputDiff: true } },
    });
    expect(byOp.replace.oldState!.inputs).toEqual({ encrypted: false });
    expect(byOp.update).toMatchObject({ diffReasons: ["cidrBlock"], replaceReasons: [], detailedDiff: { cidrBlock: { kind: "update", inputDiff: true } } });
    expect(byOp.delete).toMatchObject({ urn: bucket.urn, oldState: { inputs: { policy: "{}" } } });
    expect(byOp.delete.newState).toBeUndefined();
});

test("one document for one stack, an array for several; --base reads both", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-json-"));
    const one = planDocument(reviewPlan(plan([vpc("10.0.0.0/16")])), undefined);
    const other = { ...one, stack: "dev" };
    fs.writeFileSync(path.join(dir, "one.json"), planJson([one], false));
    fs.writeFileSync(path.join(dir, "several.json"), planJson([one, other], true));
    expect(JSON.parse(fs.readFileSync(path.join(dir, "one.json"), "utf8")).stack).toBe("prod");
    expect([...readBasePlans(path.join(dir, "one.json")).keys()]).toEqual(["prod"]);
    expect([...readBasePlans(path.join(dir, "several.json")).keys()]).toEqual(["prod", "dev"]);
});

test("the CLI's JSON of several stacks is an array of documents that --base reads back: no changes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-json-"));
    const json = path.join(dir, "plan.json");
    const first = await cli(["--cwd", fixture("references"), "--stack", "api", "--stack", "web", "--json", json]);
    expect(first.code).toBe(0);
    const docs = JSON.parse(fs.readFileSync(json, "utf8"));
    expect(docs.map((d: { stack: string }) => d.stack)).toEqual(["api", "web"]);
    for (const d of docs)
        expect(Object.keys(d)).toEqual(expect.arrayContaining(["config", "steps", "changeSummary", "diagnostics", "duration", "policyEvents"]));
    const again = await cli(["--cwd", fixture("references"), "--stack", "api", "--stack", "web", "--base", json, "--expect-no-changes", "--json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).map((d: { changeSummary: unknown }) => d.changeSummary)).toEqual([
        { same: expect.any(Number) },
        { same: expect.any(Number) },
    ]);
});

test("newState carries what the engine records: the id where known, parent, provider, dependencies and property dependencies", () => {
    const key = resource("aws:kms/key:Key", "key", { description: "k" });
    const fs = {
        ...resource("aws:efs/fileSystem:FileSystem", "files", { encrypted: true, kmsKeyId: "[unknown]" }),
        parent: "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod",
        dependsOn: [key.urn],
        propertyDependencies: { kmsKeyId: [key.urn] },
    };
    const vpc = { ...resource("aws:ec2/vpc:Vpc", "shared", {}), id: "vpc-0a1b2c3d", read: true as const };
    const imported = { ...resource("aws:s3/bucket:Bucket", "legacy", { bucket: "legacy" }), id: "legacy" };
    const doc = planDocument(reviewPlan(plan([key, fs, vpc, imported])), undefined);
    const step = (name: string) => doc.steps.find((s) => s.urn.endsWith(`::${name}`))!;
    expect(step("files").newState).toMatchObject({
        parent: "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod",
        provider,
        dependencies: [key.urn],
        // A property that came from no other resource is null, as Go writes an empty list.
        propertyDependencies: { encrypted: null, kmsKeyId: [key.urn] },
    });
    expect(step("files").newState).not.toHaveProperty("id");
    expect(step("key").newState).not.toHaveProperty("dependencies");
    expect(step("key").newState!.propertyDependencies).toEqual({ description: null });
    expect(step("shared")).toMatchObject({ op: "read", newState: { id: "vpc-0a1b2c3d" } });
    expect(step("legacy")).toMatchObject({ op: "import", newState: { id: "legacy" } });
    // The engine counts a read only when what it read changed.
    expect(doc.changeSummary).toEqual({ create: 2, import: 1 });
});
