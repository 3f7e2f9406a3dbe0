import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { utcTimestamp, type RolloutTarget, type VmGroupHandle, type VmGroupSpec } from "../contracts";
import { scheduledMinimumIgnored } from "../core/campaign-window";
import { validateSchedules, validateVmGroupSpec } from "../core/validate";
import { assertOfferedInstanceType } from "./instance-types";
import { clientMountPolicy, type EfsMount } from "./shared-storage";

export interface VmGroupArgs extends Omit<VmGroupSpec, "size"> {
    /** The cloud's own instance type; the kit maps the contract's neutral size to it. */
    instanceType: string;
    /**
     * The region of the group's provider, named in the rollout target; the kit
     * passes its settings' region. Unset, the provider is asked (getRegion).
     */
    region?: string;
    vpcId: pulumi.Input<string>;
    /** The private subnets the instances run in, one per zone. */
    subnetIds: pulumi.Input<string>[];
    /** Security groups for the instances; a group with no ingress is created when none is given. */
    securityGroupIds?: pulumi.Input<string>[];
    /** Target groups the instances register with; turns on ELB health checks. */
    targetGroupArns?: pulumi.Input<string>[];
    /** Managed policies beside SSM's (e.g. the ECS container-instance policy). */
    extraManagedPolicyArns?: string[];
    userData?: pulumi.Input<string>;
    /** Inline policies of the instances' role, e.g. SecretParameter.readPolicyJson for secrets they read. */
    rolePolicies?: pulumi.Input<string>[];
    /** An EFS file system the instances mount at boot, through its access point (then `userData` must be unset). */
    sharedFileSystem?: EfsMount;
    rootVolumeGib?: number;
    /**
     * Someone else scales the group (an ECS capacity provider): no target-tracking
     * policy, instances protected from scale-in, and the desired size left to it.
     */
    externallyScaled?: boolean;
    /** Tags of the group itself, e.g. the one ECS sets on a group its capacity provider scales. */
    groupTags?: aws.types.input.autoscaling.GroupTag[];
    /** When the program runs: inside a campaign the schedule owns the group's minimum. */
    now?: Date;
}

const ssmManagedInstanceCore = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

/**
 * An autoscaling group of identical instances from one launch template: IMDSv2
 * only (hop limit 1), an encrypted gp3 root volume, no public address, an instance
 * profile that allows only SSM (plus what the caller adds), across the private
 * subnets, scaled on average CPU, and replaced by instance refresh that keeps
 * capacity (100 % healthy, new instances first) and rolls back by itself, the
 * same in every environment. `pulumi up` waits for the group's capacity; the
 * refresh itself runs on after it, so the deploy verifies it through `rollout`.
 */
export class VmGroup extends pulumi.ComponentResource implements VmGroupHandle {
    readonly cloud = "aws" as const;
    readonly role: aws.iam.Role;
    readonly instanceProfile: aws.iam.InstanceProfile;
    readonly securityGroup?: aws.ec2.SecurityGroup;
    readonly launchTemplate: aws.ec2.LaunchTemplate;
    readonly autoScalingGroup: aws.autoscaling.Group;
    readonly scalingPolicy?: aws.autoscaling.Policy;
    /** Two scheduled actions per campaign scale-up: raise at the start, restore at the end. */
    readonly scheduledActions: aws.autoscaling.Schedule[];
    readonly rollout: pulumi.Output<RolloutTarget>;

