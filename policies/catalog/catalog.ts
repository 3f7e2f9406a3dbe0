/**
 * The generated catalog of the four provider SDKs' resource types
 * (resource-types.json, written by `npm run generate:catalog` from the SDKs'
 * declarations): every type, and where each taggable type keeps its tags.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** A provider package the catalog was generated from (the clouds' providers). */
export type Provider = string;

export interface ResourceCatalog {
    sdks: Record<Provider, string>;
    types: Record<Provider, string[]>;
    tags: Record<Provider, Record<string, string>>;
    properties: Record<string, string[]>;
}

// Read, not imported: the pack is started by the CLI's runner, whose TypeScript settings are not ours.
export const catalog: ResourceCatalog = JSON.parse(fs.readFileSync(path.join(__dirname, "resource-types.json"), "utf8"));

/** The provider packages whose types the catalog holds. */
export const providers: readonly Provider[] = Object.keys(catalog.sdks);

/** The provider of a type token, or undefined for types of other packages. */
export function providerOf(type: string): Provider | undefined {
    const pkg = type.slice(0, type.indexOf(":"));
    return providers.includes(pkg) ? pkg : undefined;
}

/** Every resource type token of a provider's SDK. */
export function typesOf(provider: Provider): string[] {
    return catalog.types[provider].map((t) => `${provider}:${t}`);
}

let known: ReadonlySet<string> | undefined;

/** Whether a type token is a resource type of one of the four SDKs (a set, built at the first question). */
export function isKnownType(type: string): boolean {
    known ??= new Set(providers.flatMap(typesOf));
    return known.has(type);
}

/**
 * Policy tags that record how many types of each provider a policy judges
 * (`types:aws=861`); the policy table in policies/README.md counts from them.
 */
export function coverageTags(types: Iterable<string>): string[] {
    const all = [...types];
    return providers.map((p) => `types:${p}=${all.filter((t) => t.startsWith(`${p}:`)).length}`);
}

/** Types whose `*Args` declare this input property. */
export function typesWithProperty(property: string): ReadonlySet<string> {
    return new Set(catalog.properties[property] ?? []);
}
