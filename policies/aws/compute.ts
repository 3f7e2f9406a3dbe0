/**
 * EC2 launch settings (launch templates, launch configurations, instances) and
 * autoscaling groups.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { typesWithProperty } from "../catalog/catalog";
import { baseline, cites, framework } from "../controls";
import { isTrue } from "./values";
import { validateTyped } from "../typed";
import type { GroupArgs } from "@pulumi/aws/autoscaling";
import type { VolumeArgs } from "@pulumi/aws/ebs";
import type { InstanceArgs, LaunchConfigurationArgs, LaunchTemplateArgs } from "@pulumi/aws/ec2";

const launchTemplate = "aws:ec2/launchTemplate:LaunchTemplate";
const launchConfiguration = "aws:ec2/launchConfiguration:LaunchConfiguration";
const instance = "aws:ec2/instance:Instance";
const autoscalingGroup = "aws:autoscaling/group:Group";
const volume = "aws:ebs/volume:Volume";
/** Every type with a top-level `associatePublicIpAddress` (instances, launch configurations, spot instance requests). */
const publicIpTypes = typesWithProperty("associatePublicIpAddress");

export const ec2Imdsv2Required: ResourceValidationPolicy = {
    name: "aws-ec2-imdsv2-required",
    description:
        'Launch templates, launch configurations and instances must require IMDSv2 (`metadataOptions.httpTokens: "required"`) or turn the metadata endpoint off; left out, IMDSv1 stays available.',
    severity: "high",
    framework: baseline("aws-ec2-imdsv2-required", "Instances answer metadata requests only with a session token (IMDSv2)."),
    remediationSteps: 'Set `metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 }`.',
    url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html",
    tags: [
        "aws",
        "compute",
        ...cites(
            { control: "cis-aws:5.6", types: [instance] },
            { control: "aws-securityhub:EC2.8", types: [instance] },
            { control: "aws-securityhub:EC2.170", types: [launchTemplate] },
            { control: "aws-securityhub:AutoScaling.3", types: [launchConfiguration] },
            "checkov:CKV_AWS_79",
            { control: "tfsec:aws-ec2-enforce-http-token-imds", types: [instance] },
            { control: "tfsec:aws-ec2-enforce-launch-config-http-token-imds", types: [launchConfiguration, launchTemplate] },
        ),
        `type:${launchTemplate}`,
        `type:${launchConfiguration}`,
        `type:${instance}`,
    ],
    validateResource: validateTyped<LaunchTemplateArgs | LaunchConfigurationArgs | InstanceArgs>(
        [launchTemplate, launchConfiguration, instance],
        (props, _args, reportViolation) => {
            const m = props.metadataOptions;
            if (m?.httpEndpoint === "disabled") return;
            if (m?.httpTokens !== "required")
                reportViolation('The instance metadata service accepts IMDSv1 requests; set `metadataOptions.httpTokens` to "required".');
        },
    ),
};

