/** KMS keys and secrets. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { baseline } from "../controls";
import { validateTyped } from "../typed";
import type { KeyArgs, SecretArgs } from "@pulumi/alicloud/kms";

export const kmsSecretRecoveryWindow: ResourceValidationPolicy = {
    name: "alicloud-kms-secret-recovery-window",
    description:
        "KMS secrets must keep a recovery window on deletion: `forceDeleteWithoutRecovery` must not be true (the window, `recoveryWindowInDays`, is 30 days when left out).",
    severity: "high",
    framework: baseline("alicloud-kms-secret-recovery-window", "A deleted secret can be restored."),
    remediationSteps: "Remove `forceDeleteWithoutRecovery: true` (or set it false) and keep `recoveryWindowInDays` between 7 and 30.",
    url: "https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-deletesecret",
    tags: ["alicloud", "secrets", "one-way-door", "type:alicloud:kms/secret:Secret"],
    validateResource: validateTyped<SecretArgs>("alicloud:kms/secret:Secret", (props, _args, reportViolation) => {
        // A hand-written program may send the string "true", which the provider accepts.
        if (String(props.forceDeleteWithoutRecovery) === "true") reportViolation("Deleting the secret destroys it at once, with no recovery window.");
    }),
};

/** Key specs that KMS can rotate; asymmetric keys (RSA, EC) cannot. */
const symmetricSpecs = new Set(["Aliyun_AES_256", "Aliyun_AES_128", "Aliyun_AES_192", "Aliyun_SM4"]);

export const kmsKeyRotation: ResourceValidationPolicy = {
    name: "alicloud-kms-key-rotation",
    description:
        'Symmetric KMS keys must rotate automatically (`automaticRotation: "Enabled"`; Disabled when left out); asymmetric keys cannot rotate and are not judged.',
    severity: "medium",
    framework: baseline("alicloud-kms-key-rotation", "Encryption keys rotate."),
    remediationSteps: 'Set `automaticRotation: "Enabled"` and a `rotationInterval` such as "365d" on the alicloud.kms.Key.',
    url: "https://www.alibabacloud.com/help/en/kms/key-management-service/user-guide/configure-automatic-key-rotation",
    tags: ["alicloud", "encryption", "type:alicloud:kms/key:Key"],
    validateResource: validateTyped<KeyArgs>("alicloud:kms/key:Key", (props, _args, reportViolation) => {
        if (!symmetricSpecs.has(props.keySpec ?? "Aliyun_AES_256")) return;
        if ((props.automaticRotation ?? "Disabled") !== "Enabled") reportViolation("The KMS key does not rotate automatically.");
    }),
};
