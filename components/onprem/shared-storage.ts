import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { Environment, StorageHandle } from "../contracts";
import { formerly } from "../core/moved";

export interface SharedStorageArgs {
    environment: Environment;
    namespace: pulumi.Input<string>;
    sizeGib?: number;
    /** A ReadWriteMany class backed by encrypted storage (e.g. an NFS CSI class); never the cluster default. */
    storageClassName: string;
    /** Velero backs the namespace up (file-system backup of its volumes) in prod. */
    backup?: { veleroNamespace?: string; schedule?: string; ttl?: string };
}

/**
 * The private-cloud shared storage: a ReadWriteMany PersistentVolumeClaim on a
 * storage class from configuration, usable only by pods of its namespace; in prod
 * protected and backed up daily by a Velero Schedule that carries the claim's labels.
 */
export class SharedStorage extends pulumi.ComponentResource implements StorageHandle {
    readonly cloud = "onprem" as const;
    readonly fileSystemId: pulumi.Output<string>;
    readonly claim: k8s.core.v1.PersistentVolumeClaim;
    readonly backupSchedule?: k8s.apiextensions.CustomResource;

    constructor(name: string, args: SharedStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:onprem:SharedStorage", name, {}, formerly(opts, "multicloud:kubernetes:SharedStorage"));
        const sizeGib = args.sizeGib ?? 100;
        if (!Number.isInteger(sizeGib) || sizeGib < 1) {
            throw new Error(`SharedStorage: \`sizeGib\` must be a whole number >= 1, got ${sizeGib}.`);
        }
        if (!args.storageClassName) {
            throw new Error("SharedStorage: `storageClassName` must name a ReadWriteMany storage class (e.g. nfs-csi); the cluster default is not used.");
        }
        const prod = args.environment === "prod";

        this.claim = new k8s.core.v1.PersistentVolumeClaim(
            `${name}-pvc`,
            {
                metadata: { namespace: args.namespace },
                spec: {
                    accessModes: ["ReadWriteMany"],
                    storageClassName: args.storageClassName,
                    resources: { requests: { storage: `${sizeGib}Gi` } },
                },
            },
            { parent: this, protect: prod },
        );

        if (prod) {
            this.backupSchedule = new k8s.apiextensions.CustomResource(
                `${name}-backup`,
                {
                    apiVersion: "velero.io/v1",
                    kind: "Schedule",
                    // Labelled as the claim it backs up (the cost labels a stack gives every object, too): a
                    // custom resource's kind is in no SDK's list, so nothing else would label it.
                    metadata: { namespace: args.backup?.veleroNamespace ?? "velero", labels: this.claim.metadata.labels },
                    spec: {
                        schedule: args.backup?.schedule ?? "0 2 * * *",
                        template: {
                            includedNamespaces: [args.namespace],
                            defaultVolumesToFsBackup: true,
                            ttl: args.backup?.ttl ?? "720h0m0s",
                        },
                    },
                },
                { parent: this },
            );
        }

        this.fileSystemId = this.claim.metadata.name;
        this.registerOutputs({ fileSystemId: this.fileSystemId });
    }
}
