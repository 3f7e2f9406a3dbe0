import { useMockRuntime } from "../../test/helpers/pulumi";
import { ContainerCluster, type ContainerClusterArgs } from "./container-cluster";

const run = useMockRuntime();

const args = (environment: "dev" | "prod"): ContainerClusterArgs => ({
    environment,
    instanceType: "ecs.g7.xlarge",
    minNodes: 2,
    maxNodes: 5,
    vpcId: "vpc-offline",
    vswitchIds: ["vsw-a", "vsw-b"],
});

describe("ContainerCluster", () => {
    test("ACK Pro with a private API endpoint only, Terway with NetworkPolicy, logtail to its own project", async () => {
        new ContainerCluster("ack-private", args("dev"));
        const cluster = await run.one("alicloud:cs/managedKubernetes:ManagedKubernetes", "ack-private");
        expect(cluster.plain).toMatchObject({ clusterSpec: "ack.pro.small", slbInternetEnabled: false, newNatGateway: false });
        const addons = Object.fromEntries(cluster.plain.addons.map((a: { name: string; config?: string }) => [a.name, a.config]));
        expect(JSON.parse(addons["terway-eniip"])).toEqual({ NetworkPolicy: "true" });
        expect(JSON.parse(addons["logtail-ds"]).sls_project_name).toBe("ack-private-logs");
        expect(cluster.plain.controlPlaneLogTtl).toBe("30");
    });

    test("a node pool that autoscales on encrypted disks without public addresses", async () => {
        new ContainerCluster("ack-pool", args("dev"));
        const pool = await run.one("alicloud:cs/nodePool:NodePool", "ack-pool");
        expect(pool.plain).toMatchObject({
            instanceTypes: ["ecs.g7.xlarge"],
            systemDiskEncrypted: true,
            scalingConfig: { enable: true, minSize: 2, maxSize: 5, isBondEip: false },
        });
        expect(pool.plain.internetMaxBandwidthOut).toBeUndefined();
    });

    test("in prod: deletion protection and protect on the cluster", async () => {
        new ContainerCluster("ack-prod", args("prod"));
        const cluster = await run.one("alicloud:cs/managedKubernetes:ManagedKubernetes", "ack-prod");
        expect(cluster.plain.deletionProtection).toBe(true);
        expect(cluster.options.protect).toBe(true);
    });

    test("a Kubernetes provider from the cluster's credential, kubeconfig kept secret", async () => {
        new ContainerCluster("ack-k8s", args("dev"));
        const provider = await run.one("pulumi:providers:kubernetes", "ack-k8s");
        expect(provider.hasSecretInput).toBe(true);
        expect(provider.plain.kubeconfig).toContain("cs.aliyuncs.com");
    });

    test("rejects min above max and a non-ECS type", () => {
        expect(() => new ContainerCluster("ack-bad-size", { ...args("dev"), minNodes: 6 })).toThrow(
            "ContainerCluster: `minNodes` (6) must not be above `maxNodes` (5).",
        );
        expect(() => new ContainerCluster("ack-bad-count", { ...args("dev"), minNodes: 1.5 })).toThrow(
            "ContainerCluster: `minNodes` must be a whole number from 0 to 1000, got 1.5.",
        );
        expect(() => new ContainerCluster("ack-bad-type", { ...args("dev"), instanceType: "n2-standard-4" })).toThrow(
            'ContainerCluster: `instanceType` must be an ECS instance type such as "ecs.g7.xlarge", got "n2-standard-4".',
        );
        expect(() => new ContainerCluster("ack-novsw", { ...args("dev"), vswitchIds: [] })).toThrow(
            "ContainerCluster: `vswitchIds` must list at least one vSwitch; got none.",
        );
    });
});

test("gives each service a node port in the NodePort range from its name alone, the same on every run, distinct on one cluster", () => {
    const first = new ContainerCluster("ack-ports-a", args("dev"));
    const second = new ContainerCluster("ack-ports-b", args("dev"));
    const names = Array.from({ length: 200 }, (_, i) => `svc-${i}`);
    const ports = names.map((n) => first.nodePortFor(n));
    for (const port of ports) expect(port >= 30000 && port <= 32767).toBe(true);
    expect(new Set(ports).size).toBe(names.length);
    // Another cluster, asked in the reverse order, agrees wherever no two names collide.
    const reversed = new Map(names.toReversed().map((n) => [n, second.nodePortFor(n)]));
    const agreeing = names.filter((n, i) => reversed.get(n) === ports[i]);
    expect(agreeing.length).toBeGreaterThan(names.length * 0.9);
    expect(first.nodePortFor("svc-0")).toBe(ports[0]);
});
