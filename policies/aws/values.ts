/** How AWS inputs read, whatever their spelling, and whether they are known yet. */
import { UnknownValueError } from "@pulumi/policy";

/** Providers spell some booleans as strings ("true" in launch templates). */
export const isTrue = (v: unknown): boolean => v === true || (typeof v === "string" && v.toLowerCase() === "true");

const unknownField = Symbol("unknown");

/** A field's value, or `unknownField` when a preview cannot know it yet. */
function read<T extends object>(obj: T | undefined, key: keyof T): unknown {
    try {
        return obj?.[key];
    } catch (e) {
        if (e instanceof UnknownValueError) return unknownField;
        throw e;
    }
}

/**
 * Whether a field is set. A value not known in a preview (a key ARN another resource
 * will output) is set: it is not known yet, but it is not missing.
 */
export function isSet<T extends object>(obj: T | undefined, key: keyof T): boolean {
    const v = read(obj, key);
    return v !== undefined && v !== null && v !== "";
}

/** A string field when it is known; undefined when it is unset or not known yet. */
export function knownString<T extends object>(obj: T | undefined, key: keyof T): string | undefined {
    const v = read(obj, key);
    return typeof v === "string" ? v : undefined;
}
