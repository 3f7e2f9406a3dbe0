import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle, ContainerClusterSpec } from "../contracts";
import { assertOfferedInstanceType, ecsReservedMemoryMiB } from "./instance-types";
import { VmGroup } from "./vm-group";

export interface ContainerClusterArgs extends Omit<ContainerClusterSpec, "size"> {
    /** The cloud's own instance type; the kit maps the contract's neutral size to it. */
    instanceType: string;
    vpcId: pulumi.Input<string>;
    /** Private subnets for the container instances and the tasks. */
    subnetIds: pulumi.Input<string>[];
    /** Nodes started with the cluster; between minNodes and maxNodes (minNodes when unset). */
    desiredNodes?: number;
    /** How full managed scaling keeps the instances, in percent. */
    targetCapacityPercent?: number;
    /** Public SSM parameter holding the ECS-optimized AMI id. */
    amiParameter?: string;
}

const ecsInstancePolicy = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role";
const defaultAmiParameter = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";

/**
 * ECS on EC2: a cluster with Container Insights and a capacity provider backed by
 * its own VmGroup of ECS-optimized instances, with managed scaling and managed
 * termination protection, as the cluster's default capacity.
 */
export class ContainerCluster extends pulumi.ComponentResource implements ClusterHandle {
    readonly cloud = "aws" as const;
    readonly cluster: aws.ecs.Cluster;
    readonly nodes: VmGroup;
    readonly capacityProvider: aws.ecs.CapacityProvider;
    readonly clusterCapacityProviders: aws.ecs.ClusterCapacityProviders;
    readonly vpcId: pulumi.Output<string>;
    readonly subnetIds: pulumi.Input<string>[];
    readonly environment: ContainerClusterArgs["environment"];
    readonly instanceType: string;

    constructor(name: string, args: ContainerClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:aws:ContainerCluster", name, {}, opts);
        assertOfferedInstanceType("ContainerCluster", args.instanceType);
        const target = args.targetCapacityPercent ?? 90;
        if (!(Number.isInteger(target) && target >= 1 && target <= 100)) {
            throw new Error(`ContainerCluster: \`targetCapacityPercent\` must be a whole number from 1 to 100; got ${target}.`);
        }
        const prod = args.environment === "prod";
        this.environment = args.environment;
        this.instanceType = args.instanceType;
        this.vpcId = pulumi.output(args.vpcId);
        this.subnetIds = args.subnetIds;

        this.cluster = new aws.ecs.Cluster(`${name}-cluster`, { settings: [{ name: "containerInsights", value: "enabled" }] }, { parent: this, protect: prod });

        const ami = aws.ssm.getParameterOutput({ name: args.amiParameter ?? defaultAmiParameter }, { parent: this });
        const userData = this.cluster.name.apply((cluster) =>
            Buffer.from(
                [
                    "#!/bin/bash",
                    `echo ECS_CLUSTER=${cluster} >> /etc/ecs/ecs.config`,
                    `echo ECS_RESERVED_MEMORY=${ecsReservedMemoryMiB} >> /etc/ecs/ecs.config`,
                    "echo ECS_ENABLE_CONTAINER_METADATA=true >> /etc/ecs/ecs.config",
                    "",
                ].join("\n"),
            ).toString("base64"),
        );

        this.nodes = new VmGroup(
            `${name}-nodes`,
            {
                environment: args.environment,
                imageId: ami.value,
                instanceType: args.instanceType,
                minSize: args.minNodes,
                maxSize: args.maxNodes,
                desiredSize: args.desiredNodes ?? args.minNodes,
                cpuTargetPercent: target,
                vpcId: args.vpcId,
                subnetIds: args.subnetIds,
                extraManagedPolicyArns: [ecsInstancePolicy],
                userData,
                externallyScaled: true,
                // ECS sets this tag on a group it scales; declaring it keeps the next update from removing it.
                groupTags: [{ key: "AmazonECSManaged", value: "true", propagateAtLaunch: true }],
            },
            { parent: this },
        );

        this.capacityProvider = new aws.ecs.CapacityProvider(
            `${name}-capacity`,
            {
                autoScalingGroupProvider: {
                    autoScalingGroupArn: this.nodes.autoScalingGroup.arn,
                    managedTerminationProtection: "ENABLED",
                    managedDraining: "ENABLED",
                    managedScaling: {
                        status: "ENABLED",
                        targetCapacity: target,
                        minimumScalingStepSize: 1,
                        maximumScalingStepSize: 10,
                        instanceWarmupPeriod: 300,
                    },
                },
            },
            { parent: this },
        );

        this.clusterCapacityProviders = new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity`,
            {
                clusterName: this.cluster.name,
                capacityProviders: [this.capacityProvider.name],
                defaultCapacityProviderStrategies: [{ capacityProvider: this.capacityProvider.name, weight: 1, base: 0 }],
            },
            { parent: this },
        );

        this.registerOutputs({ clusterArn: this.cluster.arn, capacityProviderName: this.capacityProvider.name });
    }
}
