import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type ContainerServiceSpec, type Environment, type Rolled, type RolloutTarget } from "../contracts";
import { scheduledMinimumIgnored } from "../core/campaign-window";
import { validateCounts, validateSchedules } from "../core/validate";
import type { ContainerCluster } from "./container-cluster";
import { instanceCapacity } from "./instance-types";
import { clientMountPolicy, type EfsMount } from "./shared-storage";

/** An SSM parameter the task reads at start, and the policy that allows reading it. */
export interface ServiceSecret {
    /**
     * The parameter's name (or ARN). ECS takes the name for a parameter in the
     * task's region; a name is known at preview, so policies can read the
     * container definitions before apply.
     */
    parameter: pulumi.Input<string>;
    readPolicyJson: pulumi.Input<string>;
}

export interface ContainerServiceArgs extends Omit<ContainerServiceSpec, "environment"> {
    environment: Environment;
    cluster: ContainerCluster;
    /**
     * The region of the service's provider, named in the rollout target; the kit
     * passes its settings' region. Unset, the provider is asked (getRegion).
     */
    region?: string;
    /** Plain environment variables. */
    variables?: Record<string, pulumi.Input<string>>;
    /** Environment variable name -> secret. */
    secrets?: Record<string, ServiceSecret>;
    /** An EFS access point mounted into the task. */
    volume?: EfsMount;
    /** The target group the service registers its tasks in (target type `ip`). */
    targetGroupArn?: pulumi.Input<string>;
    /** The load balancer's group, admitted on `port`. */
    loadBalancerSecurityGroupId?: pulumi.Input<string>;
    /** Address ranges (the VPC) the tasks may reach on any port; HTTPS is open everywhere for AWS APIs and images. */
    egressCidrs?: string[];
    /**
     * Named lists of the only ranges the tasks may reach (ContainerServiceSpec.egressAllowCidrs):
     * set, the tasks' group admits these on any port and DNS in `egressCidrs`, nothing else.
     * Images, secrets and logs still flow: the ECS agent and the log driver use the host's network.
     */
    egressAllowCidrs?: Record<string, string[]>;
    cpuTargetPercent?: number;
    logRetentionDays?: number;
    /** When the program runs: inside a campaign the scheduled action owns the scaling target's minimum. */
    now?: Date;
}

const assumedByTasks = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const taskExecutionPolicy = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

/**
 * A service on an ECS-on-EC2 cluster: a task definition (awsvpc, logs to a
 * CloudWatch group with retention, secrets from SSM, an EFS volume) and a service
 * on the cluster's capacity provider that keeps 100 % healthy during a deployment
 * (new tasks first, up to 200 %), rolls back a failed one by itself (the
 * circuit breaker), and scales on CPU between minCount and maxCount. The same in
 * every environment; `pulumi up` waits for the deployment's steady state, so a
 * deployment the circuit breaker rolled back fails the update.
 */
export class ContainerService extends pulumi.ComponentResource implements Rolled {
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly executionRole: aws.iam.Role;
    readonly taskRole: aws.iam.Role;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly taskDefinition: aws.ecs.TaskDefinition;
    readonly service: aws.ecs.Service;
    readonly scalingTarget: aws.appautoscaling.Target;
    /** Two scheduled actions per campaign scale-up: raise the target's minimum at the start, restore it at the end. */
    readonly scheduledActions: aws.appautoscaling.ScheduledAction[];
    readonly rollout: pulumi.Output<RolloutTarget>;

    constructor(name: string, args: ContainerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:aws:ContainerService", name, {}, opts);
        validate(args);
        const prod = args.environment === "prod";
        const containerName = "app";

        this.logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            // Named here, not by the provider, so the container definitions that name it are known at preview.
            { name: `/multicloud/ecs/${name}`, retentionInDays: args.logRetentionDays ?? (prod ? 365 : 30) },
            { parent: this },
        );

        this.executionRole = new aws.iam.Role(`${name}-execution`, { assumeRolePolicy: assumedByTasks }, { parent: this });
        new aws.iam.RolePolicyAttachment(`${name}-execution`, { role: this.executionRole.name, policyArn: taskExecutionPolicy }, { parent: this });
        for (const [variable, secret] of Object.entries(args.secrets ?? {})) {
            new aws.iam.RolePolicy(`${name}-secret-${variable}`, { role: this.executionRole.id, policy: secret.readPolicyJson }, { parent: this });
        }

