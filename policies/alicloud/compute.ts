/** Instances that ESS scaling configurations (and plain ECS instances) launch. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { typesWithProperty } from "../catalog/catalog";
import { baseline, cites } from "../controls";
import { validateTyped } from "../typed";
import type { InstanceArgs } from "@pulumi/alicloud/ecs";
import type { ScalingConfigurationArgs } from "@pulumi/alicloud/ess";

const scalingConfiguration = "alicloud:ess/scalingConfiguration:ScalingConfiguration";
const instance = "alicloud:ecs/instance:Instance";

/** Every type that can buy public bandwidth for the instances it launches (instances, launch templates, node pools...). */
const publicBandwidthTypes = typesWithProperty("internetMaxBandwidthOut");

export const noPublicBandwidth: ResourceValidationPolicy = {
    name: "alicloud-instance-no-public-ip",
    description:
        "No resource that launches instances (ESS scaling configurations, ECS instances and launch templates, ACK node pools, every type with an `internetMaxBandwidthOut` input) buys public bandwidth: any value above 0 gives each instance a public IP.",
    severity: "high",
    framework: baseline("alicloud-instance-no-public-ip", "Instances are reached through load balancers, never on their own public IP."),
    remediationSteps: "Set `internetMaxBandwidthOut: 0`; reach the internet through a NAT gateway and serve traffic through a load balancer.",
    url: "https://www.alibabacloud.com/help/en/ecs/user-guide/public-ip-address",
    tags: ["alicloud", "compute", "network", ...[...publicBandwidthTypes].map((t) => `type:${t}`)],
    validateResource: (args, reportViolation) => {
        if (!publicBandwidthTypes.has(args.type)) return;
        const out = Number(args.props.internetMaxBandwidthOut ?? 0);
        if (out > 0) reportViolation(`Instances get a public IP with ${out} Mbit/s of public bandwidth.`);
    },
};

export const disksEncrypted: ResourceValidationPolicy = {
    name: "alicloud-instance-disks-encrypted",
    description:
        "ESS scaling configurations and ECS instances must encrypt the system disk (`systemDiskEncrypted: true`; off when left out) and every data disk (`dataDisks[].encrypted`).",
    severity: "high",
    framework: baseline("alicloud-instance-disks-encrypted", "Instance disks are encrypted at rest."),
    remediationSteps: "Set `systemDiskEncrypted: true` (and `systemDiskKmsKeyId` for your own key) and `encrypted: true` on each data disk.",
    url: "https://www.alibabacloud.com/help/en/ecs/user-guide/encryption-overview",
    // CIS judges the disks of instances; a scaling configuration has no recommendation of its own.
    tags: [
        "alicloud",
        "compute",
        "encryption",
        ...cites({ control: "cis-alicloud:4.2", types: [instance] }),
        `type:${scalingConfiguration}`,
        `type:${instance}`,
    ],
    validateResource: validateTyped<ScalingConfigurationArgs | InstanceArgs>([scalingConfiguration, instance], (props, _args, reportViolation) => {
        if (props.systemDiskEncrypted !== true) reportViolation("The system disk is not encrypted.");
        (props.dataDisks ?? []).forEach((d, i) => {
            // A provider may spell the flag as the string "true".
            const encrypted: unknown = d.encrypted;
            if (encrypted !== true && encrypted !== "true") reportViolation(`Data disk ${d.name ?? d.device ?? `#${i + 1}`} is not encrypted.`);
        });
    }),
};
