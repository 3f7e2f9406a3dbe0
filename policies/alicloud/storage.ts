import type { ResourceValidationPolicy } from "@pulumi/policy";
import { baseline } from "../controls";
import { validateTyped } from "../typed";
import type { FileSystemArgs } from "@pulumi/alicloud/nas";

export const nasEncrypted: ResourceValidationPolicy = {
    name: "alicloud-nas-encrypted",
    description:
        "NAS file systems must be encrypted at rest: `encryptType` 1 (NAS-managed key) or 2 (a KMS key of yours, with `kmsKeyId`); it is 0, unencrypted, when left out.",
    severity: "high",
    framework: baseline("alicloud-nas-encrypted", "Shared file systems are encrypted at rest."),
    remediationSteps:
        "Set `encryptType: 2` and `kmsKeyId` (or `encryptType: 1`) on the alicloud.nas.FileSystem; encryption is chosen at creation, so the file system is replaced.",
    url: "https://www.alibabacloud.com/help/en/nas/user-guide/server-side-encryption",
    tags: ["alicloud", "storage", "encryption", "type:alicloud:nas/fileSystem:FileSystem"],
    validateResource: validateTyped<FileSystemArgs>("alicloud:nas/fileSystem:FileSystem", (props, _args, reportViolation) => {
        const encryptType = props.encryptType ?? 0;
        if (encryptType !== 1 && encryptType !== 2) reportViolation("The NAS file system is not encrypted at rest.");
        else if (encryptType === 2 && !props.kmsKeyId) reportViolation("`encryptType: 2` needs the KMS key in `kmsKeyId`.");
    }),
};
