import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { CreateKit, KitOptions } from "../contracts";
import { handleOwner } from "../core/handle";
import { ConfigError } from "../core/errors";
import { checkedKit } from "../core/kit";
import { ContainerCluster } from "./container-cluster";
import { ContainerService } from "./container-service";
import { ConverterGroup } from "../kubernetes/converter-group";
import { LoadBalancer } from "./load-balancer";
import { checkLinkSpec } from "../core/link";
import { Link } from "./link";
import { PrivateListener } from "./private-listener";
import { gcp as cloud } from "./cloud";
import { machineCapacity } from "./machine-types";
import { kubernetesName } from "../kubernetes/isolated-namespace";
import { Network } from "./network";
import { SecretParameter } from "./secret-parameter";
import { SharedStorage } from "./shared-storage";
import { VmGroup } from "./vm-group";

const own = handleOwner("gcp");

/** The GCP kit: every contract on GCP, through one explicit provider for the settings' project and region. */
export const createKit: CreateKit = (settings) => {
    const project = settings.project;
    if (!project) {
        throw new Error("GCP kit: `project` is required (the GCP project id, multicloud:gcpProject).");
    }
    const region = settings.region;
    const provider = new gcp.Provider(`${settings.name}-provider`, { project, region });
    const options = (opts?: KitOptions): pulumi.ComponentResourceOptions => ({
        parent: opts?.parent,
        provider: opts?.provider ?? provider,
        transformations: opts?.transformations,
    });

    return checkedKit({
        cloud: "gcp",
        instanceTypeOf: (size) => cloud.sizes[size],
        sizeCapacity: (size) => machineCapacity(cloud.sizes[size])!,

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
            const loadBalancer = spec.loadBalancer ? own(spec.loadBalancer, LoadBalancer, "loadBalancer") : undefined;
            const storage = spec.storage ? own(spec.storage, SharedStorage, "storage") : undefined;
            const secrets = (spec.secrets ?? []).map((s, i) => own(s, SecretParameter, `secrets[${i}]`));
            if (loadBalancer && spec.port === undefined) {
                throw new ConfigError(
                    `gcp kit: vmGroup("${name}") sets \`loadBalancer\` but no \`port\`: the load balancer needs the port the instances serve on.`,
                );
            }
            const { network: _network, loadBalancer: _lb, storage: _storage, secrets: _secrets, size: _size, ...vmSpec } = spec;
            const group = new VmGroup(
                name,
                {
                    ...vmSpec,
                    instanceType: cloud.sizes[spec.size],
                    region,
                    project,
                    network,
                    nfsMount: storage ? { host: storage.host, share: storage.shareName } : undefined,
                    secretIds: secrets.map((s) => s.secret.id),
                },
                options(opts),
            );
            // The group's named port `http`, its health check (port and path) and its firewall rule for Google's ranges serve the route.
            loadBalancer?.attach({
                name: kubernetesName(name),
                backends: [{ group: group.instanceGroup, balancingMode: "UTILIZATION", maxUtilization: 0.8, capacityScaler: 1 }],
                portName: "http",
                healthCheck: group.healthCheck!.id,
            });
            return group;
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
                    instanceType: cloud.sizes[spec.size],
                    minNodes: spec.minNodes,
                    maxNodes: spec.maxNodes,
                },
                options(opts),
            );
        },

        containerService: (name, spec, opts) => {
            const cluster = own(spec.cluster, ContainerCluster, "cluster");
            const network = own(spec.network, Network, "network");
            const loadBalancer = spec.loadBalancer ? own(spec.loadBalancer, LoadBalancer, "loadBalancer") : undefined;
            const storage = spec.storage ? own(spec.storage, SharedStorage, "storage") : undefined;
            const secretValues = Object.fromEntries(
                Object.entries(spec.secretRefs ?? {}).map(([variable, handle]) => [variable, own(handle, SecretParameter, `secretRefs.${variable}`).value]),
            );
            if (spec.paths?.length && !loadBalancer) {
                throw new ConfigError(`gcp kit: containerService("${name}") sets \`paths\` but no \`loadBalancer\` to route them on.`);
            }
            const gcpProvider = options(opts).provider as gcp.Provider;
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
                    secretValues,
                    sharedFiles: storage ? { host: storage.host, share: storage.shareName, capacityGib: storage.capacityGib } : undefined,
                    route: loadBalancer
                        ? {
                              loadBalancer,
                              paths: spec.paths,
                              project: cluster.project,
                              zones: cluster.nodeZones,
                              networkId: cluster.networkId,
                              nodeServiceAccountEmail: cluster.nodeServiceAccountEmail,
                              dependsOn: [cluster.nodeServiceAccount],
                          }
                        : undefined,
                },
                { parent: opts?.parent, providers: [cluster.kubernetesProvider, gcpProvider], transformations: opts?.transformations },
            );
        },

        converterGroup: (name, spec, opts) => {
            const cluster = own(spec.cluster, ContainerCluster, "cluster");
            const { cluster: _cluster, ...groupSpec } = spec;
            return new ConverterGroup(name, groupSpec, { parent: opts?.parent, provider: cluster.kubernetesProvider, transformations: opts?.transformations });
        },

        link: (name, spec, opts) => {
            checkLinkSpec("gcp", name, spec);
            return new Link(name, { environment: spec.environment, region, network: spec.networkId!, asn: spec.asn, ranges: spec.ranges }, options(opts));
        },

        privateListener: (name, spec, opts) => {
            const network = own(spec.network, Network, "network");
            const loadBalancer = own(spec.loadBalancer, LoadBalancer, "loadBalancer");
            return new PrivateListener(
                name,
                {
                    environment: spec.environment,
                    region,
                    network: network.networkId,
                    subnetwork: network.subnetworkId,
                    backendServices: [...loadBalancer.routeBackends.values()],
                    port: loadBalancer.targetPort,
                    callers: spec.callers,
                },
                options(opts),
            );
        },
    });
};
