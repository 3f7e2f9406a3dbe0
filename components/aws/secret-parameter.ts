import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Environment, SecretHandle, SecretParameterSpec } from "../contracts";

export interface SecretParameterArgs extends SecretParameterSpec {
    environment: Environment;
    /** The parameter's name, a path starting with "/". */
    parameterName: string;
    /** A customer-managed key to share; the component creates one (rotated) when unset. */
    kmsKeyArn?: pulumi.Input<string>;
}

const parameterNamePattern = /^(\/[a-zA-Z0-9_.-]+)+$/;

/**
 * An SSM SecureString parameter under a customer-managed KMS key, its value from
 * a Pulumi secret, and a read-only IAM policy document for its consumers (read
 * the parameter, decrypt with the key, nothing else).
 */
export class SecretParameter extends pulumi.ComponentResource implements SecretHandle {
    readonly cloud = "aws" as const;
    readonly reference: pulumi.Output<string>;
    /** The parameter's name, known before apply. */
    readonly parameterName: string;
    readonly parameter: aws.ssm.Parameter;
    readonly kmsKey?: aws.kms.Key;
    readonly kmsKeyArn: pulumi.Output<string>;
    /** Grants ssm:GetParameter(s) on this parameter and kms:Decrypt with its key. */
    readonly readPolicyJson: pulumi.Output<string>;

    constructor(name: string, args: SecretParameterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:aws:SecretParameter", name, {}, opts);
        this.parameterName = args.parameterName;
        if (!parameterNamePattern.test(args.parameterName) || args.parameterName.length > 1011) {
            throw new Error(
                `SecretParameter: \`parameterName\` must be a path of letters, digits, "_", "." and "-" segments starting with "/" (e.g. "/transactional/db-password"); got "${args.parameterName}".`,
            );
        }
        if (!pulumi.Output.isInstance(args.value)) {
            throw new Error("SecretParameter: `value` must be a Pulumi secret (pulumi.secret(...) or config set with --secret), never a plain string.");
        }
        const prod = args.environment === "prod";

        if (args.kmsKeyArn === undefined) {
            this.kmsKey = new aws.kms.Key(
                `${name}-key`,
                { description: `Encrypts the secret ${args.parameterName}`, enableKeyRotation: true, deletionWindowInDays: 30 },
                { parent: this, protect: prod },
            );
        }
        this.kmsKeyArn = this.kmsKey ? this.kmsKey.arn : pulumi.output(args.kmsKeyArn!);

        this.parameter = new aws.ssm.Parameter(
            `${name}-param`,
            {
                name: args.parameterName,
                type: "SecureString",
                keyId: this.kmsKeyArn,
                value: pulumi.secret(args.value),
                description: args.description,
                tier: "Standard",
            },
            { parent: this, protect: prod, additionalSecretOutputs: ["value"] },
        );

        this.readPolicyJson = pulumi.all([this.parameter.arn, this.kmsKeyArn]).apply(([parameterArn, keyArn]) =>
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: parameterArn },
                    { Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn },
                ],
            }),
        );
        this.reference = this.parameter.arn;
        this.registerOutputs({ parameterArn: this.parameter.arn });
    }
}
