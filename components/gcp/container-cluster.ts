import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import type { Cloud, ClusterHandle, Environment } from "../contracts";
import { podsRangeName, servicesRangeName } from "./network";
import { serviceAccountId } from "./service-account-id";

export interface ContainerClusterArgs {
    environment: Environment;
    region: string;
    /** The project, for the Workload Identity pool `<project>.svc.id.goog`. */
    project: string;
    network: {
        networkId: pulumi.Input<string>;
        subnetworkId: pulumi.Input<string>;
        zones: pulumi.Input<string[]>;
        privateCidrs: string[];
    };
    instanceType: string;
    minNodes: number;
    maxNodes: number;
    /** Who may reach the control plane; the network's private ranges when unset. */
    masterAuthorizedNetworks?: { displayName: string; cidrBlock: string }[];
    /** The control plane's private /28, outside every range of the network. */
    masterCidr?: string;
}

/**
 * A regional GKE cluster with private nodes, an authorized-networks list on the
 * control plane, Workload Identity, Shielded nodes, a release channel, network
 * policy enforcement and system plus workload logs. The default node pool is
 * removed; one separately managed node pool autoscales, repairs and upgrades
 * itself with surge upgrades (one extra node, none taken away).
 * `kubernetesProvider` talks to the cluster, for services and converter groups.
 */
export class ContainerCluster extends pulumi.ComponentResource implements ClusterHandle {
    readonly cloud: Cloud = "gcp";
    readonly environment: Environment;
    readonly nodeServiceAccount: gcp.serviceaccount.Account;
    /** The nodes' service account email, built from its id and the project so it is known at preview. */
    readonly nodeServiceAccountEmail: string;
    readonly cluster: gcp.container.Cluster;
    readonly nodePool: gcp.container.NodePool;
    readonly kubeconfig: pulumi.Output<string>;
    readonly kubernetesProvider: k8s.Provider;
    /** Pod and node ranges that Kubernetes network policies admit as "inside the cluster". */
    readonly internalCidrs: string[];
    /** Where the nodes run, and so where GKE makes a service's network endpoint groups. */
    readonly project: string;
    readonly nodeZones: pulumi.Output<string[]>;
    readonly networkId: pulumi.Output<string>;

