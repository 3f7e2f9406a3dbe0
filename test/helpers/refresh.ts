/**
 * A refresh-style comparison, as `pulumi preview --refresh --expect-no-changes`
 * makes one: the state read back from the cloud against what the program
 * declares, less what the resource ignores (`ignoreChanges`). What is left is
 * what the preview reports as a change, so what a deploy would set back.
 *
 *   const group = await run.one("aws:autoscaling/group:Group", "web");
 *   expect(changesAfterRefresh(group, { ...group.plain, minSize: 8 })).toEqual([]);
 */
import type { TestResource } from "./pulumi";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Leaf paths (`spec.minReplicas`, `tags`) where two values differ; arrays compare whole. */
function differingPaths(declared: unknown, live: unknown, prefix = ""): string[] {
    if (isObject(declared) && isObject(live)) {
        const keys = [...new Set([...Object.keys(declared), ...Object.keys(live)])].sort();
        return keys.flatMap((k) => differingPaths(declared[k], live[k], prefix ? `${prefix}.${k}` : k));
    }
    return JSON.stringify(declared) === JSON.stringify(live) ? [] : [prefix];
}

/** Whether `ignoreChanges` covers the path: the path itself or anything under it. */
const ignored = (path: string, ignoreChanges: string[]) => ignoreChanges.some((i) => path === i || path.startsWith(`${i}.`) || path.startsWith(`${i}[`));

/** The paths a refresh and preview would report as changed for the resource, given its live inputs. */
export function changesAfterRefresh(resource: TestResource, live: Record<string, unknown>): string[] {
    return differingPaths(resource.plain, live).filter((p) => !ignored(p, resource.options.ignoreChanges));
}
