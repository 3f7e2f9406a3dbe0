/**
 * What the cross-cloud policies need to know about any raw resource: whether it
 * is a Kubernetes object, and how to read a value that may be unknown in a
 * preview without giving up on the whole stack (its cloud: catalog/clouds.ts).
 */

import { notKnown } from "../catalog/tags";

/** The policy SDK throws this (by name; the class is internal) when a policy reads an unknown value. */
function isUnknownValueError(e: unknown): boolean {
    return e instanceof Error && e.constructor.name === "UnknownValueError";
}

/** Reads a value, or `notKnown` when it is unknown in this preview (for readers that must tell unknown from unset). */
export function readKnown<T>(read: () => T): T | typeof notKnown {
    try {
        return read();
    } catch (e) {
        if (isUnknownValueError(e)) return notKnown;
        throw e;
    }
}

/**
 * Reads a value, or undefined when it is unknown in this preview. Resource
 * policies may let the SDK skip them; stack policies use this so one unknown
 * value does not skip the policy for every resource of the stack.
 */
export function known<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (e) {
        if (isUnknownValueError(e)) return undefined;
        throw e;
    }
}

/** Kubernetes resource types that are not objects of a cluster (wrappers, Helm releases). */
export function isKubernetesObject(type: string): boolean {
    return (
        type.startsWith("kubernetes:") &&
        !type.startsWith("kubernetes:helm.sh/") &&
        !type.startsWith("kubernetes:yaml") &&
        !type.startsWith("kubernetes:kustomize") &&
        !type.endsWith("List")
    );
}