    constructor(name: string, args: ContainerClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:gcp:ContainerCluster", name, {}, opts);
        const { minNodes, maxNodes } = args;
        if (!Number.isInteger(minNodes) || !Number.isInteger(maxNodes) || minNodes < 0 || maxNodes < 1 || minNodes > maxNodes) {
            throw new Error(
                `ContainerCluster: \`minNodes\` and \`maxNodes\` must be whole numbers with 0 <= minNodes <= maxNodes and maxNodes >= 1, got ${minNodes} and ${maxNodes}.`,
            );
        }
        if (!args.instanceType) {
            throw new Error("ContainerCluster: `instanceType` must name a machine type (e.g. e2-standard-4), got an empty string.");
        }
        const authorized = args.masterAuthorizedNetworks ?? args.network.privateCidrs.map((cidr, i) => ({ displayName: `private-${i}`, cidrBlock: cidr }));
        if (authorized.some((n) => n.cidrBlock === "0.0.0.0/0")) {
            throw new Error("ContainerCluster: `masterAuthorizedNetworks` must not contain 0.0.0.0/0; list the office, VPN or CI ranges instead.");
        }
        const prod = args.environment === "prod";
        this.environment = args.environment;
        this.internalCidrs = args.network.privateCidrs;
        this.project = args.project;
        this.nodeServiceAccountEmail = `${serviceAccountId(`${name}-nodes`)}@${args.project}.iam.gserviceaccount.com`;
        this.nodeZones = pulumi.output(args.network.zones);
        this.networkId = pulumi.output(args.network.networkId);

        this.nodeServiceAccount = new gcp.serviceaccount.Account(
            `${name}-nodes`,
            { accountId: serviceAccountId(`${name}-nodes`), displayName: `Nodes of ${name}` },
            { parent: this },
        );
        new gcp.projects.IAMMember(
            `${name}-nodes-role`,
            {
                project: args.project,
                role: "roles/container.defaultNodeServiceAccount",
                member: pulumi.interpolate`serviceAccount:${this.nodeServiceAccount.email}`,
            },
            { parent: this },
        );

        this.cluster = new gcp.container.Cluster(
            `${name}-gke`,
            {
                location: args.region,
                nodeLocations: args.network.zones,
                network: args.network.networkId,
                subnetwork: args.network.subnetworkId,
                // The default pool cannot be configured like ours; GKE needs one node to start, then it goes.
                removeDefaultNodePool: true,
                initialNodeCount: 1,
                networkingMode: "VPC_NATIVE",
                ipAllocationPolicy: { clusterSecondaryRangeName: podsRangeName, servicesSecondaryRangeName: servicesRangeName },
                privateClusterConfig: {
                    enablePrivateNodes: true,
                    enablePrivateEndpoint: false,
                    masterIpv4CidrBlock: args.masterCidr ?? "172.16.0.0/28",
                },
                masterAuthorizedNetworksConfig: { cidrBlocks: authorized },
                masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
                enableLegacyAbac: false,
                enableShieldedNodes: true,
                workloadIdentityConfig: { workloadPool: `${args.project}.svc.id.goog` },
                releaseChannel: { channel: prod ? "STABLE" : "REGULAR" },
                networkPolicy: { enabled: true, provider: "CALICO" },
                addonsConfig: { networkPolicyConfig: { disabled: false } },
                loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS"] },
                monitoringConfig: { enableComponents: ["SYSTEM_COMPONENTS"] },
                deletionProtection: prod,
            },
            { parent: this, protect: prod },
        );

        this.nodePool = new gcp.container.NodePool(
            `${name}-pool`,
            {
                cluster: this.cluster.id,
                location: args.region,
                nodeLocations: args.network.zones,
                autoscaling: { totalMinNodeCount: minNodes, totalMaxNodeCount: maxNodes, locationPolicy: "BALANCED" },
                management: { autoRepair: true, autoUpgrade: true },
                upgradeSettings: { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 },
                nodeConfig: {
                    machineType: args.instanceType,
                    diskType: "pd-balanced",
                    imageType: "COS_CONTAINERD",
                    serviceAccount: this.nodeServiceAccount.email,
                    oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
                    workloadMetadataConfig: { mode: "GKE_METADATA" },
                    metadata: { "disable-legacy-endpoints": "true" },
                },
            },
            // The autoscaler owns the node count.
            { parent: this, ignoreChanges: ["nodeCount", "initialNodeCount"] },
        );

        // gke-gcloud-auth-plugin, as `gcloud container clusters get-credentials` writes it: no static credentials.
        this.kubeconfig = pulumi.secret(
            pulumi.all([this.cluster.name, this.cluster.endpoint, this.cluster.masterAuth]).apply(([clusterName, endpoint, auth]) =>
                JSON.stringify({
                    apiVersion: "v1",
                    kind: "Config",
                    clusters: [{ name: clusterName, cluster: { server: `https://${endpoint}`, "certificate-authority-data": auth?.clusterCaCertificate } }],
                    users: [
                        {
                            name: clusterName,
                            user: {
                                exec: {
                                    apiVersion: "client.authentication.k8s.io/v1beta1",
                                    command: "gke-gcloud-auth-plugin",
                                    provideClusterInfo: true,
                                    interactiveMode: "IfAvailable",
                                    installHint: "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
                                },
                            },
                        },
                    ],
                    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
                    "current-context": clusterName,
                }),
            ),
        );
        this.kubernetesProvider = new k8s.Provider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig, enableServerSideApply: true },
            { parent: this, dependsOn: [this.nodePool] },
        );

        this.registerOutputs({ clusterName: this.cluster.name, endpoint: this.cluster.endpoint });
    }
}