export const ec2VolumesEncrypted: ResourceValidationPolicy = {
    name: "aws-ec2-volumes-encrypted",
    description:
        "Every EBS volume an instance gets must be encrypted: each block device mapping of a launch template, the root and EBS devices of launch configurations and instances, and aws.ebs.Volume (a root volume left to the AMI's default is not known to be encrypted).",
    severity: "high",
    framework: baseline("aws-ec2-volumes-encrypted", "EBS volumes of instances are encrypted at rest."),
    remediationSteps:
        "Declare the root device (`blockDeviceMappings` / `rootBlockDevice`) with `encrypted: true` (and a `kmsKeyId`), and set `encrypted: true` on every other EBS device.",
    url: "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
    tags: [
        "aws",
        "compute",
        "encryption",
        ...cites(
            { control: "checkov:CKV_AWS_8", types: [launchConfiguration, instance] },
            { control: "checkov:CKV_AWS_3", types: [volume] },
            { control: "tfsec:aws-ec2-enable-launch-config-at-rest-encryption", types: [launchConfiguration] },
            { control: "tfsec:aws-ec2-enable-at-rest-encryption", types: [instance] },
        ),
        `type:${launchTemplate}`,
        `type:${launchConfiguration}`,
        `type:${instance}`,
        `type:${volume}`,
    ],
    validateResource: [
        validateTyped<LaunchTemplateArgs>(launchTemplate, (props, _args, reportViolation) => {
            const ebs = (props.blockDeviceMappings ?? []).filter((m) => m.ebs !== undefined);
            if (ebs.length === 0)
                reportViolation(
                    "The launch template declares no EBS device, so the root volume's encryption is left to the AMI; declare it with `ebs.encrypted: true`.",
                );
            for (const m of ebs) if (!isTrue(m.ebs?.encrypted)) reportViolation(`The EBS device ${m.deviceName ?? "of a mapping"} is not encrypted.`);
        }),
        validateTyped<LaunchConfigurationArgs | InstanceArgs>([launchConfiguration, instance], (props, _args, reportViolation) => {
            if (!isTrue(props.rootBlockDevice?.encrypted)) reportViolation("The root volume is not declared encrypted; set `rootBlockDevice.encrypted: true`.");
            for (const d of props.ebsBlockDevices ?? []) if (!isTrue(d.encrypted)) reportViolation(`The EBS device ${d.deviceName} is not encrypted.`);
        }),
        validateTyped<VolumeArgs>(volume, (props, _args, reportViolation) => {
            if (!isTrue(props.encrypted)) reportViolation("The EBS volume is not encrypted.");
        }),
    ],
};

export const ec2NoPublicIp: ResourceValidationPolicy = {
    name: "aws-ec2-no-public-ip",
    description:
        "Launch templates and every type with an `associatePublicIpAddress` input (instances, launch configurations, spot requests) must not ask for a public IP; when it is left out the subnet decides, and aws-subnet-no-public-ip-on-launch judges the subnet.",
    severity: "high",
    framework: baseline("aws-ec2-no-public-ip", "Instances are reached through load balancers, never on their own public IP."),
    remediationSteps:
        "Set `associatePublicIpAddress: false` (on each network interface of a launch template) and reach the instances through a load balancer or SSM.",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html",
    tags: [
        "aws",
        "compute",
        "network",
        // EC2.9 judges an instance's actual address, which an Elastic IP or the subnet can give it; this policy reads the instance's own request.
        ...cites(
            { control: "aws-securityhub:EC2.25", types: [launchTemplate] },
            { control: "aws-securityhub:Autoscaling.5", types: [launchConfiguration] },
            { control: "checkov:CKV_AWS_88", types: [instance, launchTemplate] },
            { control: "tfsec:aws-ec2-no-public-ip", types: [launchConfiguration] },
        ),
        `type:${launchTemplate}`,
        ...[...publicIpTypes].map((t) => `type:${t}`),
    ],
    validateResource: (args, reportViolation) => {
        if (args.type === launchTemplate) {
            for (const ni of args.props.networkInterfaces ?? []) {
                if (isTrue(ni.associatePublicIpAddress)) reportViolation(`Network interface ${ni.deviceIndex ?? 0} of the launch template gets a public IP.`);
            }
        } else if (publicIpTypes.has(args.type) && isTrue(args.props.associatePublicIpAddress)) {
            reportViolation("The instance gets a public IP.");
        }
    },
};

export const autoscalingGroupMultiAz: ResourceValidationPolicy = {
    name: "aws-autoscaling-group-multi-az",
    description:
        "Autoscaling groups must span at least two availability zones: two or more `availabilityZones`, or two or more subnets in `vpcZoneIdentifiers` (one per zone).",
    severity: "medium",
    framework: framework("aws-securityhub:AutoScaling.2"),
    remediationSteps: "Give the group one private subnet in each of at least two availability zones.",
    url: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html",
    tags: ["aws", "compute", "reliability", ...cites("aws-securityhub:AutoScaling.2"), `type:${autoscalingGroup}`],
    validateResource: validateTyped<GroupArgs>(autoscalingGroup, (props, _args, reportViolation) => {
        const zones = new Set(props.availabilityZones ?? []).size;
        const subnets = (props.vpcZoneIdentifiers ?? []).length;
        if (zones < 2 && subnets < 2) reportViolation("The autoscaling group is confined to a single availability zone.");
    }),
};

