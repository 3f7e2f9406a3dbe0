/**
 * The pull-request comment. The snapshot is the reviewed comment for two stacks
 * (one compared with its base, with a blocked one-way door, a violation and a
 * cost change); the assertions name the properties the comment must keep.
 */
import { diffPlans } from "../../tools/plan/diff";
import { commentMarker, renderMarkdown } from "../../tools/plan/markdown";
import type { PlanResource } from "../../tools/plan/plan";
import type { ReviewedPlan } from "../../tools/plan/render";

function planOf(stack: string, resources: PlanResource[], extra: Partial<ReviewedPlan> = {}): ReviewedPlan {
    return {
        project: "multicloud",
        stack,
        stackFile: `stacks/Pulumi.${stack}.yaml`,
        resources,
        violations: [],
        remediations: [],
        outputs: {},
        policyPacks: [{ name: "multicloud", version: "0.1.0", policies: 12 }],
        stackReferences: [],
        ...extra,
    };
}

function stackResources(stack: string, efsName: string): PlanResource[] {
    const root = `urn:pulumi:${stack}::multicloud::pulumi:pulumi:Stack::multicloud-${stack}`;
    const component = (type: string, name: string, parent = root): PlanResource => ({
        urn: `urn:pulumi:${stack}::multicloud::${type}::${name}`,
        type,
        name,
        parent,
        custom: false,
        protect: false,
        aliases: [],
        inputs: {},
    });
    const storage = component("multicloud:aws:SharedStorage", "transactional-files");
    const lb = component("multicloud:aws:LoadBalancer", "transactional-lb");
    const custom = (type: string, name: string, parent: string, inputs: Record<string, unknown> = {}): PlanResource => ({
        urn: `urn:pulumi:${stack}::multicloud::${type}::${name}`,
        type,
        name,
        parent,
        custom: true,
        protect: false,
        aliases: [],
        inputs: { tags: { workload: "transactional" }, ...inputs },
    });
    return [
        { urn: root, type: "pulumi:pulumi:Stack", name: `multicloud-${stack}`, custom: false, protect: false, aliases: [], inputs: {} },
        storage,
        custom("aws:efs/fileSystem:FileSystem", efsName, storage.urn, { encrypted: true }),
        custom("aws:kms/key:Key", "transactional-files-key", storage.urn),
        lb,
        component("multicloud:aws:AccessLogBucket", "transactional-lb-access-logs", lb.urn),
        custom("aws:lb/loadBalancer:LoadBalancer", "transactional-lb", lb.urn, { internal: false }),
    ];
}

function reviewedPlans(): ReviewedPlan[] {
    const base = planOf("transactional-prod", stackResources("transactional-prod", "transactional-shared-efs"));
    const head = planOf("transactional-prod", stackResources("transactional-prod", "transactional-files-efs"), {
        violations: [
            {
                policyPack: "multicloud",
                policyPackVersion: "0.1.0",
                policy: "aws-alb-https-only",
                description: "Listeners must use HTTPS | TLS 1.2+: set `protocol: HTTPS` and a modern sslPolicy.",
                enforcementLevel: "mandatory",
                severity: "high",
                urn: "urn:pulumi:transactional-prod::multicloud::multicloud:aws:LoadBalancer$aws:lb/listener:Listener::transactional-lb-http",
                message: "Listener transactional-lb-http accepts plain HTTP on port 80.\nMore detail.",
            },
        ],
        cost: { monthlyUsd: 1834.5, byCloud: { aws: 1834.5 }, byWorkload: { transactional: 1834.5 }, unpriced: ["aws:efs/accessPoint:AccessPoint"] },
        costChange: { baseMonthlyUsd: 1700, monthlyUsd: 1834.5, deltaUsd: 134.5 },
    });
    head.diff = diffPlans(base, head, [], "base-plan.json (transactional-prod)");
    const dev = planOf("transactional-dev", stackResources("transactional-dev", "transactional-files-efs"), {
        cost: { monthlyUsd: 412, byCloud: { aws: 412 }, byWorkload: { transactional: 412 }, unpriced: 0 },
    });
    return [head, dev];
}

describe("renderMarkdown", () => {
    const markdown = renderMarkdown(reviewedPlans(), { workloads: { "transactional-prod": "transactional", "transactional-dev": "transactional" } });

    test("the reviewed comment", () => {
        expect(markdown).toMatchSnapshot();
    });

    test("starts with the marker CI uses to update one comment", () => {
        expect(markdown.startsWith(commentMarker)).toBe(true);
    });

    test("names the blocked one-way door and the alias that keeps the resource", () => {
        expect(markdown).toContain("### transactional-prod: :x: blocked: 1 mandatory violation, 1 blocked one-way door");
        expect(markdown).toContain('aliases: [{ name: "transactional-shared-efs" }]');
        expect(markdown).toContain("--allow-one-way-door transactional-files-efs");
    });

    test("puts each violation in a table row with its fix, pipes escaped", () => {
        const row = markdown.split("\n").find((l) => l.startsWith("| mandatory |"))!;
        expect(row).toContain("Listeners must use HTTPS \\| TLS 1.2+");
        expect(row.split(/(?<!\\)\|/).length).toBe(7);
    });

    test("shows the cost and its change", () => {
        expect(markdown).toContain("**Estimated monthly cost:** $1,834.50 (+$134.50 against the base: $1,700.00)");
    });

    test("draws clouds > workloads > components as a Mermaid flowchart", () => {
        const diagram = markdown.split("```mermaid\n")[1].split("```")[0];
        expect(diagram).toMatch(/^flowchart LR\n {2}subgraph cloud_aws\["aws"\]\n {4}subgraph wl_aws_transactional\["transactional"\]/);
        expect(diagram).toContain('["SharedStorage<br/>transactional-files"]');
        expect(diagram).not.toContain("FileSystem");
    });

    test("without a diff or a cost: only resources to create, no cost line", () => {
        const [, dev] = reviewedPlans();
        const only = renderMarkdown([{ ...dev, cost: undefined }]);
        expect(only).toContain("| cloud | workload | create |\n");
        expect(only).not.toContain("monthly cost");
    });
});
