import { useMockRuntime } from "../../test/helpers/pulumi";
import { ContainerCluster, type ContainerClusterArgs } from "./container-cluster";

const run = useMockRuntime();

const args = (changes: Partial<ContainerClusterArgs> = {}): ContainerClusterArgs => ({
    environment: "dev",
    region: "europe-west1",
    project: "marketplace-analytics",
    network: { networkId: "net", subnetworkId: "sub", zones: ["europe-west1-b", "europe-west1-c"], privateCidrs: ["10.20.0.0/20"] },
    instanceType: "e2-standard-4",
    minNodes: 1,
    maxNodes: 3,
    ...changes,
});

test("private nodes, authorized networks, Workload Identity, Shielded nodes, release channel, network policy, no ABAC", async () => {
    new ContainerCluster("c1", args());
    const cluster = await run.one("gcp:container/cluster:Cluster", "c1");
    expect(cluster.plain.privateClusterConfig.enablePrivateNodes).toBe(true);
    expect(cluster.plain.masterAuthorizedNetworksConfig.cidrBlocks).toEqual([{ displayName: "private-0", cidrBlock: "10.20.0.0/20" }]);
    expect(cluster.plain.workloadIdentityConfig.workloadPool).toBe("marketplace-analytics.svc.id.goog");
    expect(cluster.plain.enableShieldedNodes).toBe(true);
    expect(cluster.plain.releaseChannel.channel).toBe("REGULAR");
    expect(cluster.plain.networkPolicy.enabled).toBe(true);
    expect(cluster.plain.enableLegacyAbac).toBe(false);
    expect(cluster.plain.removeDefaultNodePool).toBe(true);
    expect(cluster.plain.loggingConfig.enableComponents).toContain("WORKLOADS");
    expect(cluster.plain.deletionProtection).toBe(false);
});

test("node pool: autoscaling, auto-repair and auto-upgrade, surge upgrades, Shielded and GKE metadata", async () => {
    new ContainerCluster("c2", args());
    const pool = await run.one("gcp:container/nodePool:NodePool", "c2");
    expect(pool.plain.autoscaling).toMatchObject({ totalMinNodeCount: 1, totalMaxNodeCount: 3 });
    expect(pool.plain.management).toEqual({ autoRepair: true, autoUpgrade: true });
    expect(pool.plain.upgradeSettings).toEqual({ strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 });
    expect(pool.plain.nodeConfig.shieldedInstanceConfig).toEqual({ enableSecureBoot: true, enableIntegrityMonitoring: true });
    expect(pool.plain.nodeConfig.workloadMetadataConfig.mode).toBe("GKE_METADATA");
});

test("prod: protected, deletion protection on, stable channel", async () => {
    new ContainerCluster("c3", args({ environment: "prod" }));
    const cluster = await run.one("gcp:container/cluster:Cluster", "c3");
    expect(cluster.options.protect).toBe(true);
    expect(cluster.plain.deletionProtection).toBe(true);
    expect(cluster.plain.releaseChannel.channel).toBe("STABLE");
});

test("a Kubernetes provider built from the cluster, with no static credentials", async () => {
    const c = new ContainerCluster("c4", args());
    const provider = await run.one("pulumi:providers:kubernetes", "c4");
    expect(provider.hasSecretInput).toBe(true);
    expect(provider.plain.kubeconfig).toContain("gke-gcloud-auth-plugin");
    expect(c.kubernetesProvider).toBeDefined();
});

test.each([
    [{ minNodes: 4, maxNodes: 3 }, /`minNodes` and `maxNodes` must be whole numbers with 0 <= minNodes <= maxNodes and maxNodes >= 1, got 4 and 3/],
    [{ instanceType: "" }, /`instanceType` must name a machine type/],
    [{ masterAuthorizedNetworks: [{ displayName: "all", cidrBlock: "0.0.0.0/0" }] }, /`masterAuthorizedNetworks` must not contain 0.0.0.0\/0/],
])("rejects %j", (changes, message) => {
    expect(() => new ContainerCluster("bad", args(changes))).toThrow(message);
});
