import type { ResourceValidationPolicy } from "@pulumi/policy";
import { baseline } from "./frameworks";

export const nasEncrypted: ResourceValidationPolicy = {
    name: "alicloud-nas-encrypted",
    description: "NAS file systems must be encrypted at rest: `encryptType` 1 (NAS-managed key) or 2 (a KMS key of yours, with `kmsKeyId`); it is 0, unencrypted, when left out.",
    severity: "high",
    framework: baseline("alicloud-nas-encrypted", "Shared file systems are encrypted at rest."),
    remediationSteps: "Set `encryptType: 2` and `kmsKeyId` (or `encryptType: 1`) on the alicloud.nas.FileSystem; encryption is chosen at creation, so the file system is replaced.",
    url: "https://www.alibabacloud.com/help/en/nas/user-guide/server-side-encryption",
    tags: ["alicloud", "storage", "encryption", "type:alicloud:nas/fileSystem:FileSystem"],
    validateResource: (args, reportViolation) => {
        if (args.type !== "alicloud:nas/fileSystem:FileSystem") return;
        const encryptType = Number(args.props.encryptType ?? 0);
        if (encryptType !== 1 && encryptType !== 2) reportViolation("The NAS file system is not encrypted at rest.");
        else if (encryptType === 2 && !args.props.kmsKeyId) reportViolation("`encryptType: 2` needs the KMS key in `kmsKeyId`.");
    },
};
