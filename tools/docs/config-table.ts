/**
 * The configuration table of docs/configuration.md, generated from the schemas in stacks/ (as
 * terraform-docs generates a module's table): every key with its type, default
 * and description, so the documentation cannot drift from the code.
 */
import { z } from "zod";
import { commonSchema } from "../../stacks/config";
import { workloadModules } from "../../stacks/workloads";

interface JsonSchema {
    type?: string | string[];
    enum?: unknown[];
    items?: JsonSchema;
    properties?: Record<string, JsonSchema>;
    additionalProperties?: JsonSchema | boolean;
    anyOf?: JsonSchema[];
    default?: unknown;
    description?: string;
    required?: string[];
}

function typeOf(schema: JsonSchema): string {
    if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" \\| ");
    if (schema.anyOf) return schema.anyOf.map(typeOf).join(" \\| ");
    if (schema.type === "array") return `list of ${schema.items ? typeOf(schema.items) : "any"}`;
    if (schema.type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
        return `map of ${typeOf(schema.additionalProperties)}`;
    }
    return Array.isArray(schema.type) ? schema.type.join(" \\| ") : (schema.type ?? "any");
}

function rows(prefix: string, schema: JsonSchema, required: boolean, scope: string): string[] {
    const shownDefault = schema.default === undefined ? (required ? "required" : "unset") : `\`${JSON.stringify(schema.default)}\``;
    const line = `| \`${prefix}\` | ${typeOf(schema)} | ${shownDefault} | ${(schema.description ?? "").replace(/\|/g, "\\|")} | ${scope} |`;
    const children = (parent: JsonSchema, path: string) =>
        Object.entries(parent.properties ?? {}).flatMap(([k, v]) => rows(`${path}.${k}`, v, (parent.required ?? []).includes(k), scope));
    const nested = schema.type === "object" ? children(schema, prefix) : schema.type === "array" && schema.items ? children(schema.items, `${prefix}[]`) : [];
    return [line, ...nested];
}

function table(shape: z.ZodRawShape, scope: string): string[] {
    const json = z.toJSONSchema(z.object(shape), { io: "input", unrepresentable: "any" }) as JsonSchema & { required?: string[] };
    const required = new Set(json.required ?? []);
    return Object.entries(json.properties ?? {}).flatMap(([key, schema]) => rows(`multicloud:${key}`, schema, required.has(key), scope));
}

export function renderConfigTable(): string {
    const lines = ["| key | type | default | description | stacks |", "| --- | --- | --- | --- | --- |", ...table(commonSchema, "all")];
    for (const [name, workload] of Object.entries(workloadModules)) lines.push(...table(workload.settings, name));
    return lines.join("\n");
}
