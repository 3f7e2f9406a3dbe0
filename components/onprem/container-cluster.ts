import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ClusterHandle, Environment } from "../contracts";
import type { PodLimit } from "./network";
import { formerly } from "../core/moved";
import { validateCounts } from "../core/validate";

export interface ContainerClusterArgs {
    environment: Environment;
    /** The tenancy's namespace (from the Network). */
    namespace: pulumi.Input<string>;
    /** On an existing cluster a "node" is one full-size pod slot: the compute quota holds maxNodes of them. */
    minNodes: number;
    maxNodes: number;
    /** The namespace's largest pod (its LimitRange), the size of one slot. */
    podLimit: PodLimit;
}

/**
 * The private-cloud container cluster: a tenancy on the existing cluster, that is a
 * service account without an automounted token and a compute quota, in the
 * Network's namespace.
 */
export class ContainerCluster extends pulumi.ComponentResource implements ClusterHandle {
    readonly cloud = "onprem" as const;
    readonly namespace: pulumi.Output<string>;
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    readonly quota: k8s.core.v1.ResourceQuota;
    readonly serviceAccountName: pulumi.Output<string>;

    constructor(name: string, args: ContainerClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:onprem:ContainerCluster", name, {}, formerly(opts, "multicloud:kubernetes:ContainerCluster"));
        validateCounts("ContainerCluster", { min: ["minNodes", args.minNodes], max: ["maxNodes", args.maxNodes] }, { min: 1, max: 1 });

        this.serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            {
                metadata: { namespace: args.namespace },
                automountServiceAccountToken: false,
            },
            { parent: this },
        );

        const cpu = `${args.maxNodes * args.podLimit.cpuMillicores}m`;
        const memory = `${args.maxNodes * args.podLimit.memoryMiB}Mi`;
        this.quota = new k8s.core.v1.ResourceQuota(
            `${name}-compute`,
            {
                metadata: { namespace: args.namespace },
                spec: { hard: { "requests.cpu": cpu, "limits.cpu": cpu, "requests.memory": memory, "limits.memory": memory } },
            },
            { parent: this },
        );

        this.namespace = pulumi.output(args.namespace);
        this.serviceAccountName = this.serviceAccount.metadata.name;
        this.registerOutputs({ serviceAccountName: this.serviceAccountName });
    }
}
