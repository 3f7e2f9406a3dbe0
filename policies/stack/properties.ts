/**
 * Policies that judge one input property on every type whose `*Args` declare
 * it, as the generated catalog lists them, so a type the stacks do not use yet
 * is held to the same rule. Types with a policy of their own (EBS volumes, EFS)
 * are left to it, so a resource gets one message per fault.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { coverageTags, typesWithProperty } from "../catalog/catalog";
import { baseline, cites } from "../controls";

/** Judged by aws-ec2-volumes-encrypted and aws-efs-encrypted, which also want a customer-managed key. */
const encryptionJudgedElsewhere = new Set(["aws:ebs/volume:Volume", "aws:efs/fileSystem:FileSystem"]);

/** The property that turns encryption at rest on, per type: `storageEncrypted` (RDS family) before `encrypted`. */
export const encryptionProperty = new Map<string, "storageEncrypted" | "encrypted">(
    [
        ...[...typesWithProperty("encrypted")].map((t) => [t, "encrypted"] as const),
        ...[...typesWithProperty("storageEncrypted")].map((t) => [t, "storageEncrypted"] as const),
    ].filter(([t]) => !encryptionJudgedElsewhere.has(t)),
);

export const publicFlagTypes = typesWithProperty("publiclyAccessible");

export const encryptedAtRest: ResourceValidationPolicy = {
    name: "encrypted-at-rest",
    description: "Every resource whose type has an `encrypted` or `storageEncrypted` input sets it to true; left out, these clouds store the data unencrypted.",
    severity: "high",
    framework: baseline("encrypted-at-rest", "Data at rest is encrypted."),
    remediationSteps:
        "Set `storageEncrypted: true` (RDS, DocumentDB, Neptune) or `encrypted: true` (disks, snapshots, image copies, Redshift, MongoDB); encryption is chosen at creation, so an existing resource is replaced.",
    url: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
    tags: ["aws", "alicloud", "storage", "encryption", ...coverageTags(encryptionProperty.keys())],
    validateResource: (args, reportViolation) => {
        const property = encryptionProperty.get(args.type);
        if (property && args.props[property] !== true) reportViolation(`\`${property}\` is not true, so the data is stored unencrypted.`);
    },
};

/**
 * The control each type's public flag answers to: Security Hub has one for RDS DB
 * instances, DMS replication instances, Redshift clusters and Redshift Serverless
 * workgroups, Checkov for RDS (cluster) instances and MQ brokers; the other types
 * with the flag (Lightsail databases, Neptune instances, ...) have none.
 */
const publicAccessControls = cites(
    { control: "aws-securityhub:RDS.2", types: ["aws:rds/instance:Instance"] },
    { control: "aws-securityhub:DMS.1", types: ["aws:dms/replicationInstance:ReplicationInstance"] },
    { control: "aws-securityhub:Redshift.1", types: ["aws:redshift/cluster:Cluster"] },
    { control: "aws-securityhub:RedshiftServerless.3", types: ["aws:redshiftserverless/workgroup:Workgroup"] },
    { control: "checkov:CKV_AWS_17", types: ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"] },
    { control: "checkov:CKV_AWS_69", types: ["aws:mq/broker:Broker"] },
);

export const notPubliclyAccessible: ResourceValidationPolicy = {
    name: "not-publicly-accessible",
    description: "No resource whose type has a `publiclyAccessible` input sets it to true.",
    severity: "critical",
    framework: baseline("not-publicly-accessible", "Databases, brokers and warehouses are not reachable from the internet."),
    remediationSteps: "Leave `publiclyAccessible` out or set it to false, and reach the resource from inside the VPC (a bastion, a VPN or a private endpoint).",
    url: "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-2",
    tags: ["aws", "network", "exposure", ...publicAccessControls, ...[...publicFlagTypes].map((t) => `type:${t}`)],
    validateResource: (args, reportViolation) => {
        if (publicFlagTypes.has(args.type) && args.props.publiclyAccessible === true) {
            reportViolation("`publiclyAccessible` is true: the resource gets an address reachable from the internet.");
        }
    },
};