        this.taskRole = new aws.iam.Role(`${name}-task`, { assumeRolePolicy: assumedByTasks }, { parent: this });
        if (args.volume) {
            const volume = args.volume;
            new aws.iam.RolePolicy(
                `${name}-efs`,
                {
                    role: this.taskRole.id,
                    policy: clientMountPolicy(volume.fileSystemArn, volume.accessPointArn),
                },
                { parent: this },
            );
        }

        const ingress: aws.types.input.ec2.SecurityGroupIngress[] = args.loadBalancerSecurityGroupId
            ? [
                  {
                      protocol: "tcp",
                      fromPort: args.port,
                      toPort: args.port,
                      securityGroups: [args.loadBalancerSecurityGroupId],
                      description: "From the load balancer",
                  },
              ]
            : [];
        const allowList = Object.entries(args.egressAllowCidrs ?? {}).filter(([, cidrs]) => cidrs.length > 0);
        const egress: aws.types.input.ec2.SecurityGroupEgress[] =
            allowList.length > 0
                ? [
                      ...(args.egressCidrs?.length
                          ? (["udp", "tcp"] as const).map((protocol) => ({
                                protocol,
                                fromPort: 53,
                                toPort: 53,
                                cidrBlocks: args.egressCidrs,
                                description: "DNS in the network",
                            }))
                          : []),
                      ...allowList.map(([list, cidrs]) => ({ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: cidrs, description: `Allowed: ${list}` })),
                  ]
                : [
                      { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS to AWS APIs and registries" },
                      ...(args.egressCidrs?.length
                          ? [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: args.egressCidrs, description: "Inside the network" }]
                          : []),
                  ];
        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.cluster.vpcId, description: `Tasks of ${name}`, ingress, egress },
            { parent: this },
        );

        const region = aws.getRegionOutput({}, { parent: this }).region;
        const secretList = Object.entries(args.secrets ?? {}).map(([variable, s]) => pulumi.all([variable, s.parameter]));
        const mountPath = args.volume?.mountPath ?? "/mnt/shared";
        const containerDefinitions = pulumi
            .all([args.image, this.logGroup.name, region, pulumi.all(secretList), pulumi.output(args.variables ?? {})])
            .apply(([image, logGroup, awsRegion, secrets, variables]) =>
                JSON.stringify([
                    {
                        name: containerName,
                        image,
                        essential: true,
                        privileged: false,
                        cpu: ecsCpuUnits(args.cpu),
                        memory: args.memory,
                        portMappings: [{ containerPort: args.port, protocol: "tcp" }],
                        environment: Object.entries(variables).map(([n, value]) => ({ name: n, value })),
                        secrets: secrets.map(([n, valueFrom]) => ({ name: n, valueFrom })),
                        mountPoints: args.volume ? [{ sourceVolume: "shared", containerPath: mountPath, readOnly: false }] : [],
                        logConfiguration: {
                            logDriver: "awslogs",
                            options: { "awslogs-group": logGroup, "awslogs-region": awsRegion, "awslogs-stream-prefix": containerName },
                        },
                    },
                ]),
            );

        this.taskDefinition = new aws.ecs.TaskDefinition(
            `${name}-task`,
            {
                family: name,
                networkMode: "awsvpc",
                requiresCompatibilities: ["EC2"],
                cpu: String(ecsCpuUnits(args.cpu)),
                memory: String(args.memory),
                executionRoleArn: this.executionRole.arn,
                taskRoleArn: this.taskRole.arn,
                containerDefinitions,
                volumes: args.volume
                    ? [
                          {
                              name: "shared",
                              efsVolumeConfiguration: {
                                  fileSystemId: args.volume.fileSystemId,
                                  transitEncryption: "ENABLED",
                                  authorizationConfig: { accessPointId: args.volume.accessPointId, iam: "ENABLED" },
                              },
                          },
                      ]
                    : undefined,
            },
            { parent: this },
        );

        const securityGroups = [this.securityGroup.id, ...(args.volume ? [args.volume.clientSecurityGroupId] : [])];
        this.service = new aws.ecs.Service(
            `${name}-service`,
            {
                cluster: args.cluster.cluster.arn,
                taskDefinition: this.taskDefinition.arn,
                desiredCount: args.desiredCount,
                capacityProviderStrategies: [{ capacityProvider: args.cluster.capacityProvider.name, weight: 1 }],
                deploymentCircuitBreaker: { enable: true, rollback: true },
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                waitForSteadyState: true,
                networkConfiguration: { subnets: args.cluster.subnetIds, securityGroups, assignPublicIp: false },
                loadBalancers: args.targetGroupArn ? [{ targetGroupArn: args.targetGroupArn, containerName, containerPort: args.port }] : undefined,
                healthCheckGracePeriodSeconds: args.targetGroupArn ? 60 : undefined,
                orderedPlacementStrategies: [
                    { type: "spread", field: "attribute:ecs.availability-zone" },
                    { type: "binpack", field: "memory" },
                ],
                enableEcsManagedTags: true,
                propagateTags: "SERVICE",
            },
            // The scaling policy owns the running count once the service exists.
            { parent: this, dependsOn: [args.cluster.clusterCapacityProviders], ignoreChanges: ["desiredCount"] },
        );

        this.scalingTarget = new aws.appautoscaling.Target(
            `${name}-scaling`,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: pulumi.interpolate`service/${args.cluster.cluster.name}/${this.service.name}`,
                minCapacity: args.minCount,
                maxCapacity: args.maxCount,
            },
            // During a campaign its scheduled action has raised the minimum: neither a deploy nor a refresh fights it.
            { parent: this, ignoreChanges: scheduledMinimumIgnored("minCapacity", args.schedules, args.now ?? new Date()) },
        );
        new aws.appautoscaling.Policy(
            `${name}-cpu`,
            {
                policyType: "TargetTrackingScaling",
                serviceNamespace: this.scalingTarget.serviceNamespace,
                scalableDimension: this.scalingTarget.scalableDimension,
                resourceId: this.scalingTarget.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                    targetValue: args.cpuTargetPercent ?? 60,
                },
            },
            { parent: this },
        );

        // `at(...)` is read in `timezone`, so the campaign's local times pass through unchanged.
        this.scheduledActions = (args.schedules ?? []).flatMap((schedule) =>
            [
                { edge: "start", at: schedule.start, minCapacity: Math.max(schedule.minCapacity, args.minCount) },
                { edge: "end", at: schedule.end, minCapacity: args.minCount },
            ].map(
                ({ edge, at, minCapacity }) =>
                    new aws.appautoscaling.ScheduledAction(
                        `${name}-${schedule.name}-${edge}`,
                        {
                            name: `${name}-${schedule.name}-${edge}`,
                            serviceNamespace: this.scalingTarget.serviceNamespace,
                            scalableDimension: this.scalingTarget.scalableDimension,
                            resourceId: this.scalingTarget.resourceId,
                            schedule: `at(${at.length === 16 ? `${at}:00` : at})`,
                            timezone: schedule.timeZone,
                            scalableTargetAction: { minCapacity, maxCapacity: args.maxCount },
                        },
                        { parent: this },
                    ),
            ),
        );

        this.rollout = pulumi
            .all([args.region ?? region, args.cluster.cluster.name, this.service.name])
            .apply(([serviceRegion, cluster, service]): RolloutTarget => ({ kind: "aws-ecs-service", region: serviceRegion, cluster, service }));

        this.registerOutputs({ serviceName: this.service.name, taskDefinitionArn: this.taskDefinition.arn, rollout: this.rollout });
    }
}

