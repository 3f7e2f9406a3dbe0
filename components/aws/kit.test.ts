import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { createKit } from "./kit";

const run = useMockRuntime();
const kit = createKit({ environment: "dev", name: "kt", region: "eu-central-1" });

test("an explicit provider for the region, used by every resource", async () => {
    kit.network("ktnet", { environment: "dev", cidr: "10.20.0.0/16", zoneCount: 2 });
    const provider = await run.one("pulumi:providers:aws", "kt-provider");
    expect(provider.plain.region).toBe("eu-central-1");
    for (const r of (await run.all()).filter((x) => x.name.startsWith("ktnet") && x.custom)) expect(r.provider).toContain("kt-provider");
});

test("each size is an m6i type; its capacity is in millicores and the MiB left to tasks", () => {
    expect(kit.instanceTypeOf("medium")).toBe("m6i.xlarge");
    expect(kit.sizeCapacity("medium")).toEqual({ cpu: 4000, memoryMiB: 15872 });
    expect(kit.sizeCapacity("small")).toEqual({ cpu: 2000, memoryMiB: 7680 });
});

test("the container hosts take the size's instance type", async () => {
    const network = kit.network("ktsize-net", { environment: "dev", cidr: "10.22.0.0/16", zoneCount: 2 });
    kit.containerCluster("ktsize-ecs", { environment: "dev", network, size: "large", minNodes: 1, maxNodes: 2 });
    const template = await run.one("aws:ec2/launchTemplate:LaunchTemplate", "ktsize-ecs");
    expect(template.plain.instanceType).toBe("m6i.2xlarge");
});

test("a service with paths gets its own route; one without uses the default target group", async () => {
    const network = kit.network("ktsvc-net", { environment: "dev", cidr: "10.21.0.0/16", zoneCount: 2 });
    const loadBalancer = kit.loadBalancer("ktsvc-lb", {
        environment: "dev",
        network,
        certificateId: "arn:cert",
        targetPort: 8080,
        healthCheckPath: "/healthz",
    });
    const cluster = kit.containerCluster("ktsvc-ecs", { environment: "dev", network, size: "small", minNodes: 1, maxNodes: 2 });
    const base = {
        environment: "dev" as any,
        cluster,
        network,
        loadBalancer,
        image: "img@sha256:" + "d".repeat(64),
        cpu: 256,
        memory: 512,
        port: 8080,
        desiredCount: 1,
        minCount: 1,
        maxCount: 2,
    };
    kit.containerService("ktsvc-api", { ...base, paths: ["/api/*"] });
    kit.containerService("ktsvc-web", base);
    expect(await run.ofType("aws:lb/listenerRule:ListenerRule", "ktsvc-api")).toHaveLength(1);
    expect(await run.ofType("aws:lb/listenerRule:ListenerRule", "ktsvc-web")).toHaveLength(0);
});

test("secrets are named under /multicloud/", async () => {
    kit.secretParameter("ktsec-token", { environment: "dev", value: pulumi.secret("x") });
    expect((await run.one("aws:ssm/parameter:Parameter", "ktsec")).plain.name).toBe("/multicloud/ktsec-token");
});

test("rejects a handle from another kit", () => {
    const foreign = { cloud: "gcp", networkId: pulumi.output("n"), privateCidrs: [] } as any;
    expect(() => kit.sharedStorage("ktbad", { environment: "dev", network: foreign })).toThrow(
        "aws kit: `network` must be a Network made by the aws kit; got a handle from the gcp kit.",
    );
});
