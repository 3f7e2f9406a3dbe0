/**
 * What a container service on a managed cluster (GKE, ACK) mounts, built the
 * same way on both: its secret values in a Kubernetes Secret the pods read with
 * `secretKeyRef`, and the cloud's NFS share through a PersistentVolume bound by
 * name to one ReadWriteMany claim. The workload module (deployment.ts) takes the
 * results as `secretEnv` and `sharedVolume`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { DeploymentArgs } from "./deployment";

interface Placement {
    /** The Kubernetes name the objects' names start with. */
    objectName: string;
    namespace: pulumi.Input<string>;
    labels: Record<string, string>;
    opts: pulumi.CustomResourceOptions;
}

/**
 * The service's secret values as one Secret, each variable read from its own
 * key: the container gets the value at start, and the value stays a Pulumi secret.
 */
export function secretValuesEnv(
    name: string,
    values: Record<string, pulumi.Input<string>> | undefined,
    { objectName, namespace, labels, opts }: Placement,
): { secret?: k8s.core.v1.Secret; secretEnv: NonNullable<DeploymentArgs["secretEnv"]> } {
    if (!values || Object.keys(values).length === 0) return { secretEnv: {} };
    const secret = new k8s.core.v1.Secret(
        `${name}-secrets`,
        {
            metadata: { name: `${objectName}-secrets`.slice(0, 63), namespace, labels },
            type: "Opaque",
            stringData: Object.fromEntries(Object.entries(values).map(([variable, value]) => [variable, pulumi.secret(value)])),
        },
        opts,
    );
    const secretEnv = Object.fromEntries(Object.keys(values).map((variable) => [variable, { secretName: secret.metadata.name, key: variable }]));
    return { secret, secretEnv };
}

export interface NfsShare {
    server: pulumi.Input<string>;
    path: string;
    /** What the claim asks for; on elastic file systems only what pairs it with its volume. */
    capacity: string;
    mountOptions: string[];
    mountPath?: string;
}

/**
 * The share as a PersistentVolume (cluster-wide, named after the service so
 * services keep apart, reclaim Retain) and one claim bound to it by name, never
 * provisioned by a storage class. Both are protected in prod: deleting either
 * unmounts the files of every pod.
 */
export function nfsSharedVolume(
    name: string,
    share: NfsShare,
    { objectName, namespace, labels, opts }: Placement,
    protect: boolean,
): { volume: k8s.core.v1.PersistentVolume; claim: k8s.core.v1.PersistentVolumeClaim; sharedVolume: NonNullable<DeploymentArgs["sharedVolume"]> } {
    const volume = new k8s.core.v1.PersistentVolume(
        `${name}-volume`,
        {
            metadata: { name: `${objectName}-files`.slice(0, 63), labels },
            spec: {
                capacity: { storage: share.capacity },
                accessModes: ["ReadWriteMany"],
                persistentVolumeReclaimPolicy: "Retain",
                storageClassName: "",
                mountOptions: share.mountOptions,
                nfs: { server: share.server, path: share.path },
            },
        },
        { parent: opts.parent, protect },
    );
    const claim = new k8s.core.v1.PersistentVolumeClaim(
        `${name}-claim`,
        {
            metadata: { name: "shared-files", namespace, labels },
            spec: {
                accessModes: ["ReadWriteMany"],
                storageClassName: "",
                volumeName: volume.metadata.name,
                resources: { requests: { storage: share.capacity } },
            },
        },
        { ...opts, protect },
    );
    return { volume, claim, sharedVolume: { claimName: claim.metadata.name, mountPath: share.mountPath ?? "/mnt/shared" } };
}
