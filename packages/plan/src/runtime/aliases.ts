/**
 * Aliases as URNs, as the engine resolves them when a resource registers: the
 * resource's own aliases, then the ones it inherits from its parent. A component
 * whose type, name or parent changed carries `aliases`; the engine gives each
 * child the URN it had under every alias of its parent, so the children move with
 * the component instead of being deleted and created.
 */

/** An alias as the SDK sends it: a URN, or a spec the engine completes from the resource. */
interface AliasMessage {
    urn?: string;
    spec?: { name?: string; type?: string; stack?: string; project?: string; parenturn?: string; noparent?: boolean };
}

/** What alias resolution reads of a registered resource. */
export interface Aliased {
    urn: string;
    name: string;
    parent?: string;
    options: { aliases: unknown[] };
}

const rootType = "pulumi:pulumi:Stack";

const head = (urn: string) => urn.split("::").slice(0, 2).join("::");
const typeChain = (urn: string) => urn.split("::")[2].split("$");
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** The resource's own aliases as URNs (a spec completed from the resource, as the engine does). */
function ownAliasUrns(resource: Aliased): string[] {
    return resource.options.aliases.flatMap((alias) => {
        if (typeof alias === "string") return [alias];
        const { urn, spec } = alias as AliasMessage;
        if (urn) return [urn];
        if (!spec) return [];
        const ownTypes = typeChain(resource.urn);
        const type = spec.type || ownTypes[ownTypes.length - 1];
        // The qualified type chains the parent's qualified type, as the engine builds URNs.
        const parentTypes = spec.noparent ? [] : spec.parenturn ? typeChain(spec.parenturn) : ownTypes.slice(0, -1);
        const prefix =
            spec.stack || spec.project
                ? `urn:pulumi:${spec.stack || resource.urn.split("::")[0].slice("urn:pulumi:".length)}::${spec.project || resource.urn.split("::")[1]}`
                : head(resource.urn);
        return [`${prefix}::${[...parentTypes, type].join("$")}::${spec.name || resource.name}`];
    });
}

/**
 * The type chain a child's URN carries under `parentUrn`, shaped as the resource's
 * own URN carries its parent's: the whole chain without the root stack (the
 * engine), or the parent's trailing types alone (the SDK's mock monitor keeps only
 * the parent's own type), so an alias matches the URNs of the plan it is diffed against.
 */
function chainUnder(resource: Aliased, parentUrn: string): string[] {
    const withoutRoot = (chain: string[]) => (chain[0] === rootType ? chain.slice(1) : chain);
    const carried = typeChain(resource.urn).slice(0, -1);
    const parentChain = withoutRoot(typeChain(resource.parent!));
    const aliasChain = typeChain(parentUrn);
    if (carried.join("$") === parentChain.join("$")) return withoutRoot(aliasChain);
    return carried.length > 0 ? aliasChain.slice(-carried.length) : [];
}

/**
 * The URN a child would have had under its parent's alias: its own type, and its
 * name with the parent's name as a prefix replaced by the alias's name
 * (`newapp-function` under `app` is `app-function`).
 */
function underParentAlias(resource: Aliased, childUrn: string, parentAlias: string): string {
    const parentName = nameOf(resource.parent!);
    const childName = nameOf(childUrn);
    const name = childName.startsWith(parentName) ? nameOf(parentAlias) + childName.slice(parentName.length) : childName;
    const childType = typeChain(childUrn).pop()!;
    return `${head(parentAlias)}::${[...chainUnder(resource, parentAlias), childType].join("$")}::${name}`;
}

/**
 * Every alias of a resource as a URN: its own, then for each alias of its parent
 * (`parentAliases`, already resolved) the resource under that alias and each of its
 * own aliases under it, as the engine multiplies them out.
 */
export function aliasUrns(resource: Aliased, parentAliases: readonly string[] = []): string[] {
    const own = ownAliasUrns(resource);
    const inherited = resource.parent
        ? parentAliases.flatMap((parentAlias) => [resource.urn, ...own].map((urn) => underParentAlias(resource, urn, parentAlias)))
        : [];
    return [...new Set([...own, ...inherited])].filter((urn) => urn !== resource.urn);
}

/** Resolves the aliases of resources listed in registration order (a parent before its children). */
export function resolveAliases(resources: readonly Aliased[]): Map<string, string[]> {
    const resolved = new Map<string, string[]>();
    for (const resource of resources) {
        resolved.set(resource.urn, aliasUrns(resource, (resource.parent && resolved.get(resource.parent)) || []));
    }
    return resolved;
}
