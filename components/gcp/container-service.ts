import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ContainerServiceSpec, Environment } from "../contracts";
import { containerServiceWorkload, VmGroup } from "../kubernetes/vm-group";
import { HpaSchedule } from "../kubernetes/hpa-schedule";
import { dnsEgress, isolatedNamespace, kubernetesName } from "../kubernetes/isolated-namespace";

export interface ContainerServiceArgs extends ContainerServiceSpec {
    /** prod makes the workload module insist on images pinned by digest. */
    environment?: Environment;
    /** Ranges allowed to reach the service's port (the network's private ranges). */
    ingressCidrs: string[];
    /** Environment variable name -> Secret Manager resource name, read by the app through Workload Identity. */
    secretReferences?: Record<string, pulumi.Input<string>>;
    overrides?: {
        deployment?: Partial<k8s.apps.v1.DeploymentArgs>;
    };
}

/**
 * A service on GKE: the Kubernetes workload module (a Deployment whose rollout
 * keeps every replica serving and stops on a failed rollout, a CPU
 * HorizontalPodAutoscaler, a PodDisruptionBudget, probes, the restricted
 * security context, campaigns), a ClusterIP Service, and a namespace that denies all traffic except the
 * service port from the given ranges, DNS and the egress allow-lists.
 * Create it with the cluster's Kubernetes provider in the component's options.
 */
export class ContainerService extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;
    readonly defaultDeny: k8s.networking.v1.NetworkPolicy;
    readonly allowPolicy: k8s.networking.v1.NetworkPolicy;
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service: k8s.core.v1.Service;
    readonly autoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    /** CronJobs that raise the HPA's minimum for campaigns (the same as on the private cloud). */
    readonly campaigns?: HpaSchedule;
    /** The Kubernetes workload module that holds the Deployment, HPA, PDB and campaigns. */
    readonly workload: VmGroup;

    constructor(name: string, args: ContainerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:gcp:ContainerService", name, {}, opts);
        const { minCount, desiredCount, maxCount } = args;
        if (!(Number.isInteger(minCount) && minCount >= 1 && minCount <= desiredCount && desiredCount <= maxCount)) {
            throw new Error(
                `ContainerService: \`minCount\` <= \`desiredCount\` <= \`maxCount\` with minCount >= 1 is required, got ${minCount}, ${desiredCount}, ${maxCount}.`,
            );
        }
        if (!(args.cpu > 0 && args.memory > 0)) {
            throw new Error(`ContainerService: \`cpu\` (millicores) and \`memory\` (MiB) must be above 0, got ${args.cpu} and ${args.memory}.`);
        }
        const appName = kubernetesName(name);
        const labels = { app: appName };
        ({ namespace: this.namespace, defaultDeny: this.defaultDeny } = isolatedNamespace(name, this));
        const ns = this.namespace.metadata.name;

        const egressRules: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [dnsEgress];
        if (args.egressAllowCidrs) {
            const cidrs = Object.values(args.egressAllowCidrs).flat();
            if (cidrs.length > 0) egressRules.push({ to: cidrs.map((cidr) => ({ ipBlock: { cidr } })) });
        } else {
            egressRules.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] });
        }
        this.allowPolicy = new k8s.networking.v1.NetworkPolicy(
            `${name}-allow`,
            {
                metadata: { name: `${appName}-allow`.slice(0, 63), namespace: ns },
                spec: {
                    podSelector: { matchLabels: labels },
                    policyTypes: ["Ingress", "Egress"],
                    ingress: [{ from: args.ingressCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: args.port }] }],
                    egress: egressRules,
                },
            },
            { parent: this },
        );

        // The one Kubernetes workload module: Deployment, HPA, PDB, probes, hardening and campaigns, as on the private cloud and ACK.
        this.workload = new VmGroup(
            name,
            containerServiceWorkload(args, {
                namespace: ns,
                podLabels: labels,
                env: {
                    ...args.variables,
                    ...Object.fromEntries(Object.entries(args.secretReferences ?? {}).map(([k, value]) => [`${k}_SECRET_NAME`, value])),
                },
                overrides: { deployment: args.overrides?.deployment },
            }),
            { parent: this },
        );
        this.deployment = this.workload.deployment;
        this.autoscaler = this.workload.autoscaler;
        this.campaigns = this.workload.campaigns;
        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            { metadata: { name: appName, namespace: ns, labels }, spec: { selector: labels, ports: [{ name: "http", port: args.port, targetPort: "http" }] } },
            { parent: this },
        );
        this.registerOutputs({ namespace: ns, service: this.service.metadata.name });
    }
}
