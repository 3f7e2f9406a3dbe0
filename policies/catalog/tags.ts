/**
 * Where each resource type of the four providers keeps its cost-allocation tags,
 * from the generated catalog: a string map at a path (`tags`, `labels`,
 * `settings.userLabels`, `metadata.labels`) or a list of `{ key, value }`
 * entries (the AWS autoscaling group's `tags`). The policy that judges tags and
 * the stack transform that sets them both read it.
 */
import { catalog, isKnownType, providerOf, type Provider } from "./catalog";

export interface TagPlacement {
    /** The provider, whose rules for tag characters and lengths apply. */
    provider: Provider;
    /** Property names from the resource's inputs down to the tags. */
    path: string[];
    /** A `{ key: value }` map, or a list of `{ key, value }` entries. */
    form: "map" | "list";
}

/**
 * A custom resource (`kubernetes:velero.io/v1:Schedule`): a kind no SDK knows, but
 * every Kubernetes object has `metadata.labels`; a `...List` kind is no object.
 */
const customResource = /^kubernetes:[a-z0-9.-]+\/[a-z0-9]+:[A-Z][A-Za-z0-9]*$/;

/** Where a resource of this type carries tags, or undefined when it cannot. */
export function tagPlacement(type: string): TagPlacement | undefined {
    if (customResource.test(type) && !type.endsWith("List") && !isKnownType(type)) return { provider: "kubernetes", path: ["metadata", "labels"], form: "map" };
    const provider = providerOf(type);
    const where = provider && catalog.tags[provider][type.slice(provider.length + 1)];
    if (!provider || !where) return undefined;
    const list = where.endsWith("[]");
    return { provider, path: (list ? where.slice(0, -2) : where).split("."), form: list ? "list" : "map" };
}

/** The placement's path as a property would be written (`metadata.labels`). */
export function fieldName(placement: TagPlacement): string {
    return placement.path.join(".");
}

/** Every taggable type token, by provider. */
export function taggableTypes(provider: Provider): string[] {
    return Object.keys(catalog.tags[provider]).map((t) => `${provider}:${t}`);
}

/** What a reader returns for a value not known yet in a preview. */
export const notKnown = Symbol("not known");

/**
 * The tags a resource carries, key -> value (undefined where a value is not
 * known yet), or undefined when the tags themselves are not known yet. `read`
 * reads one property of an object and returns `notKnown` for an unknown value.
 */
export function readTags(
    placement: TagPlacement,
    props: Record<string, unknown>,
    read: (object: Record<string, unknown>, key: string) => unknown = (object, key) => object[key],
): Map<string, unknown> | undefined {
    let value: unknown = props;
    for (const key of placement.path) {
        // Every value but undefined and null can be read by key; a string or a number just has none of the path's properties.
        value = value === undefined || value === null ? undefined : read(value as Record<string, unknown>, key);
        if (value === notKnown) return undefined;
    }
    const tags = new Map<string, unknown>();
    const known = (v: unknown) => (v === notKnown ? undefined : v);
    if (placement.form === "list") {
        for (const entry of Array.isArray(value) ? value : []) {
            const key = read(entry, "key");
            if (typeof key === "string") tags.set(key, known(read(entry, "value")));
        }
    } else if (value && typeof value === "object") {
        // Object.keys does not read values, so an unknown value hides only itself.
        for (const key of Object.keys(value)) tags.set(key, known(read(value as Record<string, unknown>, key)));
    }
    return tags;
}
