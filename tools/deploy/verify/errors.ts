/**
 * The message of anything thrown, with the causes beneath it: a network error
 * says "fetch failed" and keeps "connect ECONNREFUSED" in its cause. Causes are
 * recognised by shape, since an SDK may throw errors of another realm's Error.
 */
export function messageOf(error: unknown): string {
    const parts: string[] = [];
    let current: unknown = error;
    for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
        const message = ownMessage(current);
        if (message && !parts.some((part) => part.includes(message))) parts.push(message);
        current = typeof current === "object" ? (current as { cause?: unknown }).cause : undefined;
    }
    return parts.join(": ") || "unknown error";
}

/** What one link of the chain says: an error's message, or a thrown string or number itself. */
function ownMessage(value: unknown): string {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
    const message = typeof value === "object" && value !== null ? (value as { message?: unknown }).message : undefined;
    return typeof message === "string" ? message : "";
}
