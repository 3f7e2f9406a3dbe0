import type { ResourceValidationPolicy } from "@pulumi/policy";

/**
 * Stateful resource types: deleting or replacing one loses data (file systems,
 * volumes, databases, secrets, keys) or a cluster's whole state. Data, so a new
 * type is one line.
 */
export const statefulTypes: string[] = [
    "aws:dynamodb/table:Table",
    "aws:ebs/volume:Volume",
    "aws:ecs/cluster:Cluster",
    "aws:efs/fileSystem:FileSystem",
    "aws:eks/cluster:Cluster",
    "aws:kms/key:Key",
    "aws:rds/cluster:Cluster",
    "aws:rds/instance:Instance",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:secretsmanager/secret:Secret",
    "aws:ssm/parameter:Parameter",

    "alicloud:cs/managedKubernetes:ManagedKubernetes",
    "alicloud:ecs/ecsDisk:EcsDisk",
    "alicloud:hbr/vault:Vault",
    "alicloud:kms/key:Key",
    "alicloud:kms/secret:Secret",
    "alicloud:nas/fileSystem:FileSystem",
    "alicloud:oos/secretParameter:SecretParameter",
    "alicloud:rds/instance:Instance",

    "gcp:backupdisasterrecovery/backupVault:BackupVault",
    "gcp:compute/disk:Disk",
    "gcp:container/cluster:Cluster",
    "gcp:filestore/instance:Instance",
    "gcp:kms/cryptoKey:CryptoKey",
    "gcp:kms/keyRing:KeyRing",
    "gcp:secretmanager/secret:Secret",
    "gcp:sql/databaseInstance:DatabaseInstance",
    "gcp:storage/bucket:Bucket",

    "kubernetes:core/v1:PersistentVolume",
    "kubernetes:core/v1:PersistentVolumeClaim",
    "kubernetes:core/v1:Secret",
];

export const statefulResourcesProtected: ResourceValidationPolicy = {
    name: "stateful-resources-protected",
    description:
        "In prod, stateful resources (file systems, volumes, databases, secrets, keys, clusters) carry the `protect` resource option, so no change can delete or replace them without a deliberate unprotect. Dev relaxes this to advisory.",
    severity: "high",
    framework: { name: "Multicloud platform baseline", version: "1", reference: "", specification: "Deleting stateful resources is a one-way door and needs two steps." },
    remediationSteps: "Pass `{ protect: true }` in the resource options (components: `protect` for prod); to retire the resource, unprotect it in one change and delete it in the next.",
    url: "https://www.pulumi.com/docs/iac/concepts/options/protect/",
    tags: ["aws", "gcp", "alicloud", "kubernetes", "reliability", "one-way-door", ...statefulTypes.map((t) => `type:${t}`)],
    validateResource: (args, reportViolation) => {
        if (statefulTypes.includes(args.type) && args.opts.protect !== true) {
            reportViolation("This stateful resource is not protected: a replacement or delete would lose its data. Set the `protect` resource option.");
        }
    },
};
