import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import type { Cloud, Environment, SecretHandle, SecretParameterSpec } from "../contracts";

export interface SecretParameterArgs extends SecretParameterSpec {
    environment: Environment;
    /** A KMS key the platform already owns; a key of its own (rotating) is created when unset. */
    encryptionKeyId?: pulumi.Input<string>;
    /** Days a deleted secret can be restored: 30 in prod, 7 in dev unless set (KMS allows 7 to 30). */
    recoveryWindowInDays?: number;
}

const secretNamePattern = /^[a-zA-Z0-9/_+=.@-]{1,192}$/;

/**
 * A KMS secret holding a Pulumi secret's value, encrypted with a platform-owned KMS
 * key that rotates every year. A deleted secret stays recoverable for the recovery
 * window: it is never force-deleted. The version id is derived from the value, so a
 * new value is a new secret version; it travels as a secret too.
 */
export class SecretParameter extends pulumi.ComponentResource implements SecretHandle {
    readonly cloud: Cloud = "alicloud";
    readonly key?: alicloud.kms.Key;
    readonly secret: alicloud.kms.Secret;

    /** The secret's name, which instances pass to GetSecretValue. */
    readonly reference: pulumi.Output<string>;
    /**
     * The value, always a Pulumi secret: the kit injects it into container services
     * through a Kubernetes Secret. Not part of the handle contract.
     */
    readonly value: pulumi.Output<string>;

    constructor(name: string, args: SecretParameterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:alicloud:SecretParameter", name, {}, opts);

        if (!secretNamePattern.test(name) || name.startsWith("acs/")) {
            throw new Error(
                `SecretParameter: the name ${JSON.stringify(name)} is not a KMS secret name: 1 to 192 letters, digits and / _ + = . @ -, not starting with "acs/".`,
            );
        }
        const recoveryWindowInDays = args.recoveryWindowInDays ?? (args.environment === "prod" ? 30 : 7);
        if (!Number.isInteger(recoveryWindowInDays) || recoveryWindowInDays < 7 || recoveryWindowInDays > 30) {
            throw new Error(`SecretParameter: \`recoveryWindowInDays\` must be a whole number of days from 7 to 30, got ${recoveryWindowInDays}.`);
        }
        const prod = args.environment === "prod";
        const stateful = { parent: this, protect: prod };

        if (args.encryptionKeyId === undefined) {
            this.key = new alicloud.kms.Key(
                `${name}-key`,
                {
                    description: `${name}: encrypts the secret`,
                    keySpec: "Aliyun_AES_256",
                    keyUsage: "ENCRYPT/DECRYPT",
                    protectionLevel: "SOFTWARE",
                    status: "Enabled",
                    automaticRotation: "Enabled",
                    // Default (non-instance) keys rotate only on a fixed 365-day period.
                    rotationInterval: "365d",
                    pendingWindowInDays: prod ? 30 : 7,
                    deletionProtection: prod ? "Enabled" : "Disabled",
                },
                stateful,
            );
        }

        const value = pulumi.secret(args.value);
        this.value = value;
        this.secret = new alicloud.kms.Secret(
            `${name}-secret`,
            {
                secretName: name,
                description: args.description ?? name,
                secretData: value,
                secretDataType: "text",
                versionId: value.apply((v) => `v-${createHash("sha256").update(v).digest("hex").slice(0, 16)}`),
                encryptionKeyId: args.encryptionKeyId ?? this.key?.id,
                recoveryWindowInDays,
                forceDeleteWithoutRecovery: false,
            },
            stateful,
        );

        this.reference = this.secret.secretName;
        this.registerOutputs({ reference: this.reference });
    }
}
