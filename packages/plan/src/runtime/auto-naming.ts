/**
 * Names that providers assign in Check, before the engine asks policies and before
 * the program sees the outputs, so a preview knows them:
 *
 * - Kubernetes: an object without `metadata.name` (nor `generateName`) is named
 *   `<logical name>-<8 characters of a-z0-9>` and annotated `pulumi.com/autonamed`.
 * - AWS: a resource type whose `name` the provider fills when both `name` and
 *   `namePrefix` are left out (auto-named.json, derived from the SDK) is named
 *   `<logical name>-<7 hex digits>`.
 *
 * Other clouds' auto-naming is not declared in their SDKs, so their names stay
 * unknown at preview here. The random part is seeded from the URN: the same
 * resource gets the same name on every run, as the engine keeps a name once given.
 */
import { createHash } from "node:crypto";
import autoNamed from "./auto-named.json";

const awsAutoNamed = new Set<string>(autoNamed.types);
const dns1123 = "abcdefghijklmnopqrstuvwxyz0123456789";

function seeded(urn: string, length: number, alphabet: string): string {
    const bytes = createHash("sha256").update(urn).digest();
    return Array.from({ length }, (_, i) => alphabet[bytes[i] % alphabet.length]).join("");
}

const logicalName = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** The inputs with the name the provider would assign, when the program left it to the provider. */
export function autoName(type: string, urn: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if (type.startsWith("kubernetes:") && !type.startsWith("kubernetes:yaml") && !type.startsWith("kubernetes:helm")) {
        const given = inputs.metadata ?? {};
        // Metadata not known yet, or secret: the provider could not name it either.
        if (typeof given !== "object" || Array.isArray(given)) return inputs;
        const metadata = given as Record<string, unknown>;
        if (metadata.name !== undefined || metadata.generateName !== undefined) return inputs;
        if (type.endsWith("List")) return inputs;
        const annotations = { ...(metadata.annotations as Record<string, unknown> | undefined), "pulumi.com/autonamed": "true" };
        const name = `${logicalName(urn)}-${seeded(urn, 8, dns1123)}`;
        return { ...inputs, metadata: { ...metadata, name, annotations } };
    }
    if (awsAutoNamed.has(type) && inputs.name === undefined && inputs.namePrefix === undefined) {
        return { ...inputs, name: `${logicalName(urn)}-${seeded(urn, 7, "0123456789abcdef")}` };
    }
    return inputs;
}
