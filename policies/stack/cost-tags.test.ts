import * as fs from "node:fs";
import * as path from "node:path";
import { unknown, usePolicyPack } from "../../test/helpers/policy";
import { taggableTypes as projectTaggableTypes } from "../../stacks/taggable-types";
import { taggableTypes } from "./cost-tags";

const pack = usePolicyPack();
const p = "cost-allocation-tags";
const tags = { workload: "analytics", environment: "prod", "cost-center": "cc", "managed-by": "pulumi" };

test("every form a resource carries tags in: AWS map, ASG list, GCP labels, GKE resourceLabels, Kubernetes metadata.labels", async () => {
    expect(await pack.policiesHit([{ type: "aws:ec2/vpc:Vpc", inputs: { tags } }])).not.toContain(p);
    expect(await pack.policiesHit([{ type: "aws:ec2/vpc:Vpc", inputs: { tags: { workload: "x" } } }])).toContain(p);
    const asg = (list: unknown[]) => [{ type: "aws:autoscaling/group:Group", inputs: { maxSize: 1, minSize: 1, tags: list } }];
    const asList = Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));
    expect(await pack.policiesHit(asg(asList))).not.toContain(p);
    expect(await pack.policiesHit(asg(asList.slice(1)))).toContain(p);
    expect(await pack.policiesHit([{ type: "gcp:compute/disk:Disk", inputs: { labels: tags } }])).not.toContain(p);
    expect(await pack.policiesHit([{ type: "gcp:container/cluster:Cluster", inputs: { labels: tags } }])).toContain(p);
    expect(await pack.policiesHit([{ type: "gcp:container/cluster:Cluster", inputs: { resourceLabels: tags } }])).not.toContain(p);
    expect(await pack.policiesHit([{ type: "kubernetes:core/v1:ConfigMap", inputs: { metadata: { labels: tags } } }])).not.toContain(p);
    expect(await pack.policiesHit([{ type: "kubernetes:core/v1:ConfigMap", inputs: { metadata: {} } }])).toContain(p);
});

test("an empty value is a missing tag; an unknown value is not judged; untaggable types are not judged", async () => {
    expect(await pack.policiesHit([{ type: "alicloud:vpc/network:Network", inputs: { tags: { ...tags, "cost-center": " " } } }])).toContain(p);
    expect(await pack.policiesHit([{ type: "alicloud:vpc/network:Network", inputs: { tags: { ...tags, "cost-center": unknown } } }])).not.toContain(p);
    expect(await pack.policiesHit([{ type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", inputs: { role: "r" } }])).not.toContain(p);
});

test("the keys are configurable", async () => {
    const hits = await pack.policiesHit([{ type: "aws:ec2/vpc:Vpc", inputs: { tags } }], { policyConfig: { [p]: { keys: ["owner"] } } });
    expect(hits).toContain(p);
});

test("the table covers every type the project's cost-tag transform tags, in the same field", () => {
    const field = { tags: "tags", "tags-list": "tags-list", labels: "labels", resourceLabels: "resourceLabels", "metadata.labels": "metadata.labels" };
    for (const [type, placement] of Object.entries(projectTaggableTypes)) expect([type, taggableTypes[type]]).toEqual([type, field[placement.field]]);
});

test("each field in the table is an input of the type in the provider SDK", () => {
    for (const [type, field] of Object.entries(taggableTypes)) {
        const [pkg, mod] = type.split(":");
        const file = path.resolve(__dirname, "../../node_modules/@pulumi", pkg, mod.split("/")[0], `${mod.split("/")[1]}.d.ts`);
        const top = field === "tags-list" ? "tags" : field.split(".")[0];
        expect([type, fs.readFileSync(file, "utf8").includes(`    ${top}?: pulumi.Input<`)]).toEqual([type, true]);
    }
});
