import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { CreateKit, KitOptions } from "../contracts";
import { handleOwner } from "../core/handle";
import { checkedKit } from "../core/kit";
import { ContainerCluster } from "./container-cluster";
import { ContainerService, type ServiceSecret } from "./container-service";
import { aws as cloud } from "./cloud";
import { instanceCapacity } from "./instance-types";
import { ListenerRoute } from "./listener-route";
import { checkLinkSpec } from "../core/link";
import { Link } from "./link";
import { PrivateListener } from "./private-listener";
import { LoadBalancer } from "./load-balancer";
import { Network } from "./network";
import { SecretParameter } from "./secret-parameter";
import { efsMountOf, SharedStorage } from "./shared-storage";
import { VmGroup } from "./vm-group";

const own = handleOwner("aws");

/** The AWS kit: every contract on AWS, through one explicit provider for the settings' region. */
export const createKit: CreateKit = (settings) => {
    const provider = new aws.Provider(`${settings.name}-provider`, { region: settings.region as aws.Region });
    const options = (opts?: KitOptions): pulumi.ComponentResourceOptions => ({
        parent: opts?.parent,
        provider: opts?.provider ?? provider,
        transformations: opts?.transformations,
    });

    return checkedKit({
        cloud: "aws",
        instanceTypeOf: (size) => cloud.sizes[size],
        sizeCapacity: (size) => instanceCapacity(cloud.sizes[size])!,

        network: (name, spec, opts) => new Network(name, { environment: spec.environment, cidr: spec.cidr, zoneCount: spec.zoneCount }, options(opts)),

        loadBalancer: (name, spec, opts) => {
            const network = own(spec.network, Network, "network");
            return new LoadBalancer(
                name,
                {
                    environment: spec.environment,
                    certificateId: spec.certificateId,
                    targetPort: spec.targetPort,
                    healthCheckPath: spec.healthCheckPath,
                    vpcId: network.vpcId,
                    subnetIds: network.publicSubnetIds,
                    targetCidrs: network.privateCidrs,
                },
                options(opts),
            );
        },

        sharedStorage: (name, spec, opts) => {
            const network = own(spec.network, Network, "network");
            return new SharedStorage(name, { environment: spec.environment, vpcId: network.vpcId, subnetIds: network.privateSubnetIds }, options(opts));
        },

        secretParameter: (name, spec, opts) =>
            new SecretParameter(
                name,
                { environment: spec.environment, value: spec.value, description: spec.description, parameterName: `/multicloud/${name}` },
                options(opts),
            ),

        vmGroup: (name, spec, opts) => {
            const network = own(spec.network, Network, "network");
            const { network: _network, loadBalancer, storage, secrets, ...vmSpec } = spec;
            const efs = storage && own(storage, SharedStorage, "storage");
            const rolePolicies = (secrets ?? []).map((handle, i) => own(handle, SecretParameter, `secrets[${i}]`).readPolicyJson);
            let targetGroupArns: pulumi.Input<string>[] | undefined;
            if (loadBalancer) {
                const lb = own(loadBalancer, LoadBalancer, "loadBalancer");
                const route = new ListenerRoute(
                    `${name}-route`,
                    {
                        vpcId: network.vpcId,
                        listenerArn: lb.httpsListener.arn,
                        paths: ["/*"],
                        priority: lb.nextRulePriority(),
                        port: spec.port ?? 80,
                        healthCheckPath: spec.healthCheckPath ?? "/",
                        targetType: "instance",
                    },
                    options(opts),
                );
                targetGroupArns = [route.targetGroupArn];
            }
            return new VmGroup(
                name,
                {
                    ...vmSpec,
                    instanceType: cloud.sizes[spec.size],
                    region: settings.region,
                    vpcId: network.vpcId,
                    subnetIds: network.privateSubnetIds,
                    targetGroupArns,
                    rolePolicies,
                    sharedFileSystem: efs && efsMountOf(efs),
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
                    instanceType: cloud.sizes[spec.size],
                    minNodes: spec.minNodes,
                    maxNodes: spec.maxNodes,
                    vpcId: network.vpcId,
                    subnetIds: network.privateSubnetIds,
                },
                options(opts),
            );
        },

        containerService: (name, spec, opts) => {
            const network = own(spec.network, Network, "network");
            const cluster = own(spec.cluster, ContainerCluster, "cluster");
            const secrets: Record<string, ServiceSecret> = {};
            for (const [variable, handle] of Object.entries(spec.secretRefs ?? {})) {
                const secret = own(handle, SecretParameter, `secretRefs.${variable}`);
                secrets[variable] = { parameter: secret.parameterName, readPolicyJson: secret.readPolicyJson };
            }
            const storage = spec.storage === undefined ? undefined : own(spec.storage, SharedStorage, "storage");
            let targetGroupArn: pulumi.Input<string> | undefined;
            let loadBalancerSecurityGroupId: pulumi.Input<string> | undefined;
            if (spec.loadBalancer) {
                const lb = own(spec.loadBalancer, LoadBalancer, "loadBalancer");
                loadBalancerSecurityGroupId = lb.securityGroup.id;
                if (spec.paths && spec.paths.length > 0) {
                    const route = new ListenerRoute(
                        `${name}-route`,
                        {
                            vpcId: network.vpcId,
                            listenerArn: lb.httpsListener.arn,
                            paths: spec.paths,
                            priority: lb.nextRulePriority(),
                            port: spec.port,
                            healthCheckPath: lb.healthCheckPath,
                        },
                        options(opts),
                    );
                    targetGroupArn = route.targetGroupArn;
                } else {
                    targetGroupArn = lb.defaultTargetGroup.arn;
                }
            }
            return new ContainerService(
                name,
                {
                    environment: spec.environment,
                    cluster,
                    region: settings.region,
                    image: spec.image,
                    cpu: spec.cpu,
                    memory: spec.memory,
                    port: spec.port,
                    desiredCount: spec.desiredCount,
                    minCount: spec.minCount,
                    maxCount: spec.maxCount,
                    schedules: spec.schedules,
                    variables: spec.variables,
                    secrets,
                    volume: storage && efsMountOf(storage),
                    targetGroupArn,
                    loadBalancerSecurityGroupId,
                    egressCidrs: [network.vpcCidr],
                    egressAllowCidrs: spec.egressAllowCidrs,
                },
                options(opts),
            );
        },

        link: (name, spec, opts) => {
            checkLinkSpec("aws", name, spec);
            return new Link(
                name,
                { environment: spec.environment, vpcId: spec.networkId!, zoneCount: spec.zoneCount, asn: spec.asn, ranges: spec.ranges },
                options(opts),
            );
        },

        privateListener: (name, spec, opts) => {
            const network = own(spec.network, Network, "network");
            const lb = own(spec.loadBalancer, LoadBalancer, "loadBalancer");
            return new PrivateListener(
                name,
                {
                    environment: spec.environment,
                    vpcId: network.vpcId,
                    vpcCidr: network.vpcCidr,
                    subnetIds: network.privateSubnetIds,
                    loadBalancerArn: lb.loadBalancer.arn,
                    httpsListener: lb.httpsListener,
                    callers: spec.callers,
                },
                options(opts),
            );
        },
    });
};
