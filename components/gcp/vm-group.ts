import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { scheduleInstant, type CapacitySchedule, type Cloud, type RolloutTarget, type VmGroupHandle, type VmGroupSpec } from "../contracts";
import { validateSchedules, validateVmGroupSpec } from "../core/validate";
import { serviceAccountId } from "./service-account-id";

/** How long `pulumi up` waits for a group's instances to run a new template before it fails the update. */
const migRolloutTimeout = "30m";

/** Google's health-check and proxy source ranges (load balancers and auto-healing). */
export const googleHealthCheckRanges = ["35.191.0.0/16", "130.211.0.0/22"];

export interface VmGroupArgs extends Omit<VmGroupSpec, "size"> {
    /** The cloud's own instance type; the kit maps the contract's neutral size to it. */
    instanceType: string;
    region: string;
    network: { networkId: pulumi.Input<string>; subnetworkId: pulumi.Input<string>; zones: pulumi.Input<string[]> };
    /** Project that grants the instances' service account log and metric writing; skipped when unset. */
    project?: string;
    /** A Filestore share the instances mount at /mnt/shared. */
    nfsMount?: { host: pulumi.Input<string>; share: pulumi.Input<string> };
    /** Secret Manager secrets (ids) the instances may read. */
    secretIds?: pulumi.Input<string>[];
}

/**
 * A regional managed instance group from an instance template (Shielded VM, OS
 * Login, no external address, a dedicated service account), scaled by a CPU
 * target. Updates are proactive and keep capacity: new instances surge in
 * (one per zone, the least a regional group accepts) before any old one goes,
 * and when the group serves a port, auto-healing gates the rollout on the health
 * check, so a broken version never replaces healthy instances. `pulumi up` waits
 * until every instance runs the new template and fails when it does not within
 * the update's timeout; a managed instance group cannot roll back by itself, so
 * the deploy reverts a failed rollout by applying the last good template again.
 * The same in every environment.
 */
export class VmGroup extends pulumi.ComponentResource implements VmGroupHandle {
    readonly cloud: Cloud = "gcp";
    readonly serviceAccount: gcp.serviceaccount.Account;
    /** The service account's email, known at preview. */
    readonly serviceAccountEmail: pulumi.Output<string>;
    readonly instanceTemplate: gcp.compute.InstanceTemplate;
    readonly healthCheck?: gcp.compute.HealthCheck;
    readonly healthFirewall?: gcp.compute.Firewall;
    readonly instanceGroupManager: gcp.compute.RegionInstanceGroupManager;
    readonly autoscaler: gcp.compute.RegionAutoscaler;
    /** The instance group, for a load balancer's backend service. */
    readonly instanceGroup: pulumi.Output<string>;
    readonly rollout: pulumi.Output<RolloutTarget>;

