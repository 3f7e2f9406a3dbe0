/**
 * Compares the plan of a pull request's head with the JSON plan of its base
 * branch: resources created, deleted, changed and replaced (by URN), and the
 * one-way doors among them: a stateful resource that would be deleted or
 * replaced, or a URN that changed without an alias (Pulumi would delete the old
 * resource and create a new one).
 *
 * Replacement is approximated: the real preview asks the provider, whose schema
 * marks the properties that force a new resource; offline, `replaceOnChange`
 * below lists them for the stateful types only, which is where a replacement
 * loses data.
 */
import type { Plan, PlanResource } from "./model";
import { replaceOnChange, type StatefulHolds } from "./stateful";

export { replaceOnChange };

export interface ResourceRef {
    urn: string;
    type: string;
    name: string;
}

export interface ChangedResource extends ResourceRef {
    /** Input paths that differ (`spec.storageClassName`, `tags`). */
    paths: string[];
    /** The paths among them that force a replacement; empty for an update in place. */
    replaceBecause: string[];
}

export interface OneWayDoor extends ResourceRef {
    kind: "delete" | "replace" | "rename";
    /** What the resource holds ("file system", "secret", ...); absent for a stateless rename. */
    holds?: string;
    /** For a rename: the URN the resource had on the base branch. */
    oldUrn?: string;
    oldName?: string;
    /** For a replacement: the properties whose change forces it. */
    because?: string[];
    /** Named by --allow-one-way-door, or accepted in review (`accepted`). */
    allowed: boolean;
    /** The entry of the committed accepted-doors file that accepts this door. */
    accepted?: { file: string; acceptedBy: string; reason: string; expires: string };
}

export interface PlanDiff {
    base: string;
    created: ResourceRef[];
    /** With whether each was a custom resource on the base, so a deleted component is not counted as a resource. */
    deleted: (ResourceRef & { custom: boolean })[];
    changed: ChangedResource[];
    /** Resources matched through an alias: the URN changed and Pulumi keeps the resource. */
    aliased: { urn: string; oldUrn: string }[];
    oneWayDoors: OneWayDoor[];
}

const ref = (r: PlanResource): ResourceRef => ({ urn: r.urn, type: r.type, name: r.name });

/** Leaf paths where two input values differ; arrays and scalars compare whole. */
function differingPaths(base: unknown, head: unknown, prefix = ""): string[] {
    const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
    if (isObject(base) && isObject(head)) {
        const keys = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort();
        return keys.flatMap((k) => differingPaths(base[k], head[k], prefix ? `${prefix}.${k}` : k));
    }
    return JSON.stringify(base) === JSON.stringify(head) ? [] : [prefix];
}

function forcesReplacement(type: string, path: string): boolean {
    return (replaceOnChange[type] ?? []).some((p) => path === p || path.startsWith(`${p}.`) || p.startsWith(`${path}.`));
}

/** Resources Pulumi tracks as its own: not the stack, not providers (a provider rename moves nothing). */
function tracked(r: PlanResource): boolean {
    return r.custom && !r.type.startsWith("pulumi:");
}

/** How alike two names are: the length of their common prefix and suffix (a rename keeps most of a name). */
export function similarity(a: string, b: string): number {
    let prefix = 0;
    while (prefix < Math.min(a.length, b.length) && a[prefix] === b[prefix]) prefix++;
    let suffix = 0;
    while (suffix < Math.min(a.length, b.length) - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
    return prefix + suffix;
}

function isAllowed(allow: string[], ...names: (string | undefined)[]): boolean {
    return names.some((n) => n !== undefined && allow.includes(n));
}

export interface DiffOptions {
    /** Names or URNs given with --allow-one-way-door. */
    allow?: string[];
    /** How the base is named (its file and stack). */
    baseLabel?: string;
    /** What each stateful type holds; without it no delete or replacement is a one-way door, a rename still is. */
    statefulHolds?: StatefulHolds;
}

/** Diffs two plans of the same stack. */
export function diffPlans(base: Pick<Plan, "resources">, head: Pick<Plan, "resources">, options: DiffOptions = {}): PlanDiff {
    const { allow = [], baseLabel = "base", statefulHolds = () => undefined } = options;
    const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
    const headByUrn = new Map(head.resources.map((r) => [r.urn, r]));
    const aliased: PlanDiff["aliased"] = [];
    const pairs: [PlanResource, PlanResource][] = [];
    const consumedBase = new Set<string>();
    const created: PlanResource[] = [];

    for (const h of head.resources) {
        const same = baseByUrn.get(h.urn);
        if (same) {
            pairs.push([same, h]);
            consumedBase.add(same.urn);
            continue;
        }
        const old = (h.aliases ?? []).map((a) => baseByUrn.get(a)).find((b) => b && !headByUrn.has(b.urn) && !consumedBase.has(b.urn));
        if (old) {
            pairs.push([old, h]);
            consumedBase.add(old.urn);
            aliased.push({ urn: h.urn, oldUrn: old.urn });
            continue;
        }
        created.push(h);
    }
    const deleted = base.resources.filter((b) => !consumedBase.has(b.urn));

    const changed: ChangedResource[] = [];
    const doors: OneWayDoor[] = [];
    for (const [b, h] of pairs) {
        const paths = differingPaths(b.inputs, h.inputs);
        if (paths.length === 0) continue;
        const replaceBecause = paths.filter((p) => forcesReplacement(h.type, p));
        changed.push({ ...ref(h), paths, replaceBecause });
        const holds = statefulHolds(h.type);
        if (holds && replaceBecause.length > 0 && tracked(h)) {
            doors.push({ ...ref(h), kind: "replace", holds, because: replaceBecause, allowed: isAllowed(allow, h.name, h.urn) });
        }
    }

    // A deleted and a created resource of the same type, with no alias between them, is a rename.
    const unmatchedCreated = created.filter(tracked);
    const renamedTo = new Set<string>();
    for (const d of deleted.filter(tracked)) {
        const candidates = unmatchedCreated.filter((c) => c.type === d.type && !renamedTo.has(c.urn));
        const best = candidates.sort((x, y) => similarity(y.name, d.name) - similarity(x.name, d.name))[0];
        if (best) {
            renamedTo.add(best.urn);
            doors.push({
                ...ref(best),
                kind: "rename",
                holds: statefulHolds(d.type),
                oldUrn: d.urn,
                oldName: d.name,
                allowed: isAllowed(allow, best.name, best.urn, d.name, d.urn),
            });
        } else if (statefulHolds(d.type)) {
            doors.push({ ...ref(d), kind: "delete", holds: statefulHolds(d.type), allowed: isAllowed(allow, d.name, d.urn) });
        }
    }

    return {
        base: baseLabel,
        created: created.map(ref),
        deleted: deleted.map((r) => ({ ...ref(r), custom: r.custom })),
        changed,
        aliased,
        oneWayDoors: doors,
    };
}

export function blockedDoors(diff: PlanDiff | undefined): OneWayDoor[] {
    return diff?.oneWayDoors.filter((d) => !d.allowed) ?? [];
}
