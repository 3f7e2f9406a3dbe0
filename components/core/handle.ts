import type { Cloud } from "../contracts";

/**
 * The one handle check of every kit: a handle passed back to a kit must be one
 * that kit made, because only that kit reads the resources inside it. Each kit
 * takes its own check once (`const own = handleOwner("aws")`), and every kit
 * calls it in the same order: the handle, the kind it must be, the argument it
 * came in.
 */
export function handleOwner(cloud: Cloud) {
    return <T>(handle: unknown, kind: abstract new (...args: never[]) => T, argument: string): T => {
        if (handle instanceof kind) return handle;
        const from = (handle as { cloud?: string } | undefined)?.cloud;
        const got = from ? `a handle from the ${from} kit` : (JSON.stringify(handle) ?? "undefined");
        throw new Error(`${cloud} kit: \`${argument}\` must be a ${kind.name} made by the ${cloud} kit; got ${got}.`);
    };
}