    constructor(name: string, args: VmGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:gcp:VmGroup", name, {}, opts);
        validateVmGroupSpec("VmGroup", args);
        validateSchedules("VmGroup", args.schedules ?? [], args.maxSize);
        if (!args.instanceType) {
            throw new Error("VmGroup: `instanceType` must name a machine type (e.g. e2-standard-2), got an empty string.");
        }
        if (args.healthCheckPath !== undefined && args.port === undefined) {
            throw new Error("VmGroup: `healthCheckPath` needs `port`, the port the instances serve it on.");
        }

        this.serviceAccount = new gcp.serviceaccount.Account(
            `${name}-sa`,
            { accountId: serviceAccountId(name), displayName: `Instances of ${name}` },
            { parent: this },
        );
        // The email follows from the account id and the project, both known at preview, so policies can judge the template before apply.
        const project = args.project ?? gcp.organizations.getClientConfigOutput({ parent: this }).project;
        this.serviceAccountEmail = pulumi.interpolate`${serviceAccountId(name)}@${project}.iam.gserviceaccount.com`;
        const member = pulumi.interpolate`serviceAccount:${this.serviceAccount.email}`;
        if (args.project) {
            for (const role of ["roles/logging.logWriter", "roles/monitoring.metricWriter"]) {
                new gcp.projects.IAMMember(`${name}-${role.split("/")[1].split(".")[0]}`, { project: args.project, role, member }, { parent: this });
            }
        }
        (args.secretIds ?? []).forEach((secretId, i) => {
            new gcp.secretmanager.SecretIamMember(`${name}-secret-${i}`, { secretId, role: "roles/secretmanager.secretAccessor", member }, { parent: this });
        });

        const mountScript = args.nfsMount
            ? pulumi.interpolate`#!/bin/bash
set -euo pipefail
mkdir -p /mnt/shared
grep -q " /mnt/shared " /etc/fstab || echo "${args.nfsMount.host}:/${args.nfsMount.share} /mnt/shared nfs defaults,_netdev 0 0" >> /etc/fstab
mount -a
`
            : undefined;

        this.instanceTemplate = new gcp.compute.InstanceTemplate(
            `${name}-template`,
            {
                region: args.region,
                machineType: args.instanceType,
                disks: [{ boot: true, autoDelete: true, sourceImage: args.imageId, diskType: "pd-balanced" }],
                networkInterfaces: [{ network: args.network.networkId, subnetwork: args.network.subnetworkId }],
                serviceAccount: { email: this.serviceAccountEmail, scopes: ["https://www.googleapis.com/auth/cloud-platform"] },
                shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
                metadata: { "enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE" },
                metadataStartupScript: mountScript,
            },
            // The email is built, not read from the account, so the order is stated.
            { parent: this, dependsOn: [this.serviceAccount] },
        );

        if (args.port !== undefined) {
            this.healthCheck = new gcp.compute.HealthCheck(
                `${name}-health`,
                {
                    checkIntervalSec: 10,
                    timeoutSec: 5,
                    healthyThreshold: 2,
                    unhealthyThreshold: 3,
                    httpHealthCheck: { port: args.port, requestPath: args.healthCheckPath ?? "/" },
                    logConfig: { enable: true },
                },
                { parent: this },
            );
            this.healthFirewall = new gcp.compute.Firewall(
                `${name}-allow-health`,
                {
                    network: args.network.networkId,
                    direction: "INGRESS",
                    sourceRanges: googleHealthCheckRanges,
                    allows: [{ protocol: "tcp", ports: [String(args.port)] }],
                    targetServiceAccounts: [this.serviceAccount.email],
                    logConfig: { metadata: "INCLUDE_ALL_METADATA" },
                },
                { parent: this },
            );
        }

        const zones = pulumi.output(args.network.zones);
        this.instanceGroupManager = new gcp.compute.RegionInstanceGroupManager(
            `${name}-mig`,
            {
                region: args.region,
                baseInstanceName: name,
                distributionPolicyZones: zones,
                versions: [{ name: "primary", instanceTemplate: this.instanceTemplate.selfLinkUnique }],
                targetSize: args.desiredSize,
                namedPorts: args.port !== undefined ? [{ name: "http", port: args.port }] : undefined,
                autoHealingPolicies: this.healthCheck ? { healthCheck: this.healthCheck.id, initialDelaySec: 300 } : undefined,
                updatePolicy: zones.apply((list) => ({
                    type: "PROACTIVE",
                    minimalAction: "REPLACE",
                    replacementMethod: "SUBSTITUTE",
                    instanceRedistributionType: "PROACTIVE",
                    maxSurgeFixed: Math.max(list.length, 1),
                    maxUnavailableFixed: 0,
                    minReadySec: 60,
                })),
                // The update returns once every instance runs the new template, so a rollout that never gets there fails it.
                waitForInstances: true,
                waitForInstancesStatus: "UPDATED",
            },
            // The autoscaler owns the size once the group exists. The provider keeps waiting for the instances until
            // the timeout, which bounds a stuck rollout: one batch per zone, each with boot, health check and minReadySec.
            { parent: this, ignoreChanges: ["targetSize"], customTimeouts: { create: migRolloutTimeout, update: migRolloutTimeout } },
        );
        this.instanceGroup = this.instanceGroupManager.instanceGroup;

        this.autoscaler = new gcp.compute.RegionAutoscaler(
            `${name}-autoscaler`,
            {
                region: args.region,
                target: this.instanceGroupManager.id,
                autoscalingPolicy: {
                    minReplicas: args.minSize,
                    maxReplicas: args.maxSize,
                    cooldownPeriod: 90,
                    cpuUtilization: { target: args.cpuTargetPercent / 100 },
                    scalingSchedules: (args.schedules ?? []).map((schedule) => scalingSchedule(schedule, args.minSize)),
                },
            },
            { parent: this },
        );

        this.rollout = pulumi
            .all([project, this.instanceGroupManager.name])
            .apply(([groupProject, name]): RolloutTarget => ({ kind: "gcp-region-instance-group-manager", project: groupProject, region: args.region, name }));

        this.registerOutputs({ instanceGroup: this.instanceGroup, serviceAccountEmail: this.serviceAccount.email, rollout: this.rollout });
    }
}

/**
 * A campaign as an autoscaler scaling schedule: a cron with the year (so it fires
 * once) read in the campaign's time zone, lasting until the end; the autoscaler
 * drops back to its own minimum when the window closes.
 */
export function scalingSchedule(schedule: CapacitySchedule, minSize: number): gcp.types.input.compute.RegionAutoscalerAutoscalingPolicyScalingSchedule {
    const [date, time] = schedule.start.split("T");
    const [year, month, day] = date.split("-").map(Number);
    const [hour, minute] = time.split(":").map(Number);
    const durationMs = scheduleInstant(schedule.end, schedule.timeZone)!.getTime() - scheduleInstant(schedule.start, schedule.timeZone)!.getTime();
    return {
        name: schedule.name,
        description: `Campaign ${schedule.name}: ${schedule.start} to ${schedule.end} (${schedule.timeZone})`,
        schedule: `${minute} ${hour} ${day} ${month} * ${year}`,
        timeZone: schedule.timeZone,
        durationSec: Math.round(durationMs / 1000),
        minRequiredReplicas: Math.max(schedule.minCapacity, minSize),
    };
}
