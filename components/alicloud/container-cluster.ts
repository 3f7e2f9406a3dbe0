import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import * as k8s from "@pulumi/kubernetes";
import type { Cloud, ClusterHandle, ContainerClusterSpec } from "../contracts";
import { pickNodePort } from "./service-route";
import { validateCounts } from "../core/validate";

export interface ContainerClusterArgs extends Omit<ContainerClusterSpec, "size"> {
    /** The cloud's own instance type; the kit maps the contract's neutral size to it. */
    instanceType: string;
    /** Private vSwitches for the control plane endpoint, the nodes and (Terway) the pods. */
    vswitchIds: pulumi.Input<string>[];
    vpcId: pulumi.Input<string>;
    /** The Service range; must not overlap the VPC. */
    serviceCidr?: string;
    /** Days the control plane logs are kept: 30 in dev and 90 in prod unless set. */
    logRetentionDays?: number;
}

/**
 * An ACK Pro managed Kubernetes cluster with a private API server endpoint only,
 * Terway networking with NetworkPolicy enforcement, control plane logs and the
 * Log Service agent (logtail) shipping container logs to a project of its own, and
 * a managed node pool that autoscales between `minNodes` and `maxNodes` on
 * encrypted ESSD disks without public addresses. The nodes share a security group
 * that admits only traffic between its members.
 *
 * The `kubernetesProvider` talks to the private endpoint: a plan or update that
 * builds services on the cluster must run from inside the VPC (or over a VPN).
 */
export class ContainerCluster extends pulumi.ComponentResource implements ClusterHandle {
    readonly cloud: Cloud = "alicloud";
    readonly securityGroup: alicloud.ecs.SecurityGroup;
    readonly logProject: alicloud.log.Project;
    readonly cluster: alicloud.cs.ManagedKubernetes;
    readonly nodePool: alicloud.cs.NodePool;
    readonly kubernetesProvider: k8s.Provider;

    readonly clusterId: pulumi.Output<string>;
    readonly logProjectName: pulumi.Output<string>;
    readonly logRetentionDays: number;
    /** The node pool's ESS scaling group, which ALB server groups attach to. */
    readonly scalingGroupId: pulumi.Output<string>;
    private readonly nodePorts = new Map<number, string>();

    constructor(name: string, args: ContainerClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:alicloud:ContainerCluster", name, {}, opts);

        for (const [key, value] of Object.entries({ minNodes: args.minNodes, maxNodes: args.maxNodes })) {
            if (!Number.isInteger(value) || value < 0 || value > 1000) {
                throw new Error(`ContainerCluster: \`${key}\` must be a whole number from 0 to 1000, got ${value}.`);
            }
        }
        validateCounts("ContainerCluster", { min: ["minNodes", args.minNodes], max: ["maxNodes", args.maxNodes] }, { max: 1 });
        if (!/^ecs\.[a-z0-9-]+\.[a-z0-9]+$/.test(args.instanceType)) {
            throw new Error(
                `ContainerCluster: \`instanceType\` must be an ECS instance type such as "ecs.g7.xlarge", got ${JSON.stringify(args.instanceType)}.`,
            );
        }
        if (args.vswitchIds.length === 0) {
            throw new Error("ContainerCluster: `vswitchIds` must list at least one vSwitch; got none.");
        }
        const prod = args.environment === "prod";
        this.logRetentionDays = args.logRetentionDays ?? (prod ? 90 : 30);

        this.securityGroup = new alicloud.ecs.SecurityGroup(
            `${name}-sg`,
            { securityGroupName: name, vpcId: args.vpcId, description: `${name}: cluster nodes`, innerAccessPolicy: "Accept" },
            { parent: this },
        );
        this.logProject = new alicloud.log.Project(
            `${name}-logs`,
            { projectName: `${name}-logs`, description: `${name}: container and control plane logs` },
            { parent: this },
        );
        this.logProjectName = this.logProject.projectName;

        this.cluster = new alicloud.cs.ManagedKubernetes(
            `${name}-ack`,
            {
                name,
                clusterSpec: "ack.pro.small",
                vswitchIds: args.vswitchIds,
                podVswitchIds: args.vswitchIds,
                serviceCidr: args.serviceCidr ?? "172.21.0.0/20",
                securityGroupId: this.securityGroup.id,
                newNatGateway: false,
                slbInternetEnabled: false,
                proxyMode: "ipvs",
                enableRrsa: true,
                deletionProtection: prod,
                controlPlaneLogComponents: ["apiserver", "kcm", "scheduler", "ccm"],
                controlPlaneLogProject: this.logProject.projectName,
                controlPlaneLogTtl: String(this.logRetentionDays),
                addons: [
                    { name: "terway-eniip", config: JSON.stringify({ NetworkPolicy: "true" }) },
                    { name: "csi-plugin" },
                    { name: "csi-provisioner" },
                    {
                        name: "logtail-ds",
                        config: this.logProject.projectName.apply((project) => JSON.stringify({ IngressDashboardEnabled: "false", sls_project_name: project })),
                    },
                ],
            },
            { parent: this, protect: prod },
        );

        this.nodePool = new alicloud.cs.NodePool(
            `${name}-nodes`,
            {
                clusterId: this.cluster.id,
                nodePoolName: `${name}-nodes`,
                vswitchIds: args.vswitchIds,
                instanceTypes: [args.instanceType],
                imageType: "AliyunLinux3",
                systemDiskCategory: "cloud_essd",
                systemDiskSize: 120,
                systemDiskEncrypted: true,
                securityGroupIds: [this.securityGroup.id],
                multiAzPolicy: "BALANCE",
                installCloudMonitor: true,
                scalingConfig: { enable: true, minSize: args.minNodes, maxSize: args.maxNodes, isBondEip: false },
                management: { enable: true, autoRepair: true, maxUnavailable: 1 },
            },
            { parent: this },
        );

        const credential = alicloud.cs.getClusterCredentialOutput({ clusterId: this.cluster.id }, { parent: this });
        this.kubernetesProvider = new k8s.Provider(
            `${name}-k8s`,
            { kubeconfig: pulumi.secret(credential.kubeConfig), enableServerSideApply: true },
            // Workloads wait for nodes to run on; the dependency also names the cluster the objects land on while its kubeconfig is unknown.
            { parent: this, dependsOn: [this.cluster, this.nodePool] },
        );

        this.clusterId = this.cluster.id;
        this.scalingGroupId = this.nodePool.scalingGroupId;
        this.registerOutputs({ clusterId: this.clusterId, logProjectName: this.logProjectName });
    }

    /** The service's node port on this cluster (see `pickNodePort`); asked again, the same port. */
    nodePortFor(service: string): number {
        const port = pickNodePort(service, this.nodePorts);
        this.nodePorts.set(port, service);
        return port;
    }
}
