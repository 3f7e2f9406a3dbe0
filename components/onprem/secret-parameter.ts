import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { Environment, SecretHandle } from "../contracts";
import { formerly } from "../core/moved";

export interface SecretParameterArgs {
    environment: Environment;
    namespace: pulumi.Input<string>;
    /** A Pulumi secret. */
    value: pulumi.Output<string>;
    description?: string;
    /** The key under which the value is stored. */
    key?: string;
}

/**
 * The private-cloud secret parameter: an Opaque Secret from a Pulumi secret. Its
 * name is generated, so a new value is a new Secret and consumers roll onto it.
 * Immutable in dev; in prod it is protected instead, because replacing an
 * immutable Secret would mean deleting a protected one on every rotation.
 */
export class SecretParameter extends pulumi.ComponentResource implements SecretHandle {
    readonly cloud = "onprem" as const;
    readonly reference: pulumi.Output<string>;
    readonly key: string;
    /** The environment variable a VM group exposes it as: the name in upper snake case. */
    readonly envName: string;
    readonly secret: k8s.core.v1.Secret;

    constructor(name: string, args: SecretParameterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:onprem:SecretParameter", name, {}, formerly(opts, "multicloud:kubernetes:SecretParameter"));
        if (!pulumi.Output.isInstance(args.value)) {
            throw new Error("SecretParameter: `value` must be a Pulumi secret (pulumi.secret(...) or a secret config value).");
        }
        this.key = args.key ?? "value";
        if (!/^[-._a-zA-Z0-9]+$/.test(this.key)) {
            throw new Error(`SecretParameter: \`key\` may hold letters, digits, '-', '_' and '.', got ${this.key}.`);
        }
        this.envName = name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
        const prod = args.environment === "prod";

        this.secret = new k8s.core.v1.Secret(
            `${name}-secret`,
            {
                metadata: {
                    namespace: args.namespace,
                    annotations: args.description ? { "multicloud/description": args.description } : undefined,
                },
                type: "Opaque",
                immutable: !prod,
                stringData: { [this.key]: pulumi.secret(args.value) },
            },
            { parent: this, protect: prod },
        );

        this.reference = this.secret.metadata.name;
        this.registerOutputs({ reference: this.reference });
    }
}
