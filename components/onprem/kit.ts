import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { CloudKit, CreateKit, KitOptions, KitSettings, OnPremClusterSettings, StorageHandle } from "../contracts";
import { handleOwner } from "../core/handle";
import { checkedKit } from "../core/kit";
import { ContainerCluster } from "./container-cluster";
import { LoadBalancer } from "./load-balancer";
import { ConfigError } from "../core/errors";
import { checkLinkSpec } from "../core/link";
import { EdgeLink } from "./link";
import { defaultPodLimit, Network, type PodLimit } from "./network";
import { SecretParameter } from "./secret-parameter";
import { SharedStorage } from "./shared-storage";
import { containerServiceWorkload, type DeploymentArgs } from "../kubernetes/deployment";
import { onprem as cloud, withClusterDefaults } from "./cloud";
import { VmGroup } from "./vm-group";

/** What only the private cloud needs; each has a default that fits a stock cluster. */
export interface OnPremSettings extends OnPremClusterSettings {
    podLimit?: PodLimit;
}

export interface OnPremKitSettings extends KitSettings {
    onprem?: OnPremSettings;
}

const own = handleOwner("onprem");

/** The private-cloud kit is a CloudKit; its secrets live in their network's namespace. */
export type OnPremKit = CloudKit;

/** Variables read from the kit's Secrets: each Secret holds its value under its own key. */
const secretEnvOf = (entries: [string, SecretParameter][]): NonNullable<DeploymentArgs["secretEnv"]> =>
    Object.fromEntries(entries.map(([envName, secret]) => [envName, { secretName: secret.reference, key: secret.key }]));

/** The kit's shared storage is a ReadWriteMany claim, mounted at the same path on every cloud. */
const sharedVolumeOf = (storage: StorageHandle): NonNullable<DeploymentArgs["sharedVolume"]> => ({
    claimName: own(storage, SharedStorage, "storage").fileSystemId,
    mountPath: "/mnt/shared",
});

export function createOnPremKit(settings: OnPremKitSettings): OnPremKit {
    // An unset kubeconfig leaves the provider on the ambient one (KUBECONFIG or ~/.kube/config).
    const provider = new k8s.Provider(settings.name, { kubeconfig: settings.kubeconfig, context: settings.kubeContext });
    const onprem = settings.onprem ?? {};
    const { ingressClassName, ingressControllerNamespace, baseDomain, storageClassName, clusterIssuer } = withClusterDefaults(onprem);
    const podLimit = onprem.podLimit ?? defaultPodLimit;
    const networks: Network[] = [];
    const options = (opts?: KitOptions): pulumi.ComponentResourceOptions => ({
        parent: opts?.parent,
        provider: opts?.provider ?? provider,
        transformations: opts?.transformations,
    });

    return checkedKit({
        cloud: "onprem",
        instanceTypeOf: (size) => cloud.sizes[size],
        sizeCapacity: () => ({ cpu: podLimit.cpuMillicores, memoryMiB: podLimit.memoryMiB }),
        network(name, spec, opts) {
            const network = new Network(name, { ...spec, podLimit }, options(opts));
            networks.push(network);
            return network;
        },
        loadBalancer(name, spec, opts) {
            const network = own(spec.network, Network, "network");
            return new LoadBalancer(
                name,
                {
                    environment: spec.environment,
                    namespace: network.namespaceName,
                    host: `${name}.${baseDomain}`,
                    tlsSecretName: spec.certificateId,
                    clusterIssuer,
                    targetPort: spec.targetPort,
                    healthCheckPath: spec.healthCheckPath,
                    ingressClassName,
                },
                options(opts),
            );
        },
        sharedStorage(name, spec, opts) {
            const network = own(spec.network, Network, "network");
            return new SharedStorage(
                name,
                { environment: spec.environment, namespace: network.namespaceName, sizeGib: spec.sizeGib, storageClassName },
                options(opts),
            );
        },
        secretParameter(name, spec, opts) {
            // A Secret lives in a namespace; CloudKit's call names none, so a stack's one network is used.
            if (!spec.network && networks.length !== 1) {
                throw new Error(
                    `onprem kit: secretParameter("${name}") needs a namespace: create exactly one network with this kit first (found ${networks.length}), or pass \`network\`.`,
                );
            }
            const network = spec.network ? own(spec.network, Network, "network") : networks[0];
            return new SecretParameter(
                name,
                { environment: spec.environment, namespace: network.namespaceName, value: spec.value, description: spec.description },
                options(opts),
            );
        },
        vmGroup(name, spec, opts) {
            const { network: networkHandle, loadBalancer, storage, secrets, size: _size, ...group } = spec;
            const network = own(networkHandle, Network, "network");
            const lb = loadBalancer && own(loadBalancer, LoadBalancer, "loadBalancer");
            const owned = (secrets ?? []).map((handle) => own(handle, SecretParameter, "secret"));
            const secretEnv = secretEnvOf(owned.map((secret) => [secret.envName, secret]));
            return new VmGroup(
                name,
                {
                    ...group,
                    namespace: network.namespaceName,
                    healthCheckPath: group.healthCheckPath ?? lb?.healthCheckPath,
                    zoneCount: network.zoneCount,
                    podLabels: lb?.podLabels,
                    ingressFromNamespace: lb ? ingressControllerNamespace : undefined,
                    secretEnv,
                    sharedVolume: storage && sharedVolumeOf(storage),
                },
                options(opts),
            );
        },
        containerCluster(name, spec, opts) {
            const network = own(spec.network, Network, "network");
            return new ContainerCluster(
                name,
                { environment: spec.environment, namespace: network.namespaceName, minNodes: spec.minNodes, maxNodes: spec.maxNodes, podLimit },
                options(opts),
            );
        },
        containerService(name, spec, opts) {
            const cluster = own(spec.cluster, ContainerCluster, "cluster");
            const network = own(spec.network, Network, "network");
            const lb = spec.loadBalancer && own(spec.loadBalancer, LoadBalancer, "loadBalancer");
            return new VmGroup(
                name,
                containerServiceWorkload(spec, {
                    namespace: network.namespaceName,
                    healthCheckPath: lb?.healthCheckPath,
                    zoneCount: network.zoneCount,
                    podLabels: lb?.podLabels,
                    serviceAccountName: cluster.serviceAccountName,
                    env: spec.variables,
                    secretEnv: secretEnvOf(Object.entries(spec.secretRefs ?? {}).map(([envName, handle]) => [envName, own(handle, SecretParameter, "secret")])),
                    sharedVolume: spec.storage && sharedVolumeOf(spec.storage),
                    ingressFromNamespace: lb ? ingressControllerNamespace : undefined,
                    egressAllowCidrs: spec.egressAllowCidrs,
                }),
                options(opts),
            );
        },
        link(name, spec, opts) {
            checkLinkSpec("onprem", name, spec);
            return new EdgeLink(name, { environment: spec.environment, edgeAddresses: spec.edgeAddresses!, asn: spec.asn, ranges: spec.ranges }, options(opts));
        },
        privateListener(name) {
            throw new ConfigError(
                `onprem kit: privateListener("${name}"): callers on other clouds reach the private cloud through its edge router, ` +
                    "which translates and forwards to the workload's ingress; the kits that build one: aws, gcp, alicloud.",
            );
        },
    });
}

export const createKit: CreateKit = createOnPremKit;
