/**
 * The message of anything thrown, with the causes beneath it: a network error
 * says "fetch failed" and keeps "connect ECONNREFUSED" in its cause. Causes are
 * recognised by shape, since an SDK may throw errors of another realm's Error.
 */
export function messageOf(error: unknown): string {
    const parts: string[] = [];
    let current: unknown = error;
    for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
        const message = typeof current === "object" && typeof (current as { message?: unknown }).message === "string" ? (current as Error).message : String(current);
        if (message && !parts.some((part) => part.includes(message))) parts.push(message);
        current = typeof current === "object" ? (current as { cause?: unknown }).cause : undefined;
    }
    return parts.join(": ") || "unknown error";
}
