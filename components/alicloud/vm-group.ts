import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import { scheduleInstant, utcTimestamp, type Cloud, type RolloutTarget, type VmGroupHandle, type VmGroupSpec } from "../contracts";
import { scheduledMinimumIgnored } from "../core/campaign-window";
import { validateSchedules, validateVmGroupSpec } from "../core/validate";

export interface VmGroupArgs extends Omit<VmGroupSpec, "size"> {
    /** The cloud's own instance type; the kit maps the contract's neutral size to it. */
    instanceType: string;
    /** The region of the group's provider (the kit's settings): a scaling group does not carry it, and the rollout target names it. */
    region: string;
    vpcId: pulumi.Input<string>;
    /** The private vSwitches the group spreads over, one per zone. */
    vswitchIds: pulumi.Input<string>[];
    /** Ranges that may reach `port` (the vSwitches the load balancer sits in). */
    ingressCidrs: string[];
    /** The ALB server group that receives the instances. */
    albServerGroupId?: pulumi.Input<string>;
    /** A NAS mount address, mounted at /mnt/shared on boot. */
    nfsMountDomain?: pulumi.Input<string>;
    /** KMS secret names the instances may read (GetSecretValue) through their RAM role. */
    secretNames?: pulumi.Input<string>[];
    systemDiskSizeGib?: number;
    /** When the program runs: inside a campaign the scheduled task owns the group's minimum. */
    now?: Date;
}

const openRanges = ["0.0.0.0/0", "::/0"];

/**
 * An ESS scaling group of identical ECS instances across the given vSwitches,
 * balanced over zones, with:
 * - a scaling configuration: the pinned image, an encrypted ESSD system disk, no
 *   public bandwidth, a security group of its own that admits only `port` from
 *   the given ranges, security hardening on;
 * - a target-tracking scaling rule on average CPU;
 * - the ALB server group, with the load balancer's health check deciding whether
 *   an instance is healthy;
 * - rolling replacement through an ESS instance refresh, the same in every
 *   environment: new instances first (up to 150 % of capacity), old ones leave
 *   only while 100 % stay healthy, so no instance is removed before its
 *   replacement is in service, with a checkpoint pause at half way. The rollout
 *   is health-gated: an old instance leaves only after a new one passes the load
 *   balancer's health check, so a bad image stops the refresh with the old
 *   instances still serving.
 *
 * ESS cannot revert a refresh by itself, and `pulumi up` returns once the refresh
 * has started. The deploy bot waits for it through `rollout` (the scaling
 * activities and the refresh's status) and reverts a failed one by applying the
 * stack's last good commit again, which starts a refresh back to the old image.
 */
export class VmGroup extends pulumi.ComponentResource implements VmGroupHandle {
    readonly cloud: Cloud = "alicloud";
    readonly securityGroup: alicloud.ecs.SecurityGroup;
    readonly ingressRules: alicloud.ecs.SecurityGroupRule[];
    readonly role?: alicloud.ram.Role;
    readonly secretReadPolicy?: alicloud.ram.Policy;
    readonly secretReadAttachment?: alicloud.ram.RolePolicyAttachment;
    readonly scalingGroup: alicloud.ess.ScalingGroup;
    readonly scalingConfiguration: alicloud.ess.ScalingConfiguration;
    readonly scalingRule: alicloud.ess.ScalingRule;
    readonly instanceRefresh: alicloud.ess.InstanceRefresh;
    /** Two one-time scheduled tasks per campaign scale-up: raise at the start, restore at the end. */
    readonly scheduledTasks: alicloud.ess.ScheduledTask[];
    readonly rollout: pulumi.Output<RolloutTarget>;