/** The health checks an autoscaling group uses: `healthCheckType` is a comma-separated list ("EBS,ELB"); EC2 is always on. */
const healthChecksOf = (healthCheckType: string | undefined): Set<string> =>
    new Set([
        "EC2",
        ...(healthCheckType ?? "")
            .split(",")
            .map((t) => t.trim().toUpperCase())
            .filter(Boolean),
    ]);

export const autoscalingGroupElbHealthCheck: ResourceValidationPolicy = {
    name: "aws-autoscaling-group-elb-health-check",
    description:
        "An autoscaling group behind a load balancer (`targetGroupArns`, `loadBalancers` or a load balancer in `trafficSources`) must use the load balancer's health check (`healthCheckType` with ELB); the default EC2 check keeps instances that fail their application, and a group fed by VPC Lattice alone uses VPC_LATTICE or ELB.",
    severity: "medium",
    framework: framework("aws-securityhub:AutoScaling.1"),
    remediationSteps: 'Set `healthCheckType: "ELB"` and a `healthCheckGracePeriod` that covers start-up.',
    url: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html",
    tags: ["aws", "compute", "reliability", ...cites("aws-securityhub:AutoScaling.1"), `type:${autoscalingGroup}`],
    validateResource: validateTyped<GroupArgs>(autoscalingGroup, (props, _args, reportViolation) => {
        // A traffic source names a load balancer unless its type says VPC Lattice (elb and elbv2 are the others).
        const lattice = (props.trafficSources ?? []).filter((s) => (s.type ?? "").toLowerCase() === "vpc-lattice").length;
        const loadBalancers = (props.targetGroupArns ?? []).length + (props.loadBalancers ?? []).length + (props.trafficSources ?? []).length - lattice;
        const checks = healthChecksOf(props.healthCheckType);
        const named = props.healthCheckType ?? "EC2";
        if (loadBalancers > 0 && !checks.has("ELB")) reportViolation(`The autoscaling group is behind a load balancer but uses the ${named} health check.`);
        else if (loadBalancers === 0 && lattice > 0 && !checks.has("VPC_LATTICE") && !checks.has("ELB")) {
            reportViolation(`The autoscaling group receives traffic from VPC Lattice but uses the ${named} health check.`);
        }
    }),
};

export const autoscalingGroupInstanceRefresh: ResourceValidationPolicy = {
    name: "aws-autoscaling-group-instance-refresh",
    description:
        "Autoscaling groups must roll new launch templates out with an instance refresh that keeps at least `minHealthyPercentage` (default 90) of capacity in service; AWS's own default is 90 when the preference is left out.",
    severity: "medium",
    framework: baseline("aws-autoscaling-group-instance-refresh", "Rolling replacements keep capacity."),
    remediationSteps:
        'Set `instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 90, autoRollback: true } }` (100 in prod for no capacity loss).',
    url: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html",
    tags: ["aws", "compute", "reliability", `type:${autoscalingGroup}`],
    configSchema: {
        properties: {
            minHealthyPercentage: {
                type: "integer",
                minimum: 0,
                maximum: 100,
                default: 90,
                description: "Lowest share of capacity an instance refresh may keep in service.",
            },
        },
    },
    validateResource: validateTyped<GroupArgs>(autoscalingGroup, (props, args, reportViolation) => {
        const minHealthyPercentage = args.getConfig<{ minHealthyPercentage?: number }>().minHealthyPercentage ?? 90;
        const refresh = props.instanceRefresh;
        if (!refresh) return reportViolation("The autoscaling group has no instance refresh: a new launch template version reaches no running instance.");
        const kept = refresh.preferences?.minHealthyPercentage ?? 90;
        if (kept < minHealthyPercentage) reportViolation(`The instance refresh keeps only ${kept}% healthy; at least ${minHealthyPercentage}% is required.`);
    }),
};
