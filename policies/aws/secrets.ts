/** SSM parameters that hold secrets, and the KMS keys that encrypt them. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { baseline, cis, fsbp } from "./frameworks";
import { isSet, knownString } from "./values";
import { validateTyped } from "../typed";
import type { ParameterArgs } from "@pulumi/aws/ssm";
import type { KeyArgs } from "@pulumi/aws/kms";
import type { LogGroupArgs } from "@pulumi/aws/cloudwatch";

/** Words of a name: "/app/dbPassword" -> ["app", "db", "password"]. */
const wordsOf = (name: string): string[] =>
    name
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(Boolean);

/** True when a word of the name is, starts or ends with a secret word ("apikey", "passwords", "dbpassword"). */
export function namesASecret(name: string, secretWords: readonly string[]): boolean {
    return wordsOf(name).some((w) => secretWords.some((s) => w === s || w.startsWith(s) || w.endsWith(s)));
}

const defaultSecretWords = ["password", "passwd", "secret", "token", "key", "credential"];

const awsManagedSsmKey = (keyId: string) => /(^|:)alias\/aws\/ssm$/.test(keyId);

export const ssmSecretParameterEncrypted: ResourceValidationPolicy = {
    name: "aws-ssm-secret-parameter-secure-string",
    description: "An SSM parameter whose name says it holds a secret (password, secret, token, key, credential) must be a SecureString encrypted with a customer-managed KMS key (`type: \"SecureString\"`, `keyId`); left out, `keyId` is the AWS-managed alias/aws/ssm.",
    severity: "high",
    framework: baseline("aws-ssm-secret-parameter-secure-string", "Secrets in Parameter Store are encrypted with a customer-managed key."),
    remediationSteps: "Set `type: \"SecureString\"` and `keyId` to a customer-managed aws.kms.Key on the aws.ssm.Parameter, and pass the value as a Pulumi secret.",
    url: "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html",
    tags: ["aws", "secrets", "encryption", "type:aws:ssm/parameter:Parameter"],
    configSchema: {
        properties: {
            secretWords: {
                type: "array",
                items: { type: "string" },
                default: defaultSecretWords,
                description: "Words that, in a parameter's name, say it holds a secret.",
            },
        },
    },
    validateResource: validateTyped<ParameterArgs>("aws:ssm/parameter:Parameter", (props, args, reportViolation) => {
        // The CLI fills schema defaults in; a runner that does not still gets them.
        const secretWords = args.getConfig<{ secretWords?: string[] }>().secretWords ?? defaultSecretWords;
        const name = String(props.name ?? args.name);
        if (!namesASecret(name, secretWords.map((w) => w.toLowerCase()))) return;
        if (props.type !== "SecureString") return reportViolation(`The parameter ${name} is named like a secret but is a ${props.type ?? "String"}, stored in plain text.`);
        if (!isSet(props, "keyId")) return reportViolation(`The parameter ${name} is encrypted with the AWS-managed key alias/aws/ssm; set \`keyId\` to a customer-managed key.`);
        const keyId = knownString(props, "keyId");
        if (keyId !== undefined && awsManagedSsmKey(keyId)) reportViolation(`The parameter ${name} is encrypted with the AWS-managed key alias/aws/ssm.`);
    }),
};

export const kmsKeyRotation: ResourceValidationPolicy = {
    name: "aws-kms-key-rotation",
    description: "Symmetric customer-managed KMS keys must rotate (`enableKeyRotation: true`; off when left out); asymmetric and HMAC keys cannot rotate and are not judged.",
    severity: "medium",
    framework: cis("3.6", "Ensure rotation for customer-created symmetric CMKs is enabled."),
    remediationSteps: "Set `enableKeyRotation: true` (optionally `rotationPeriodInDays`) on the aws.kms.Key.",
    url: "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    tags: ["aws", "encryption", "checkov:CKV_AWS_7", "tfsec:aws-kms-auto-rotate-keys", "fsbp:KMS.4", "type:aws:kms/key:Key"],
    validateResource: validateTyped<KeyArgs>("aws:kms/key:Key", (props, _args, reportViolation) => {
        if (String(props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT") !== "SYMMETRIC_DEFAULT") return;
        if (props.enableKeyRotation !== true) reportViolation("The KMS key does not rotate.");
    }),
};

export const logGroupRetention: ResourceValidationPolicy = {
    name: "aws-cloudwatch-log-group-retention",
    description: "CloudWatch log groups must set a retention (`retentionInDays` above 0); left out or 0, logs are kept and billed forever.",
    severity: "low",
    framework: fsbp("CloudWatch.16", "CloudWatch log groups should be retained for a specified time period."),
    remediationSteps: "Set `retentionInDays` (for example 365 in prod, 30 in dev) on the aws.cloudwatch.LogGroup.",
    url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
    tags: ["aws", "logging", "cost", "checkov:CKV_AWS_66", "type:aws:cloudwatch/logGroup:LogGroup"],
    validateResource: validateTyped<LogGroupArgs>("aws:cloudwatch/logGroup:LogGroup", (props, _args, reportViolation) => {
        if (!(Number(props.retentionInDays ?? 0) > 0)) reportViolation("The log group keeps its logs forever.");
    }),
};
