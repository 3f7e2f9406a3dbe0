import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { dnsLabel } from "../kubernetes/isolated-namespace";
import { environments, type Environment, type NetworkHandle } from "../contracts";
import { isIpv4Block } from "../core/cidr";
import { formerly } from "../core/moved";

/** The largest pod the namespace admits (LimitRange type Pod), in the units the kit reports. */
export interface PodLimit {
    cpuMillicores: number;
    memoryMiB: number;
}

export const defaultPodLimit: PodLimit = { cpuMillicores: 2000, memoryMiB: 4096 };

export interface NetworkArgs {
    environment: Environment;
    /** The block from the address plan; recorded on the namespace and reported as its private range. */
    cidr: string;
    /** Zones the namespace's workloads spread over (their topology spread `minDomains`). */
    zoneCount: number;
    /** Name of the namespace; `${name}-${environment}` by default. */
    namespaceName?: string;
    podLimit?: PodLimit;
    /** Where the cluster DNS runs, for the namespace-wide DNS egress rule. */
    dns?: { namespace: string; podLabels: Record<string, string> };
}

/** Annotation keys through which the namespace records what Kubernetes itself has no field for. */
export const addressBlockAnnotation = "multicloud/address-block";
export const zoneCountAnnotation = "multicloud/zone-count";

/**
 * The private-cloud network: a namespace per workload and environment, held to the
 * `restricted` Pod Security Standard, with quotas, a LimitRange and a default-deny
 * NetworkPolicy (ingress and egress); only DNS egress is allowed namespace-wide.
 */
export class Network extends pulumi.ComponentResource implements NetworkHandle {
    readonly cloud = "onprem" as const;
    readonly networkId: pulumi.Output<string>;
    readonly privateCidrs: string[];
    readonly namespaceName: pulumi.Output<string>;
    readonly zoneCount: number;
    readonly podLimit: PodLimit;
    readonly namespace: k8s.core.v1.Namespace;
    readonly quota: k8s.core.v1.ResourceQuota;
    readonly limitRange: k8s.core.v1.LimitRange;
    readonly defaultDeny: k8s.networking.v1.NetworkPolicy;
    readonly allowDns: k8s.networking.v1.NetworkPolicy;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:onprem:Network", name, {}, formerly(opts, "multicloud:kubernetes:Network"));
        if (!environments.includes(args.environment)) {
            throw new Error(`Network: \`environment\` must be one of ${environments.join(", ")}, got ${args.environment}.`);
        }
        if (!isIpv4Block(args.cidr)) {
            throw new Error(`Network: \`cidr\` must be an IPv4 CIDR block such as 10.40.0.0/16, got ${args.cidr}.`);
        }
        if (!Number.isInteger(args.zoneCount) || args.zoneCount < 1) {
            throw new Error(`Network: \`zoneCount\` must be a whole number >= 1, got ${args.zoneCount}.`);
        }
        const namespaceName = args.namespaceName ?? `${name}-${args.environment}`;
        if (!dnsLabel.test(namespaceName)) {
            throw new Error(
                `Network: the namespace name \`${namespaceName}\` must be a DNS label (lowercase letters, digits and dashes, at most 63 characters).`,
            );
        }
        const prod = args.environment === "prod";
        const podLimit = args.podLimit ?? defaultPodLimit;
        const dns = args.dns ?? { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } };

        this.namespace = new k8s.core.v1.Namespace(
            `${name}-ns`,
            {
                metadata: {
                    name: namespaceName,
                    labels: {
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/audit": "restricted",
                        "pod-security.kubernetes.io/warn": "restricted",
                    },
                    annotations: { [addressBlockAnnotation]: args.cidr, [zoneCountAnnotation]: String(args.zoneCount) },
                },
            },
            // Deleting a namespace deletes every volume and secret in it.
            { parent: this, protect: prod },
        );
        const namespace = this.namespace.metadata.name;

        this.quota = new k8s.core.v1.ResourceQuota(
            `${name}-quota`,
            {
                metadata: { namespace },
                spec: {
                    hard: {
                        pods: prod ? "100" : "30",
                        services: "10",
                        // Services reach the namespace only through the ingress controller.
                        "services.nodeports": "0",
                        "services.loadbalancers": "0",
                        persistentvolumeclaims: "10",
                        secrets: "50",
                        configmaps: "50",
                    },
                },
            },
            { parent: this },
        );

        const cpu = `${podLimit.cpuMillicores}m`;
        const memory = `${podLimit.memoryMiB}Mi`;
        this.limitRange = new k8s.core.v1.LimitRange(
            `${name}-limits`,
            {
                metadata: { namespace },
                spec: {
                    limits: [
                        { type: "Pod", max: { cpu, memory } },
                        {
                            type: "Container",
                            max: { cpu, memory },
                            default: { cpu: "500m", memory: "512Mi" },
                            defaultRequest: { cpu: "250m", memory: "256Mi" },
                        },
                    ],
                },
            },
            { parent: this },
        );

        this.defaultDeny = new k8s.networking.v1.NetworkPolicy(
            `${name}-default-deny`,
            {
                metadata: { namespace },
                spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
            },
            { parent: this },
        );

        this.allowDns = new k8s.networking.v1.NetworkPolicy(
            `${name}-allow-dns`,
            {
                metadata: { namespace },
                spec: {
                    podSelector: {},
                    policyTypes: ["Egress"],
                    egress: [
                        {
                            to: [
                                {
                                    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": dns.namespace } },
                                    podSelector: { matchLabels: dns.podLabels },
                                },
                            ],
                            ports: [
                                { protocol: "UDP", port: 53 },
                                { protocol: "TCP", port: 53 },
                            ],
                        },
                    ],
                },
            },
            { parent: this },
        );

        this.namespaceName = namespace;
        this.networkId = namespace;
        this.privateCidrs = [args.cidr];
        this.zoneCount = args.zoneCount;
        this.podLimit = podLimit;
        this.registerOutputs({ networkId: this.networkId, privateCidrs: this.privateCidrs });
    }
}
