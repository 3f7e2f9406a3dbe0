/**
 * Secrets in what policies say and fix: policies see secret values unwrapped, so
 * the plan masks their plaintext in messages and marks it secret again in fixes.
 */
import { secretSig, secretSigKey, unwrapSecrets, type CapturedResource } from "./runtime/capture";
import type { Violation } from "./analyzer";

export function secretTexts(resources: CapturedResource[]): string[] {
    const found = new Set<string>();
    const visit = (value: unknown, inSecret: boolean): void => {
        if (typeof value === "string") {
            if (inSecret && value.length >= 4) found.add(value);
        } else if (Array.isArray(value)) {
            value.forEach((v) => visit(v, inSecret));
        } else if (value && typeof value === "object") {
            const obj = value as Record<string, unknown>;
            if (obj[secretSigKey] === secretSig) {
                visit(unwrapSecrets(obj.value), true);
                if (typeof obj.value === "string" && obj.value.startsWith("{")) {
                    try {
                        visit(JSON.parse(obj.value), true);
                    } catch {
                        // Not JSON: the whole string is already masked.
                    }
                }
            } else Object.values(obj).forEach((v) => visit(v, inSecret));
        }
    };
    for (const r of resources) visit(r.inputs, false);
    return [...found].sort((a, b) => b.length - a.length);
}

/** Marks again as secret every string that was a secret's plaintext. */
export function rewrapSecrets(value: unknown, secrets: string[]): unknown {
    if (typeof value === "string") return secrets.includes(value) ? { [secretSigKey]: secretSig, value } : value;
    if (Array.isArray(value)) return value.map((v) => rewrapSecrets(v, secrets));
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, rewrapSecrets(v, secrets)]));
    }
    return value;
}

/** Masks secret plaintext in what policies report: policies see secrets unwrapped. */
export function maskViolations(violations: Violation[], resources: CapturedResource[]): Violation[] {
    const secrets = secretTexts(resources);
    if (secrets.length === 0) return violations;
    const mask = (text: string) => secrets.reduce((t, s) => t.split(s).join("[secret]"), text);
    return violations.map((v) => ({ ...v, message: mask(v.message), description: mask(v.description) }));
}
