/** SSM parameters that hold secrets, and the KMS keys that encrypt them. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { baseline, cites, framework } from "../controls";
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
    description:
        'An SSM parameter whose name says it holds a secret (password, secret, token, key, credential) must be a SecureString encrypted with a customer-managed KMS key (`type: "SecureString"`, `keyId`); left out, `keyId` is the AWS-managed alias/aws/ssm.',
    severity: "high",
    framework: baseline("aws-ssm-secret-parameter-secure-string", "Secrets in Parameter Store are encrypted with a customer-managed key."),
    remediationSteps:
        'Set `type: "SecureString"` and `keyId` to a customer-managed aws.kms.Key on the aws.ssm.Parameter, and pass the value as a Pulumi secret.',
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
        const name = props.name ?? args.name;
        if (
            !namesASecret(
                name,
                secretWords.map((w) => w.toLowerCase()),
            )
        )
            return;
        if (props.type !== "SecureString")
            return reportViolation(`The parameter ${name} is named like a secret but is a ${props.type ?? "String"}, stored in plain text.`);
        if (!isSet(props, "keyId"))
            return reportViolation(`The parameter ${name} is encrypted with the AWS-managed key alias/aws/ssm; set \`keyId\` to a customer-managed key.`);
        const keyId = knownString(props, "keyId");
        if (keyId !== undefined && awsManagedSsmKey(keyId)) reportViolation(`The parameter ${name} is encrypted with the AWS-managed key alias/aws/ssm.`);
    }),
};

export const kmsKeyRotation: ResourceValidationPolicy = {
    name: "aws-kms-key-rotation",
    description:
        "Symmetric customer-managed KMS keys must rotate (`enableKeyRotation: true`; off when left out); asymmetric and HMAC keys cannot rotate and are not judged.",
    severity: "medium",
    framework: framework("cis-aws:3.6"),
    remediationSteps: "Set `enableKeyRotation: true` (optionally `rotationPeriodInDays`) on the aws.kms.Key.",
    url: "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    tags: [
        "aws",
        "encryption",
        ...cites("cis-aws:3.6", "aws-securityhub:KMS.4", "checkov:CKV_AWS_7", "tfsec:aws-kms-auto-rotate-keys"),
        "type:aws:kms/key:Key",
    ],
    validateResource: validateTyped<KeyArgs>("aws:kms/key:Key", (props, _args, reportViolation) => {
        if ((props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT") !== "SYMMETRIC_DEFAULT") return;
        if (props.enableKeyRotation !== true) reportViolation("The KMS key does not rotate.");
    }),
};

/** Security Hub's own default for CloudWatch.16 (`minRetentionTime`). */
const defaultMinRetentionInDays = 365;

export const logGroupRetention: ResourceValidationPolicy = {
    name: "aws-cloudwatch-log-group-retention",
    description:
        "CloudWatch log groups must keep their logs for at least `minRetentionInDays` (365 by default, as Security Hub's CloudWatch.16 asks; dev: 30) and not forever: `retentionInDays` left out or 0 keeps and bills them indefinitely.",
    severity: "low",
    framework: framework("aws-securityhub:CloudWatch.16"),
    remediationSteps:
        "Set `retentionInDays` on the aws.cloudwatch.LogGroup to one of CloudWatch's values at or above the minimum (365 or 400 in prod, 30 in dev).",
    url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
    tags: [
        "aws",
        "logging",
        "cost",
        ...cites("aws-securityhub:CloudWatch.16", "checkov:CKV_AWS_66", "checkov:CKV_AWS_338"),
        "type:aws:cloudwatch/logGroup:LogGroup",
    ],
    configSchema: {
        properties: {
            minRetentionInDays: {
                type: "integer",
                minimum: 1,
                default: defaultMinRetentionInDays,
                description: "Fewest days a log group keeps its logs (CloudWatch.16 asks for 365 or more; dev may lower it).",
            },
        },
    },
    validateResource: validateTyped<LogGroupArgs>("aws:cloudwatch/logGroup:LogGroup", (props, args, reportViolation) => {
        const minimum = args.getConfig<{ minRetentionInDays?: number }>().minRetentionInDays ?? defaultMinRetentionInDays;
        const days = props.retentionInDays ?? 0;
        if (!(days > 0)) reportViolation("The log group keeps its logs forever.");
        else if (days < minimum) reportViolation(`The log group keeps its logs ${days} days; at least ${minimum} are required.`);
    }),
};
