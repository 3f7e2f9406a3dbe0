/**
 * plan.config.ts gives the offline plan this project's facts: the command finds
 * it where `npm run plan` runs, and each fact comes from the one place the
 * project keeps it (the clouds' descriptors, the stateful and tag catalogs, the
 * price files, the links stacks' output).
 */
import * as path from "node:path";
import { cloudResolver, readConfig, type PlanResource } from "pulumi-offline-plan";
import { cloudDescriptors, cloudTable } from "../../components/clouds";
import facts, { linksDiagram, placementDiagram, pricesFile, rateCardFile, statefulHolds } from "../../plan.config";

const root = path.resolve(__dirname, "../..");
const resource = (type: string, name: string, extra: Partial<PlanResource> = {}): PlanResource => ({
    urn: `urn:pulumi:dev::multicloud::${type}::${name}`,
    type,
    name,
    custom: true,
    protect: false,
    aliases: [],
    inputs: {},
    ...extra,
});

test("the plan's command reads this project's facts from the root, its paths made absolute", () => {
    const options = readConfig(root);
    expect(options.cloudTable).toBe(cloudTable);
    expect(options.projectDir).toBe(root);
    expect(options.policyPacks).toEqual([path.join(root, "policies")]);
    expect(options.prices).toEqual({ catalogue: pricesFile, rateCards: rateCardFile });
    expect(options.command).toBe("npm run plan --");
});

test("each cloud's provider package places its resources on that cloud; a Kubernetes object on no cluster's provider is the private cloud's", () => {
    for (const d of cloudDescriptors.filter((d) => !d.inCluster)) {
        const r = resource(`${d.providerPackage}:x/thing:Thing`, "t");
        expect([d.id, cloudResolver([r], facts.cloudTable)(r)]).toEqual([d.id, d.id]);
    }
    const namespace = resource("kubernetes:core/v1:Namespace", "ns");
    expect(cloudResolver([namespace], facts.cloudTable)(namespace)).toBe("onprem");
});

test("what a type holds comes from the stateful catalog; a stateless type holds nothing", () => {
    expect(readConfig(root).statefulHolds).toBe(statefulHolds);
    expect(statefulHolds("aws:efs/fileSystem:FileSystem")).toBe("holds the files written to it");
    expect(statefulHolds("aws:ec2/subnet:Subnet")).toBeUndefined();
});

test("cost tags are read where the tag catalog says each type keeps them, by the stacks' keys", () => {
    const tags = facts.costTags!;
    expect(tags.keys).toEqual({ workload: "workload", environment: "environment", costCenter: "cost-center" });
    const group = tags.read("aws:autoscaling/group:Group", { tags: [{ key: "workload", value: "transactional", propagateAtLaunch: true }] });
    expect(group instanceof Map ? group.get("workload") : group?.workload).toBe("transactional");
    const pool = tags.read("gcp:container/nodePool:NodePool", { nodeConfig: { resourceLabels: { workload: "analytics" } } });
    expect(pool instanceof Map ? pool.get("workload") : pool?.workload).toBe("analytics");
    expect(tags.taggable("gcp:compute/routerNat:RouterNat")).toBe(false);
    expect(tags.read("gcp:compute/routerNat:RouterNat", {})).toBeUndefined();
});

describe("a links stack's diagram", () => {
    const end = (workload: string, cloud: string, asn: number) => ({
        workload,
        cloud,
        ranges: [`10.${asn % 256}.0.0/16`],
        asn,
        ciphers: { encryption: "aes256" },
    });
    const outputs = { links: { "partner-backend": { caller: end("partner", "onprem", 64512), callee: end("backend", "alicloud", 64513), tunnels: 2 } } };

    test("each network is a node in its cloud with its ranges; the link carries its tunnels, cipher and both ASNs", () => {
        expect(linksDiagram({ outputs })).toEqual({
            nodes: [
                { key: "onprem\u0000partner", group: "onprem", lines: ["partner", "10.0.0.0/16"] },
                { key: "alicloud\u0000backend", group: "alicloud", lines: ["backend", "10.1.0.0/16"] },
            ],
            links: [{ between: ["onprem\u0000partner", "alicloud\u0000backend"], lines: ["IPsec, 2 tunnels, aes256", "BGP 64512 / 64513"] }],
        });
        expect(linksDiagram({ outputs: {} })).toBeUndefined();
    });

    test("is what the comment draws for the stack, with generated node ids", () => {
        const plan = {
            project: "multicloud",
            stack: "links-dev",
            stackFile: "stacks/links/Pulumi.links-dev.yaml",
            resources: [],
            violations: [],
            remediations: [],
            outputs,
            policyPacks: [],
            stackReferences: [],
        };
        const diagram = placementDiagram(plan, "links").join("\n");
        expect(diagram).toContain('subgraph cloud0["alicloud"]');
        expect(diagram).toContain('n1["backend<br/>10.1.0.0/16"]');
        expect(diagram).toContain('n0 <-->|"IPsec, 2 tunnels, aes256<br/>BGP 64512 / 64513"| n1');
    });
});
