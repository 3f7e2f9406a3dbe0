/**
 * Components built by a component provider (`remote: true`, as the generated SDKs
 * of awsx and eks register theirs). A provider whose code the project points at
 * (Pulumi.yaml `packages` or `plugins.providers`) is run here and its children are
 * planned; any other is a plugin binary: the component is named, its children are
 * unknown, and every view says the plan is partial.
 */
import type { Plan } from "../src/plan";
import { planStack } from "../src/plan";
import { planDocument } from "../src/preview-json";
import { renderMarkdown, renderTerminal } from "./helpers/facts";
import { cli, fixture } from "./helpers/cli";

let plan: Plan;
beforeAll(async () => {
    plan = (await planStack({ cwd: fixture("remote-program"), stack: "dev" }, undefined)).plan;
}, 120_000);

const urn = (type: string, name: string) => `urn:pulumi:dev::remote-program::pulumi:pulumi:Stack$${type}::${name}`;
const childrenOf = (parent: string) => plan.resources.filter((r) => r.parent === parent).map((r) => `${r.type} ${r.name}`);

describe("a component whose provider is a plugin binary (awsx, eks)", () => {
    test("is registered alone with its provider, the package's default provider, as the engine registers it for Construct", () => {
        const vpc = plan.resources.find((r) => r.type === "awsx:ec2:Vpc")!;
        expect(vpc).toMatchObject({ urn: urn("awsx:ec2:Vpc", "main"), custom: false, remote: { planned: false } });
        expect(vpc.remote!.reason).toBe(
            "its provider is the plugin pulumi-resource-awsx, a binary the offline plan cannot run: the children it would create are unknown",
        );
        expect(vpc.provider).toMatch(/::pulumi:providers:awsx::default_2_21_0::/);
        expect(plan.resources.map((r) => r.urn)).toContain("urn:pulumi:dev::remote-program::pulumi:providers:awsx::default_2_21_0");
        expect(childrenOf(vpc.urn)).toEqual([]);
    });

    test("its outputs are unknown, and so is what the program builds from them", () => {
        const group = plan.resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")!;
        expect(group.inputs.vpcId).toBe("[unknown]");
        expect(group.dependsOn).toContain(urn("awsx:ec2:Vpc", "main"));
    });

    test("a method of it (eks Cluster.getKubeconfig) is answered unknown, and listed among the stand-ins", () => {
        expect(plan.outputs.kubeconfig).toBe("[unknown]");
        expect(plan.standIns).toContain("eks:index:Cluster/getKubeconfig");
    });

    test("the terminal names each one, counts it apart and calls the plan partial", () => {
        const text = renderTerminal(plan);
        expect(text).toMatch(/^Offline plan of remote-program\/dev .*\(PARTIAL: 2 components not planned\)$/m);
        expect(text).toContain("awsx:ec2:Vpc  main  [not planned: its children are unknown]");
        expect(text).toContain("Resources: 5 to create (10 components and providers, and 2 not planned: the resources they would create are not counted)");
        expect(text).toContain('Not planned: eks:index:Cluster "apps": its provider is the plugin pulumi-resource-eks');
    });

    test("the JSON is marked partial, with a warning per component", () => {
        const doc = planDocument(plan, undefined);
        expect(doc.partial).toBe(true);
        const warnings = doc.diagnostics.filter((d) => d.severity === "warning");
        expect(warnings.map((d) => d.urn)).toEqual(expect.arrayContaining([urn("awsx:ec2:Vpc", "main"), urn("eks:index:Cluster", "apps")]));
        expect(warnings.find((d) => d.urn === urn("awsx:ec2:Vpc", "main"))!.message).toMatch(/^component awsx:ec2:Vpc "main" was not planned: /);
    });

    test("the comment never shows the stack as passing whole: partial in the summary, the components apart", () => {
        const comment = renderMarkdown([plan]);
        expect(comment).toContain("| `dev` | ⚠️ partial: 2 components not planned | 5 | 0 | 0 | 0 | 0 | 0 |");
        expect(comment).toContain("⚠️ **Partial plan:**");
        expect(comment).toContain("| `main` | `awsx:ec2:Vpc` | its provider is the plugin pulumi-resource-awsx");
        expect(comment).not.toContain("✅ passes");
    });
});

describe("a component whose provider's code is here", () => {
    test("a source-based component package (Pulumi.yaml packages) is built as run-plugin would host it, its children planned", () => {
        const site = plan.resources.find((r) => r.type === "site:index:StaticSite")!;
        expect(site).toMatchObject({ urn: urn("site:index:StaticSite", "docs"), remote: { planned: true } });
        expect(site.provider).toMatch(/::pulumi:providers:site::default::/);
        expect(childrenOf(site.urn)).toEqual([
            "aws:s3/bucket:Bucket docs-content",
            "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration docs-website",
        ]);
        const website = plan.resources.find((r) => r.name === "docs-website")!;
        // The program's input reached the provider's code.
        expect(website.inputs.indexDocument).toEqual({ suffix: "start.html" });
    });

    test("a Node.js provider (Pulumi.yaml plugins.providers) answers Construct here; its outputs reach the program", () => {
        const queue = plan.resources.find((r) => r.type === "queue:index:WorkQueue")!;
        expect(queue.remote).toEqual({ planned: true });
        expect(childrenOf(queue.urn)).toEqual(["aws:sqs/queue:Queue jobs-dead-letters", "aws:sqs/queue:Queue jobs-queue"]);
        expect(plan.resources.find((r) => r.name === "jobs-queue")!.inputs.messageRetentionSeconds).toBe(86400);
        expect(plan.outputs.queueName).toBe(plan.resources.find((r) => r.name === "jobs-queue")!.inputs.name);
    });

    test("a transform the program gives the component reaches the children its provider builds", () => {
        const queues = plan.resources.filter((r) => r.type === "aws:sqs/queue:Queue");
        expect(queues.map((r) => [r.name, r.inputs.tags])).toEqual([
            ["jobs-dead-letters", { team: "jobs" }],
            ["jobs-queue", { team: "jobs" }],
        ]);
    });
});

test("the CLI warns on stderr that the plan is partial, naming the components", async () => {
    const { code, stderr } = await cli(["--cwd", fixture("remote-program"), "--stack", "dev"]);
    expect(code).toBe(0);
    expect(stderr).toContain(
        'warning: PARTIAL PLAN of dev: 2 components built by a component provider are not planned, and the resources they would create are not counted, priced or judged by policy: awsx:ec2:Vpc "main", eks:index:Cluster "apps". Run `pulumi preview` for the whole plan.',
    );
}, 120_000);
