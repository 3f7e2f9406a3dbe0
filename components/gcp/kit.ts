import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { CloudKit, CreateKit, KitOptions } from "../contracts";
import { ownHandle } from "../core/handle";
import { checkedKit } from "../core/kit";
import { ContainerCluster } from "./container-cluster";
import { ContainerService } from "./container-service";
import { ConverterGroup } from "../kubernetes/converter-group";
import { LoadBalancer } from "./load-balancer";
import { machineCapacity, sizeTypes } from "./machine-types";
import { Network } from "./network";
import { SecretParameter } from "./secret-parameter";
import { SharedStorage } from "./shared-storage";
import { VmGroup } from "./vm-group";

const own = <T>(handle: unknown, kind: abstract new (...args: any[]) => T, argument: string): T => ownHandle("gcp", handle, kind, argument);

/** The GCP kit: every contract on GCP, through one explicit provider for the settings' project and region. */
export const createKit: CreateKit = (settings) => {
    const project = settings.project;
    if (!project) {
        throw new Error("GCP kit: `project` is required (the GCP project id, multicloud:gcpProject).");
    }
    const region = settings.region;
    const provider = new gcp.Provider(`${settings.name}-provider`, { project, region });
    const options = (opts?: KitOptions): pulumi.ComponentResourceOptions => ({ parent: opts?.parent, provider: opts?.provider ?? provider });

    return checkedKit<CloudKit>({
        cloud: "gcp",
        instanceTypeOf: (size) => sizeTypes[size],
        sizeCapacity: (size) => machineCapacity(sizeTypes[size])!,

        network: (name, spec, opts) =>
            new Network(
                name,
                { environment: spec.environment, region, cidr: spec.cidr, zoneCount: spec.zoneCount, secondaryRanges: spec.secondaryRanges },
                options(opts),
            ),

        loadBalancer: (name, spec, opts) => {
            own(spec.network, Network, "network");
            return new LoadBalancer(
                name,
                { environment: spec.environment, certificateId: spec.certificateId, targetPort: spec.targetPort, healthCheckPath: spec.healthCheckPath },
                options(opts),
            );
        },

        sharedStorage: (name, spec, opts) => {
            const network = own(spec.network, Network, "network");
            return new SharedStorage(name, { environment: spec.environment, region, network, sizeGib: spec.sizeGib }, options(opts));
        },

        secretParameter: (name, spec, opts) =>
            new SecretParameter(name, { environment: spec.environment, value: spec.value, description: spec.description }, options(opts)),

        vmGroup: (name, spec, opts) => {
            const network = own(spec.network, Network, "network");
            const storage = spec.storage ? own(spec.storage, SharedStorage, "storage") : undefined;
            const secrets = (spec.secrets ?? []).map((s, i) => own(s, SecretParameter, `secrets[${i}]`));
            const { network: _network, loadBalancer: _lb, storage: _storage, secrets: _secrets, size: _size, ...vmSpec } = spec;
            return new VmGroup(
                name,
                {
                    ...vmSpec,
                    instanceType: sizeTypes[spec.size],
                    region,
                    project,
                    network,
                    nfsMount: storage ? { host: storage.host, share: storage.shareName } : undefined,
                    secretIds: secrets.map((s) => s.secret.id),
                },
                options(opts),
            );
        },

        containerCluster: (name, spec, opts) => {
            const network = own(spec.network, Network, "network");
            return new ContainerCluster(
                name,
                {
                    environment: spec.environment,
                    region,
                    project,
                    network,
                    instanceType: sizeTypes[spec.size],
                    minNodes: spec.minNodes,
                    maxNodes: spec.maxNodes,
                },
                options(opts),
            );
        },

        containerService: (name, spec, opts) => {
            const cluster = own(spec.cluster, ContainerCluster, "cluster");
            const network = own(spec.network, Network, "network");
            const secretReferences = Object.fromEntries(
                Object.entries(spec.secretRefs ?? {}).map(([key, handle]) => [key, own(handle, SecretParameter, `secretRefs.${key}`).reference]),
            );
            return new ContainerService(
                name,
                {
                    environment: spec.environment,
                    image: spec.image,
                    cpu: spec.cpu,
                    memory: spec.memory,
                    port: spec.port,
                    desiredCount: spec.desiredCount,
                    minCount: spec.minCount,
                    maxCount: spec.maxCount,
                    variables: spec.variables,
                    schedules: spec.schedules,
                    egressAllowCidrs: spec.egressAllowCidrs,
                    ingressCidrs: [...network.privateCidrs, network.podsCidr],
                    secretReferences,
                },
                { parent: opts?.parent, provider: cluster.kubernetesProvider },
            );
        },

        converterGroup: (name, spec, opts) => {
            const cluster = own(spec.cluster, ContainerCluster, "cluster");
            const { cluster: _cluster, ...groupSpec } = spec;
            return new ConverterGroup(name, groupSpec, { parent: opts?.parent, provider: cluster.kubernetesProvider });
        },
    });
};
