import * as pulumi from "@pulumi/pulumi";

/**
 * A configuration error: the user's message, never a stack trace. It is a
 * `pulumi.RunError`, so `pulumi preview` and the offline plan show the message
 * alone and the plan exits with 2.
 */
export class ConfigError extends pulumi.RunError {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}