    constructor(name: string, args: VmGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:aws:VmGroup", name, {}, opts);
        validateVmGroupSpec("VmGroup", args);
        validateSchedules("VmGroup", args.schedules ?? [], args.maxSize);
        assertOfferedInstanceType("VmGroup", args.instanceType);
        if (args.subnetIds.length < 2) {
            throw new Error(`VmGroup: \`subnetIds\` must list private subnets in at least 2 zones; got ${args.subnetIds.length}.`);
        }
        if (args.sharedFileSystem && args.userData) {
            throw new Error("VmGroup: `sharedFileSystem` writes the instances' user data; leave `userData` unset with it.");
        }
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
            },
            { parent: this },
        );
        [ssmManagedInstanceCore, ...(args.extraManagedPolicyArns ?? [])].forEach(
            (policyArn, i) => new aws.iam.RolePolicyAttachment(`${name}-policy-${i}`, { role: this.role.name, policyArn }, { parent: this }),
        );
        const efs = args.sharedFileSystem;
        const efsPolicy = efs && clientMountPolicy(efs.fileSystemArn, efs.accessPointArn);
        [...(args.rolePolicies ?? []), ...(efsPolicy ? [efsPolicy] : [])].forEach(
            (policy, i) => new aws.iam.RolePolicy(`${name}-inline-${i}`, { role: this.role.id, policy }, { parent: this }),
        );
        this.instanceProfile = new aws.iam.InstanceProfile(`${name}-profile`, { role: this.role.name }, { parent: this });

        let securityGroupIds = args.securityGroupIds;
        if (!securityGroupIds || securityGroupIds.length === 0) {
            this.securityGroup = new aws.ec2.SecurityGroup(
                `${name}-sg`,
                {
                    vpcId: args.vpcId,
                    description: `Instances of ${name}: no ingress; HTTPS out for SSM and updates`,
                    egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS to AWS APIs" }],
                },
                { parent: this },
            );
            securityGroupIds = [this.securityGroup.id];
        }
        if (efs) securityGroupIds = [...securityGroupIds, efs.clientSecurityGroupId];
        const mountPath = efs?.mountPath ?? "/mnt/shared";
        const userData = efs
            ? pulumi.interpolate`#!/bin/bash
set -euo pipefail
mkdir -p ${mountPath}
echo "${efs.fileSystemId}:/ ${mountPath} efs _netdev,tls,iam,accesspoint=${efs.accessPointId} 0 0" >> /etc/fstab
mount -a -t efs
`.apply((script) => Buffer.from(script).toString("base64"))
            : args.userData;

        this.launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-lt`,
            {
                imageId: args.imageId,
                instanceType: args.instanceType,
                iamInstanceProfile: { arn: this.instanceProfile.arn },
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: securityGroupIds }],
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: { volumeType: "gp3", volumeSize: args.rootVolumeGib ?? 30, encrypted: "true", deleteOnTermination: "true" },
                    },
                ],
                monitoring: { enabled: true },
                userData,
                updateDefaultVersion: true,
            },
            { parent: this },
        );

        const behindTargetGroup = (args.targetGroupArns?.length ?? 0) > 0;
        this.autoScalingGroup = new aws.autoscaling.Group(
            `${name}-asg`,
            {
                minSize: args.minSize,
                maxSize: args.maxSize,
                desiredCapacity: args.desiredSize,
                vpcZoneIdentifiers: args.subnetIds,
                // Rollback needs a numbered version: `$Latest` would neither start a refresh nor roll back to anything.
                launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.apply((v) => String(v)) },
                targetGroupArns: args.targetGroupArns,
                healthCheckType: behindTargetGroup ? "ELB" : "EC2",
                healthCheckGracePeriod: 300,
                protectFromScaleIn: args.externallyScaled ?? false,
                tags: args.groupTags,
                // `pulumi up` fails when the group does not reach its capacity in time, instead of returning at once.
                waitForCapacityTimeout: "10m",
                // Dev refreshes as prod does: a test environment that rolls out differently tests nothing.
                instanceRefresh: {
                    strategy: "Rolling",
                    preferences: {
                        // No instance leaves before its replacement is healthy; 200 % is the most AWS allows above 100 % healthy.
                        minHealthyPercentage: 100,
                        maxHealthyPercentage: 200,
                        autoRollback: true,
                        skipMatching: true,
                        scaleInProtectedInstances: "Refresh",
                        standbyInstances: "Terminate",
                    },
                },
            },
            // The autoscaler (target tracking, or the capacity provider) owns the count after the first deploy;
            // during a campaign its scheduled action owns the minimum, so neither a deploy nor a refresh fights it.
            { parent: this, ignoreChanges: ["desiredCapacity", ...scheduledMinimumIgnored("minSize", args.schedules, args.now ?? new Date())] },
        );

        if (!args.externallyScaled) {
            this.scalingPolicy = new aws.autoscaling.Policy(
                `${name}-cpu`,
                {
                    autoscalingGroupName: this.autoScalingGroup.name,
                    policyType: "TargetTrackingScaling",
                    targetTrackingConfiguration: {
                        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
                        targetValue: args.cpuTargetPercent,
                    },
                },
                { parent: this },
            );
        }

        // A one-time action's startTime is UTC only (the API's `timeZone` applies to recurrences), so the local time is converted here.
        this.scheduledActions = (args.schedules ?? []).flatMap((schedule) => {
            const edges = [
                { edge: "start", at: schedule.start, minSize: Math.max(schedule.minCapacity, args.minSize) },
                { edge: "end", at: schedule.end, minSize: args.minSize },
            ];
            // A campaign moves only the minimum: desiredCapacity -1 leaves the count to the autoscaler, which the new minimum bounds.
            return edges.map(
                ({ edge, at, minSize }) =>
                    new aws.autoscaling.Schedule(
                        `${name}-${schedule.name}-${edge}`,
                        {
                            autoscalingGroupName: this.autoScalingGroup.name,
                            scheduledActionName: `${schedule.name}-${edge}`,
                            startTime: utcTimestamp(at, schedule.timeZone),
                            minSize,
                            maxSize: args.maxSize,
                            desiredCapacity: -1,
                        },
                        { parent: this },
                    ),
            );
        });

        const region = args.region ?? aws.getRegionOutput({}, { parent: this }).region;
        this.rollout = pulumi
            .all([region, this.autoScalingGroup.name])
            .apply(([groupRegion, groupName]): RolloutTarget => ({ kind: "aws-autoscaling-group", region: groupRegion, name: groupName }));

        this.registerOutputs({ autoScalingGroupName: this.autoScalingGroup.name, launchTemplateId: this.launchTemplate.id, rollout: this.rollout });
    }
}
