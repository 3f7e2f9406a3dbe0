import type { ResourceValidationPolicy } from "@pulumi/policy";
import { baseline, cites, framework } from "../controls";
import { isSet } from "./values";
import { validateTyped } from "../typed";
import type { BackupPolicyArgs, FileSystemArgs } from "@pulumi/aws/efs";

export const efsEncrypted: ResourceValidationPolicy = {
    name: "aws-efs-encrypted",
    description: "EFS file systems must be encrypted at rest with a customer-managed KMS key: set `encrypted: true` and `kmsKeyId`.",
    severity: "high",
    framework: framework("cis-aws:2.4.1"),
    remediationSteps:
        "Set `encrypted: true` and `kmsKeyId` to a customer-managed key on the aws.efs.FileSystem (encryption cannot be added later: the file system is replaced).",
    url: "https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
    tags: [
        "aws",
        "storage",
        "encryption",
        ...cites("cis-aws:2.4.1", "aws-securityhub:EFS.1", "checkov:CKV_AWS_42", "checkov:CKV_AWS_184", "tfsec:aws-efs-enable-at-rest-encryption"),
        "type:aws:efs/fileSystem:FileSystem",
    ],
    validateResource: validateTyped<FileSystemArgs>("aws:efs/fileSystem:FileSystem", (props, _args, reportViolation) => {
        if (props.encrypted !== true) reportViolation("The EFS file system is not encrypted at rest.");
        else if (!isSet(props, "kmsKeyId")) reportViolation("The EFS file system uses the AWS-managed key; set `kmsKeyId` to a customer-managed key.");
    }),
};

export const efsBackupNotDisabled: ResourceValidationPolicy = {
    name: "aws-efs-backup-not-disabled",
    description: "An EFS backup policy must not turn automatic backups off: set `backupPolicy.status` to ENABLED (dev may relax this).",
    severity: "medium",
    framework: baseline("aws-efs-backup-not-disabled", "Production file systems keep AWS Backup's automatic daily backups."),
    remediationSteps: 'Set `backupPolicy: { status: "ENABLED" }` on the aws.efs.BackupPolicy, or remove the resource that disables backups.',
    url: "https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html",
    tags: ["aws", "storage", "backup", "one-way-door", "type:aws:efs/backupPolicy:BackupPolicy"],
    validateResource: validateTyped<BackupPolicyArgs>("aws:efs/backupPolicy:BackupPolicy", (props, _args, reportViolation) => {
        if (props.backupPolicy?.status.toUpperCase() === "DISABLED") {
            reportViolation("The EFS backup policy disables automatic backups.");
        }
    }),
};