/** ECS counts CPU in units of 1024 per vCPU; the contract in millicores. */
export const ecsCpuUnits = (millicores: number): number => Math.ceil((millicores * 1024) / 1000);

function validate(args: ContainerServiceArgs): void {
    const { desiredCount, minCount, maxCount, cpu, memory, port } = args;
    validateCounts("ContainerService", { min: ["minCount", minCount], desired: ["desiredCount", desiredCount], max: ["maxCount", maxCount] });
    validateSchedules("ContainerService", args.schedules ?? [], maxCount);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`ContainerService: \`port\` must be from 1 to 65535, got ${port}.`);
    const capacity = instanceCapacity(args.cluster.instanceType);
    if (!(Number.isInteger(cpu) && cpu >= 125))
        throw new Error(`ContainerService: \`cpu\` must be whole millicores >= 125 (ECS takes 128 units at least), got ${cpu}.`);
    if (!(Number.isInteger(memory) && memory >= 128)) throw new Error(`ContainerService: \`memory\` must be whole MiB >= 128, got ${memory}.`);
    if (capacity && (cpu > capacity.cpu || memory > capacity.memoryMiB)) {
        throw new Error(
            `ContainerService: \`cpu\` ${cpu} and \`memory\` ${memory} MiB must fit one ${args.cluster.instanceType} ` +
                `(at most ${capacity.cpu} millicores and ${capacity.memoryMiB} MiB).`,
        );
    }
}
