import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const cluster = {
    location: "europe-west1",
    privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock: "172.16.0.0/28" },
    masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "10.0.0.0/8" }] },
    networkPolicy: { enabled: true, provider: "CALICO" },
    workloadIdentityConfig: { workloadPool: "p.svc.id.goog" },
    releaseChannel: { channel: "STABLE" },
};
const gke = (overrides: Record<string, unknown> = {}) => [
    { type: "gcp:container/cluster:Cluster", inputs: JSON.parse(JSON.stringify({ ...cluster, ...overrides })) },
];
const pool = (inputs: Record<string, unknown>) => [{ type: "gcp:container/nodePool:NodePool", inputs: { cluster: "c", ...inputs } }];
const clusterPolicies = [
    "gcp-gke-private-nodes",
    "gcp-gke-no-legacy-abac",
    "gcp-gke-master-authorized-networks",
    "gcp-gke-network-policy",
    "gcp-gke-workload-identity",
    "gcp-gke-shielded-nodes",
    "gcp-gke-release-channel",
];

test("a hardened cluster and a default node pool pass", async () => {
    const hits = await pack.policiesHit([...gke(), ...pool({})]);
    for (const name of [...clusterPolicies, "gcp-gke-node-auto-repair-upgrade"]) expect(hits).not.toContain(name);
});

test.each([
    ["gcp-gke-private-nodes", { privateClusterConfig: undefined }],
    ["gcp-gke-no-legacy-abac", { enableLegacyAbac: true }],
    ["gcp-gke-master-authorized-networks", { masterAuthorizedNetworksConfig: undefined }],
    ["gcp-gke-master-authorized-networks", { masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "::/0" }] } }],
    ["gcp-gke-network-policy", { networkPolicy: undefined }],
    ["gcp-gke-workload-identity", { workloadIdentityConfig: undefined }],
    ["gcp-gke-shielded-nodes", { enableShieldedNodes: false }],
    ["gcp-gke-release-channel", { releaseChannel: undefined }],
    ["gcp-gke-release-channel", { releaseChannel: { channel: "UNSPECIFIED" } }],
])("%s blocks %j", async (name, overrides) => {
    expect(await pack.policiesHit(gke(overrides))).toContain(name);
});

test("Dataplane V2 enforces NetworkPolicies without the Calico setting", async () => {
    expect(await pack.policiesHit(gke({ networkPolicy: undefined, datapathProvider: "ADVANCED_DATAPATH" }))).not.toContain("gcp-gke-network-policy");
});

test("node pools: auto-repair and auto-upgrade off, node metadata exposed", async () => {
    expect(await pack.policiesHit(pool({ management: { autoRepair: false } }))).toContain("gcp-gke-node-auto-repair-upgrade");
    expect(await pack.policiesHit(pool({ management: { autoUpgrade: false, autoRepair: true } }))).toContain("gcp-gke-node-auto-repair-upgrade");
    expect(await pack.policiesHit(pool({ nodeConfig: { workloadMetadataConfig: { mode: "GCE_METADATA" } } }))).toContain("gcp-gke-workload-identity");
    expect(await pack.policiesHit(pool({ networkConfig: { enablePrivateNodes: false } }))).toContain("gcp-gke-private-nodes");
});
