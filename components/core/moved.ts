import type * as pulumi from "@pulumi/pulumi";

/**
 * The options of a component whose type token changed, with an alias to the old
 * token, so a deployed stack keeps the component and, through the engine's
 * inherited aliases, every child of it: nothing is replaced by the move.
 */
export function formerly<T extends pulumi.ResourceOptions>(opts: T | undefined, ...types: string[]): T {
    return { ...opts, aliases: [...(opts?.aliases ?? []), ...types.map((type) => ({ type }))] } as T;
}
