import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import type { Cloud, Environment, SecretHandle } from "../contracts";

export interface SecretParameterArgs {
    environment: Environment;
    /** The value: a Pulumi secret. */
    value: pulumi.Output<string>;
    description?: string;
    /** IAM members (e.g. `serviceAccount:...`) that may read the value. */
    accessors?: pulumi.Input<string>[];
}

/**
 * A Secret Manager secret with one version holding a Pulumi secret, and
 * read-only (secretAccessor) bindings for its consumers. Google encrypts it at
 * rest; a customer-managed key goes in the secret's `replication`, which a
 * transformation in the kit's options can set. In prod the secret and its
 * version are protected and the secret has deletion protection.
 */
export class SecretParameter extends pulumi.ComponentResource implements SecretHandle {
    readonly cloud: Cloud = "gcp";
    readonly secret: gcp.secretmanager.Secret;
    readonly version: gcp.secretmanager.SecretVersion;
    readonly accessorBindings: gcp.secretmanager.SecretIamMember[];
    /** The secret's resource name, `projects/<project>/secrets/<id>`. */
    readonly reference: pulumi.Output<string>;
    /**
     * The value, always a Pulumi secret: the GCP kit injects it into container
     * services as a value, as every other kit does. Not part of the handle.
     */
    readonly value: pulumi.Output<string>;

    constructor(name: string, args: SecretParameterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:gcp:SecretParameter", name, {}, opts);
        if (!pulumi.Output.isInstance(args.value)) {
            throw new Error("SecretParameter: `value` must be a Pulumi secret (pulumi.secret(...) or `pulumi config set --secret`), not a plain string.");
        }
        const prod = args.environment === "prod";
        this.secret = new gcp.secretmanager.Secret(
            `${name}-secret`,
            {
                replication: { auto: {} },
                deletionProtection: prod,
                annotations: args.description ? { description: args.description } : undefined,
            },
            { parent: this, protect: prod },
        );
        this.version = new gcp.secretmanager.SecretVersion(
            `${name}-version`,
            { secret: this.secret.id, secretData: pulumi.secret(args.value) },
            { parent: this, protect: prod },
        );
        this.accessorBindings = (args.accessors ?? []).map(
            (member, i) =>
                new gcp.secretmanager.SecretIamMember(
                    `${name}-reader-${i}`,
                    { secretId: this.secret.id, role: "roles/secretmanager.secretAccessor", member },
                    { parent: this },
                ),
        );
        this.reference = this.secret.id;
        this.value = pulumi.secret(args.value);
        this.registerOutputs({ reference: this.reference });
    }
}