    constructor(name: string, args: VmGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:alicloud:VmGroup", name, {}, opts);

        validateVmGroupSpec("VmGroup", args);
        validateSchedules("VmGroup", args.schedules ?? [], args.maxSize);
        if (!/^ecs\.[a-z0-9-]+\.[a-z0-9]+$/.test(args.instanceType)) {
            throw new Error(`VmGroup: \`instanceType\` must be an ECS instance type such as "ecs.g7.large", got ${JSON.stringify(args.instanceType)}.`);
        }
        if (args.vswitchIds.length === 0) {
            throw new Error("VmGroup: `vswitchIds` must list at least one vSwitch; got none.");
        }
        if (args.port !== undefined && (!Number.isInteger(args.port) || args.port < 1 || args.port > 65535)) {
            throw new Error(`VmGroup: \`port\` must be a port from 1 to 65535, got ${args.port}.`);
        }
        const open = args.ingressCidrs.filter((c) => openRanges.includes(c));
        if (open.length > 0) {
            throw new Error(`VmGroup: \`ingressCidrs\` must be private ranges, not the internet (${open.join(", ")}).`);
        }
        if (args.albServerGroupId !== undefined && args.port === undefined) {
            throw new Error("VmGroup: `port` is required with `albServerGroupId`: the port the load balancer sends traffic to.");
        }
        const prod = args.environment === "prod";

        this.securityGroup = new alicloud.ecs.SecurityGroup(
            `${name}-sg`,
            { securityGroupName: name, vpcId: args.vpcId, description: `${name}: instances`, innerAccessPolicy: "Drop" },
            { parent: this },
        );
        const port = args.port;
        this.ingressRules =
            port === undefined
                ? []
                : args.ingressCidrs.map(
                      (cidrIp, i) =>
                          new alicloud.ecs.SecurityGroupRule(
                              `${name}-ingress-${i}`,
                              {
                                  securityGroupId: this.securityGroup.id,
                                  type: "ingress",
                                  ipProtocol: "tcp",
                                  portRange: `${port}/${port}`,
                                  cidrIp,
                                  nicType: "intranet",
                                  policy: "accept",
                                  priority: 1,
                                  description: `${name}: service port from ${cidrIp}`,
                              },
                              { parent: this },
                          ),
                  );

        if (args.secretNames && args.secretNames.length > 0) {
            this.role = new alicloud.ram.Role(
                `${name}-role`,
                {
                    roleName: name,
                    description: `${name}: instances`,
                    assumeRolePolicyDocument: JSON.stringify({
                        Version: "1",
                        Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: ["ecs.aliyuncs.com"] } }],
                    }),
                },
                { parent: this },
            );
            this.secretReadPolicy = new alicloud.ram.Policy(
                `${name}-secrets`,
                {
                    policyName: `${name}-read-secrets`,
                    description: `${name}: read its secrets`,
                    policyDocument: pulumi.output(args.secretNames).apply((names) =>
                        JSON.stringify({
                            Version: "1",
                            Statement: [
                                {
                                    Effect: "Allow",
                                    Action: ["kms:GetSecretValue", "kms:DescribeSecret"],
                                    Resource: names.map((n) => `acs:kms:*:*:secret/${n}`),
                                },
                                // Secrets are encrypted with KMS keys: reading one decrypts with its key.
                                { Effect: "Allow", Action: ["kms:Decrypt"], Resource: ["acs:kms:*:*:key/*"] },
                            ],
                        }),
                    ),
                },
                { parent: this },
            );
            this.secretReadAttachment = new alicloud.ram.RolePolicyAttachment(
                `${name}-secrets`,
                { roleName: this.role.roleName, policyName: this.secretReadPolicy.policyName, policyType: "Custom" },
                { parent: this },
            );
        }

        const albServerGroups =
            args.albServerGroupId === undefined || port === undefined ? undefined : [{ albServerGroupId: args.albServerGroupId, port, weight: 100 }];
        this.scalingGroup = new alicloud.ess.ScalingGroup(
            `${name}-group`,
            {
                scalingGroupName: name,
                minSize: args.minSize,
                maxSize: args.maxSize,
                desiredCapacity: args.desiredSize,
                vswitchIds: args.vswitchIds,
                multiAzPolicy: "BALANCE",
                removalPolicies: ["OldestScalingConfiguration", "OldestInstance"],
                healthCheckTypes: albServerGroups ? ["ECS", "LOAD_BALANCER"] : ["ECS"],
                albServerGroups,
                defaultCooldown: 300,
                scalingPolicy: "release",
                groupDeletionProtection: prod,
            },
            // The scaling rule owns the count after the first deploy; during a campaign its scheduled task owns the minimum.
            { parent: this, ignoreChanges: ["desiredCapacity", ...scheduledMinimumIgnored("minSize", args.schedules, args.now ?? new Date())] },
        );

        this.scalingConfiguration = new alicloud.ess.ScalingConfiguration(
            `${name}-config`,
            {
                scalingGroupId: this.scalingGroup.id,
                scalingConfigurationName: name,
                imageId: args.imageId,
                instanceType: args.instanceType,
                instanceName: name,
                securityGroupIds: [this.securityGroup.id],
                systemDiskCategory: "cloud_essd",
                systemDiskPerformanceLevel: "PL0",
                systemDiskSize: args.systemDiskSizeGib ?? 40,
                systemDiskEncrypted: true,
                internetMaxBandwidthOut: 0,
                securityEnhancementStrategy: "Active",
                roleName: this.role?.roleName,
                userData: args.nfsMountDomain === undefined ? undefined : pulumi.output(args.nfsMountDomain).apply(mountScript),
                active: true,
                enable: true,
            },
            { parent: this, dependsOn: this.secretReadAttachment ? [this.secretReadAttachment] : [] },
        );

        this.scalingRule = new alicloud.ess.ScalingRule(
            `${name}-cpu`,
            {
                scalingGroupId: this.scalingGroup.id,
                scalingRuleName: `${name}-cpu`,
                scalingRuleType: "TargetTrackingScalingRule",
                metricName: "CpuUtilization",
                targetValue: args.cpuTargetPercent,
                estimatedInstanceWarmup: 300,
                disableScaleIn: false,
            },
            { parent: this, dependsOn: [this.scalingConfiguration] },
        );

        this.instanceRefresh = new alicloud.ess.InstanceRefresh(
            `${name}-rollout`,
            {
                scalingGroupId: this.scalingGroup.id,
                desiredConfigurationImageId: args.imageId,
                minHealthyPercentage: 100,
                maxHealthyPercentage: 150,
                checkpoints: [{ percentage: 50 }],
                checkpointPauseTime: 10,
                skipMatching: true,
            },
            { parent: this, dependsOn: [this.scalingConfiguration] },
        );

        // launchTime is UTC only and at most 90 days ahead of the task's creation.
        this.scheduledTasks = (args.schedules ?? []).flatMap((schedule) => {
            const daysAhead = (scheduleInstant(schedule.start, schedule.timeZone)!.getTime() - Date.now()) / 86_400_000;
            if (daysAhead > 90) {
                void pulumi.log.warn(
                    `VmGroup: campaign ${schedule.name} starts ${Math.floor(daysAhead)} days from now; ESS accepts scheduled tasks at most 90 days ahead, so deploy it later.`,
                    this,
                );
            }
            // A campaign moves only the minimum; the target-tracking rule keeps the count within it.
            return [
                { edge: "start", at: schedule.start, minValue: Math.max(schedule.minCapacity, args.minSize) },
                { edge: "end", at: schedule.end, minValue: args.minSize },
            ].map(
                ({ edge, at, minValue }) =>
                    new alicloud.ess.ScheduledTask(
                        `${name}-${schedule.name}-${edge}`,
                        {
                            scalingGroupId: this.scalingGroup.id,
                            scheduledTaskName: `${schedule.name.slice(0, 34)}-${edge}`,
                            description: `Campaign ${schedule.name}: ${edge} ${at} (${schedule.timeZone})`,
                            launchTime: utcTimestamp(at, schedule.timeZone).replace(/:00Z$/, "Z"),
                            launchExpirationTime: 1800,
                            minValue,
                            maxValue: args.maxSize,
                            taskEnabled: true,
                        },
                        { parent: this },
                    ),
            );
        });

        this.rollout = this.scalingGroup.id.apply((scalingGroupId): RolloutTarget => ({ kind: "alicloud-scaling-group", region: args.region, scalingGroupId }));

        this.registerOutputs({ scalingGroupId: this.scalingGroup.id, rollout: this.rollout });
    }
}

function mountScript(domain: string): string {
    return [
        "#!/bin/bash",
        "set -euo pipefail",
        "mkdir -p /mnt/shared",
        `echo '${domain}:/ /mnt/shared nfs vers=3,nolock,proto=tcp,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport,_netdev 0 0' >> /etc/fstab`,
        "mount -a -t nfs",
        "",
    ].join("\n");
}
