/**
 * The program itself, run as a stack runs it: configuration from a fixture's
 * keys, placement on one or several clouds, and the errors a bad stack file gets.
 */
import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "../test/helpers/pulumi";
import { fixtureConfig, fixtureSecrets, type FixtureStack } from "../test/fixtures/workloads";

/**
 * A fixture's config as the CLI hands it to the program: structured values as JSON
 * text, and the placeholder secrets under a key marked secret, as `--secret` marks it.
 */
function configOf(stack: FixtureStack, edit: (config: Record<string, unknown>) => void = () => undefined) {
    const workload = stack.replace(/-(dev|prod)$/, "") as keyof typeof fixtureSecrets;
    const file: Record<string, unknown> = { ...fixtureConfig(stack), "multicloud:secrets": fixtureSecrets[workload] };
    edit(file);
    const config = Object.fromEntries(Object.entries(file).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    return { config, secretKeys: ["multicloud:secrets"] };
}

const run = useMockRuntime({
    preview: true,
    stack: "backend-prod",
    ...configOf("backend-prod", (c) => {
        c["multicloud:clouds"] = ["alicloud", "aws"];
        c["multicloud:cloudOverrides"] = {
            aws: { servers: { size: "large" } },
        };
    }),
});

async function program(): Promise<Record<string, unknown>> {
    // oxlint-disable-next-line typescript/no-require-imports -- stacks/index.ts is the program as the CLI loads it, a CommonJS `export =` that only require names
    return (require("./index") as () => Promise<Record<string, unknown>>)();
}

function setConfig(stack: FixtureStack, edit: (config: Record<string, unknown>) => void) {
    const { config, secretKeys } = configOf(stack, edit);
    pulumi.runtime.setAllConfig(config, secretKeys);
}

describe("active-active: a workload on two clouds", () => {
    test("is built on each cloud, with names and outputs per cloud, from one stack file and per-cloud overrides", async () => {
        const outputs = await program();
        const all = await run.all();
        expect(all.some((r) => r.type === "alicloud:ess/scalingGroup:ScalingGroup" && r.name.startsWith("backend-alicloud-"))).toBe(true);
        const asg = all.find((r) => r.type === "aws:autoscaling/group:Group" && r.name.startsWith("backend-aws-"));
        expect(asg).toBeDefined();
        const template = all.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.name.startsWith("backend-aws-"))!;
        expect(template.plain.imageId).toBe("ami-0b4c7d2e9f1a3b5c6");
        expect(template.plain.instanceType).toBe("m6i.2xlarge");
        expect(Object.keys(outputs).sort()).toEqual(["alicloud", "aws", "endpoints", "verification"]);
        // Each cloud takes its own range from the address plan.
        const vpc = all.find((r) => r.type === "aws:ec2/vpc:Vpc")!;
        const alicloudVpc = all.find((r) => r.type === "alicloud:vpc/network:Network")!;
        expect(vpc.plain.cidrBlock).toBe("10.33.0.0/16");
        expect(alicloudVpc.plain.cidrBlock).toBe("10.31.0.0/16");
    });
});

describe("configuration errors name the stack file, the key, the value and what is valid", () => {
    test("an unknown cloud", async () => {
        setConfig("backend-prod", (c) => (c["multicloud:clouds"] = ["alicloud", "azure"]));
        await expect(program()).rejects.toThrow(
            /stacks\/Pulumi\.backend-prod\.yaml[\s\S]*multicloud:clouds\[1\] = "azure": valid values: "aws", "gcp", "alicloud", "onprem"/,
        );
    });

    test("a network range set for a workload on several clouds", async () => {
        setConfig("backend-prod", (c) => {
            c["multicloud:clouds"] = ["alicloud", "aws"];
            c["multicloud:network"] = { cidr: "10.31.0.0/16" };
        });
        await expect(program()).rejects.toThrow(/multicloud:network\.cidr is set, but the workload runs on alicloud, aws/);
    });

    test("a network range that overlaps another workload's", async () => {
        setConfig("backend-prod", (c) => (c["multicloud:network"] = { cidr: "10.10.0.0/16" }));
        await expect(program()).rejects.toThrow(/multicloud:network\.cidr = "10\.10\.0\.0\/16" overlaps transactional\/dev\/aws/);
    });

    test("a partner range with host bits set", async () => {
        setConfig("partner-prod", (c) => (c["multicloud:partners"] = { "bank-nordhavn": ["192.0.2.1/24"] }));
        await expect(program()).rejects.toThrow(
            'multicloud:partners.bank-nordhavn[0] = "192.0.2.1/24": an IPv4 network block with its host bits zero, such as 192.0.2.0/24',
        );
    });

    test("a placed cloud whose image is missing names the key and the format", async () => {
        setConfig("backend-prod", (c) => {
            c["multicloud:clouds"] = ["alicloud", "gcp"];
            c["multicloud:servers"] = { ...(c["multicloud:servers"] as object), images: { alicloud: "m-gw8backend20261101a" } };
        });
        await expect(program()).rejects.toThrow(
            "multicloud:servers.images.gcp = (missing): the workload runs on gcp; set an image, not a family (projects/<project>/global/images/<name>).",
        );
    });

    test("moving the partner workload off the private cloud, with the reason", async () => {
        setConfig("partner-prod", (c) => (c["multicloud:clouds"] = ["aws"]));
        await expect(program()).rejects.toThrow(
            /Pulumi\.\S+\.yaml[\s\S]*multicloud:clouds[\s\S]*partner connections never leave the private cloud; valid: \["onprem"\]/,
        );
    });
});
