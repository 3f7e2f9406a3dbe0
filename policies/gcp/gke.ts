import type { ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { isInternet } from "../exposure";
import { validateTyped } from "../typed";
import { baseline, cites } from "../controls";
import type { ClusterArgs, NodePoolArgs } from "@pulumi/gcp/container";

const cluster = "gcp:container/cluster:Cluster";
const nodePool = "gcp:container/nodePool:NodePool";
const gkeDocs = "https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster";

export const gcpGkePrivateNodes: ResourceValidationPolicy = {
    name: "gcp-gke-private-nodes",
    description: "GKE clusters must use private nodes (no public IPs on nodes): set `privateClusterConfig.enablePrivateNodes: true`.",
    severity: "high",
    framework: baseline("gcp-gke-private-nodes", "Cluster nodes have no public IP addresses."),
    remediationSteps: 'Set `privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock: "172.16.0.0/28" }` and give the VPC Cloud NAT for egress.',
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/private-clusters",
    tags: [
        "gcp",
        "kubernetes",
        "network",
        `type:${cluster}`,
        `type:${nodePool}`,
        ...cites({ control: "checkov:CKV_GCP_25", types: [cluster] }, { control: "tfsec:google-gke-enable-private-cluster", types: [cluster] }),
    ],
    validateResource: [
        validateTyped<ClusterArgs>(cluster, (props, _args, reportViolation) => {
            if (props.privateClusterConfig?.enablePrivateNodes !== true)
                reportViolation("The cluster's nodes get public IPs: `privateClusterConfig.enablePrivateNodes` is not true.");
        }),
        validateTyped<NodePoolArgs>(nodePool, (props, _args, reportViolation) => {
            if (props.networkConfig?.enablePrivateNodes === false)
                reportViolation("The node pool turns private nodes off (`networkConfig.enablePrivateNodes: false`).");
        }),
    ],
};

export const gcpGkeNoLegacyAbac: ResourceValidationPolicy = {
    name: "gcp-gke-no-legacy-abac",
    description: "GKE clusters must not enable legacy ABAC: leave `enableLegacyAbac` unset or false so RBAC alone authorizes.",
    severity: "high",
    framework: baseline("gcp-gke-no-legacy-abac", "Legacy ABAC authorization is disabled."),
    remediationSteps: "Remove `enableLegacyAbac` or set it to false; grant access with Kubernetes RBAC and IAM.",
    url: `${gkeDocs}#leave_abac_disabled`,
    tags: ["gcp", "kubernetes", "identity", `type:${cluster}`, ...cites("checkov:CKV_GCP_7", "tfsec:google-gke-use-rbac-permissions")],
    validateResource: validateTyped<ClusterArgs>(cluster, (props, _args, reportViolation) => {
        if (props.enableLegacyAbac === true) reportViolation("Legacy ABAC is enabled on the cluster.");
    }),
};

export const gcpGkeMasterAuthorizedNetworks: ResourceValidationPolicy = {
    name: "gcp-gke-master-authorized-networks",
    description:
        "GKE clusters must restrict the control plane to authorized networks: set `masterAuthorizedNetworksConfig.cidrBlocks` to private ranges (never 0.0.0.0/0 or ::/0).",
    severity: "high",
    framework: baseline("gcp-gke-master-authorized-networks", "The control plane endpoint admits only authorized networks."),
    remediationSteps:
        'Add `masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "10.0.0.0/8", displayName: "private" }] }` and keep `gcpPublicCidrsAccessEnabled` false.',
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks",
    tags: ["gcp", "kubernetes", "network", `type:${cluster}`, ...cites("checkov:CKV_GCP_20", "tfsec:google-gke-enable-master-networks")],
    validateResource: validateTyped<ClusterArgs>(cluster, (props, _args, reportViolation) => {
        const config = props.masterAuthorizedNetworksConfig;
        if (!config) return reportViolation("The control plane admits every network: `masterAuthorizedNetworksConfig` is not set.");
        const open = (config.cidrBlocks ?? []).filter((b) => isInternet(b.cidrBlock)).map((b) => b.cidrBlock);
        if (open.length > 0) reportViolation(`The authorized networks include the internet (${open.join(", ")}).`);
        if (config.gcpPublicCidrsAccessEnabled === true)
            reportViolation("The control plane admits all Google Cloud public IPs (`gcpPublicCidrsAccessEnabled`).");
    }),
};

export const gcpGkeNetworkPolicy: ResourceValidationPolicy = {
    name: "gcp-gke-network-policy",
    description:
        'GKE clusters must enforce Kubernetes NetworkPolicies: enable `networkPolicy.enabled` (Calico) or use Dataplane V2 (`datapathProvider: "ADVANCED_DATAPATH"`).',
    severity: "medium",
    framework: baseline("gcp-gke-network-policy", "NetworkPolicy objects are enforced in the cluster."),
    remediationSteps:
        'Set `datapathProvider: "ADVANCED_DATAPATH"`, or `networkPolicy: { enabled: true, provider: "CALICO" }` with `addonsConfig.networkPolicyConfig.disabled: false`.',
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/network-policy",
    tags: ["gcp", "kubernetes", "network", `type:${cluster}`, ...cites("checkov:CKV_GCP_12", "tfsec:google-gke-enable-network-policy")],
    validateResource: validateTyped<ClusterArgs>(cluster, (props, _args, reportViolation) => {
        if (props.datapathProvider === "ADVANCED_DATAPATH") return;
        const calico = props.networkPolicy?.enabled === true && props.addonsConfig?.networkPolicyConfig?.disabled !== true;
        if (!calico) reportViolation("NetworkPolicies are not enforced: neither Dataplane V2 nor `networkPolicy.enabled` with its add-on.");
    }),
};

export const gcpGkeWorkloadIdentity: ResourceValidationPolicy = {
    name: "gcp-gke-workload-identity",
    description:
        "GKE clusters must enable Workload Identity (`workloadIdentityConfig.workloadPool`), and node pools must not expose the node's metadata (`workloadMetadataConfig.mode` GCE_METADATA).",
    severity: "high",
    framework: baseline("gcp-gke-workload-identity", "Pods authenticate as their own service accounts, not the node's."),
    remediationSteps:
        'Set `workloadIdentityConfig: { workloadPool: "<project>.svc.id.goog" }` on the cluster and `nodeConfig.workloadMetadataConfig.mode: "GKE_METADATA"` on node pools.',
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity",
    tags: ["gcp", "kubernetes", "identity", `type:${cluster}`, `type:${nodePool}`, ...cites("checkov:CKV_GCP_69")],
    validateResource: [
        validateTyped<ClusterArgs>(cluster, (props, _args, reportViolation) => {
            if (!props.workloadIdentityConfig?.workloadPool) {
                reportViolation("Workload Identity is off: `workloadIdentityConfig.workloadPool` is not set.");
            }
            metadataServerExposed(props.nodeConfig?.workloadMetadataConfig?.mode, reportViolation);
        }),
        validateTyped<NodePoolArgs>(nodePool, (props, _args, reportViolation) => {
            metadataServerExposed(props.nodeConfig?.workloadMetadataConfig?.mode, reportViolation);
        }),
    ],
};

function metadataServerExposed(mode: string | undefined, reportViolation: ReportViolation): void {
    if (mode === "GCE_METADATA" || mode === "EXPOSE") reportViolation(`Pods reach the node's metadata server (workloadMetadataConfig.mode ${mode}).`);
}

export const gcpGkeShieldedNodes: ResourceValidationPolicy = {
    name: "gcp-gke-shielded-nodes",
    description: "GKE clusters must keep Shielded GKE Nodes on: `enableShieldedNodes` is true by default; never set it to false.",
    severity: "medium",
    framework: baseline("gcp-gke-shielded-nodes", "Cluster nodes are Shielded VMs with verifiable identity."),
    remediationSteps: "Remove `enableShieldedNodes: false` (the default is true).",
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/shielded-gke-nodes",
    tags: ["gcp", "kubernetes", "compute", `type:${cluster}`, ...cites("checkov:CKV_GCP_71", "tfsec:google-gke-node-shielding-enabled")],
    validateResource: validateTyped<ClusterArgs>(cluster, (props, _args, reportViolation) => {
        if (props.enableShieldedNodes === false) reportViolation("Shielded GKE Nodes are turned off.");
    }),
};

export const gcpGkeReleaseChannel: ResourceValidationPolicy = {
    name: "gcp-gke-release-channel",
    description:
        "GKE clusters must be enrolled in a release channel (`releaseChannel.channel` REGULAR, STABLE, RAPID or EXTENDED), so control plane and nodes get security patches.",
    severity: "medium",
    framework: baseline("gcp-gke-release-channel", "GKE versions are managed by a release channel."),
    remediationSteps: 'Set `releaseChannel: { channel: "STABLE" }` (or REGULAR).',
    url: "https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels",
    tags: ["gcp", "kubernetes", "patching", `type:${cluster}`, ...cites("checkov:CKV_GCP_70")],
    validateResource: validateTyped<ClusterArgs>(cluster, (props, _args, reportViolation) => {
        const channel = (props.releaseChannel?.channel ?? "UNSPECIFIED").toUpperCase();
        if (channel === "UNSPECIFIED") reportViolation("The cluster is not enrolled in a release channel.");
    }),
};

export const gcpGkeNodeAutoRepairUpgrade: ResourceValidationPolicy = {
    name: "gcp-gke-node-auto-repair-upgrade",
    description:
        "GKE node pools must keep auto-repair and auto-upgrade on (both on by default): never set `management.autoRepair` or `management.autoUpgrade` to false.",
    severity: "medium",
    framework: baseline("gcp-gke-node-auto-repair-upgrade", "Unhealthy nodes are repaired and nodes follow the control plane's version."),
    remediationSteps: "Remove `autoRepair: false` / `autoUpgrade: false` from the node pool's `management` block.",
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-repair",
    tags: [
        "gcp",
        "kubernetes",
        "reliability",
        `type:${nodePool}`,
        ...cites("checkov:CKV_GCP_9", "checkov:CKV_GCP_10", "tfsec:google-gke-enable-auto-repair", "tfsec:google-gke-enable-auto-upgrade"),
    ],
    validateResource: validateTyped<NodePoolArgs>(nodePool, (props, _args, reportViolation) => {
        const management = props.management ?? {};
        if (management.autoRepair === false) reportViolation("Node auto-repair is off.");
        if (management.autoUpgrade === false) reportViolation("Node auto-upgrade is off.");
    }),
};
