import type { ResourceValidationPolicy } from "@pulumi/policy";

export const efsEncrypted: ResourceValidationPolicy = {
    name: "aws-efs-encrypted",
    description: "EFS file systems must be encrypted at rest with a customer-managed KMS key: set `encrypted: true` and `kmsKeyId`.",
    severity: "high",
    framework: { name: "CIS AWS Foundations Benchmark", version: "3.0.0", reference: "2.4.1", specification: "EFS file systems are encrypted at rest." },
    remediationSteps: "Set `encrypted: true` and `kmsKeyId` to a customer-managed key on the aws.efs.FileSystem (encryption cannot be added later: the file system is replaced).",
    url: "https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
    tags: ["aws", "storage", "encryption"],
    validateResource: (args, reportViolation) => {
        if (args.type !== "aws:efs/fileSystem:FileSystem") return;
        if (args.props.encrypted !== true) reportViolation("The EFS file system is not encrypted at rest.");
        else if (!args.props.kmsKeyId) reportViolation("The EFS file system uses the AWS-managed key; set `kmsKeyId` to a customer-managed key.");
    },
};
