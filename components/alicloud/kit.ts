import * as alicloud from "@pulumi/alicloud";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle, CreateKit, KitOptions, LoadBalancerHandle, NetworkHandle, SecretHandle, StorageHandle } from "../contracts";
import { handleOwner } from "../core/handle";
import { checkedKit } from "../core/kit";
import { ContainerCluster } from "./container-cluster";
import { ContainerService } from "./container-service";
import { ConverterGroup } from "../kubernetes/converter-group";
import { LoadBalancer } from "./load-balancer";
import { checkLinkSpec } from "../core/link";
import { Link } from "./link";
import { PrivateListener } from "./private-listener";
import { Network } from "./network";
import { SecretParameter } from "./secret-parameter";
import { ServiceRoute } from "./service-route";
import { SharedStorage } from "./shared-storage";
import { VmGroup } from "./vm-group";
import { alicloud as cloud } from "./cloud";
import { ecsInstanceTypes } from "./instance-types";

const own = handleOwner("alicloud");

const asNetwork = (h: NetworkHandle) => own(h, Network, "network");
const asLoadBalancer = (h: LoadBalancerHandle) => own(h, LoadBalancer, "loadBalancer");
const asStorage = (h: StorageHandle) => own(h, SharedStorage, "storage");
const asCluster = (h: ClusterHandle) => own(h, ContainerCluster, "cluster");
const asSecret = (h: SecretHandle, argument: string) => own(h, SecretParameter, argument);

/** The Alibaba Cloud kit: every contract on an explicit provider for the settings' region. */
export const createKit: CreateKit = (settings) => {
    const provider = new alicloud.Provider(`${settings.name}-provider`, { region: settings.region });
    const options = (opts?: KitOptions): pulumi.ComponentResourceOptions => ({
        parent: opts?.parent,
        provider: opts?.provider ?? provider,
        transformations: opts?.transformations,
    });

    return checkedKit({
        cloud: "alicloud",
        instanceTypeOf: (size) => cloud.sizes[size],
        sizeCapacity: (size) => ecsInstanceTypes[cloud.sizes[size]],

        network: (name, spec, opts) => new Network(name, spec, options(opts)),

        loadBalancer(name, { network, ...spec }, opts) {
            const net = asNetwork(network);
            return new LoadBalancer(
                name,
                { ...spec, vpcId: net.networkId, zoneMappings: net.vswitchIds.map((vswitchId, i) => ({ vswitchId, zoneId: net.zoneIds[i] })) },
                options(opts),
            );
        },

        sharedStorage(name, { network, ...spec }, opts) {
            const net = asNetwork(network);
            return new SharedStorage(
                name,
                { ...spec, vpcId: net.networkId, vswitchIds: net.vswitchIds, zoneId: net.zoneIds[0], allowedCidrs: net.privateCidrs },
                options(opts),
            );
        },

        secretParameter: (name, spec, opts) => new SecretParameter(name, spec, options(opts)),

        vmGroup(name, { network, loadBalancer, storage, secrets, size, ...spec }, opts) {
            const net = asNetwork(network);
            const lb = loadBalancer && asLoadBalancer(loadBalancer);
            const nas = storage && asStorage(storage);
            return new VmGroup(
                name,
                {
                    ...spec,
                    instanceType: cloud.sizes[size],
                    region: settings.region,
                    port: spec.port ?? lb?.targetPort,
                    vpcId: net.networkId,
                    vswitchIds: net.vswitchIds,
                    // The ALB reaches the instances from its nodes in the same private vSwitches.
                    ingressCidrs: net.privateCidrs,
                    albServerGroupId: lb?.serverGroupId,
                    nfsMountDomain: nas?.mountTargetDomains[0],
                    secretNames: secrets?.map((s) => s.reference),
                },
                options(opts),
            );
        },

        containerCluster(name, { network, size, ...spec }, opts) {
            const net = asNetwork(network);
            return new ContainerCluster(name, { ...spec, instanceType: cloud.sizes[size], vpcId: net.networkId, vswitchIds: net.vswitchIds }, options(opts));
        },

        containerService(name, spec, opts) {
            const cluster = asCluster(spec.cluster);
            const net = asNetwork(spec.network);
            const lb = spec.loadBalancer && asLoadBalancer(spec.loadBalancer);
            const nas = spec.storage && asStorage(spec.storage);
            const secretValues = Object.fromEntries(
                Object.entries(spec.secretRefs ?? {}).map(([variable, handle]) => [variable, asSecret(handle, `secretRefs.${variable}`).value]),
            );
            if (spec.paths && spec.paths.length > 0 && !lb) {
                throw new Error(`alicloud kit: containerService("${name}") sets \`paths\` without a \`loadBalancer\` to route them on.`);
            }
            // The ALB sends from its zone mappings: the network's private vSwitches.
            const loadBalancerCidrs = net.privateCidrs;
            const nodePort = lb && cluster.nodePortFor(name);
            const service = new ContainerService(
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
                    schedules: spec.schedules,
                    egressAllowCidrs: spec.egressAllowCidrs,
                    variables: spec.variables,
                    logProject: cluster.logProjectName,
                    logRetentionDays: cluster.logRetentionDays,
                    ingressCidrs: net.privateCidrs,
                    exposure: lb && nodePort ? { nodePort, loadBalancerCidrs, healthCheckPath: lb.healthCheckPath } : undefined,
                    sharedFiles: nas && { nfsServer: nas.mountTargetDomains[0] },
                    secretValues,
                },
                { parent: opts?.parent, providers: { kubernetes: cluster.kubernetesProvider }, transformations: opts?.transformations },
            );
            if (lb && nodePort) {
                new ServiceRoute(
                    `${name}-route`,
                    {
                        loadBalancer: lb,
                        service: name,
                        paths: spec.paths,
                        nodePort,
                        scalingGroupId: cluster.scalingGroupId,
                        nodeSecurityGroupId: cluster.securityGroup.id,
                        loadBalancerCidrs,
                    },
                    { parent: service, provider: opts?.provider ?? provider },
                );
            }
            return service;
        },

        converterGroup(name, { cluster, ...spec }, opts) {
            return new ConverterGroup(name, spec, {
                parent: opts?.parent,
                provider: asCluster(cluster).kubernetesProvider,
                transformations: opts?.transformations,
            });
        },

        link(name, spec, opts) {
            checkLinkSpec("alicloud", name, spec);
            return new Link(name, { environment: spec.environment, vpcId: spec.networkId!, asn: spec.asn, ranges: spec.ranges }, options(opts));
        },

        privateListener(name, { network, loadBalancer, ...spec }, opts) {
            const net = asNetwork(network);
            const lb = asLoadBalancer(loadBalancer);
            return new PrivateListener(
                name,
                {
                    environment: spec.environment,
                    vpcId: net.networkId,
                    zoneMappings: net.vswitchIds.map((vswitchId, i) => ({ vswitchId, zoneId: net.zoneIds[i] })),
                    serverGroupId: lb.serverGroupId,
                    certificateId: lb.httpsListener.certificates.apply((c) => c?.certificateId ?? ""),
                    securityPolicyId: lb.httpsListener.securityPolicyId,
                    callers: spec.callers,
                },
                options(opts),
            );
        },
    });
};
