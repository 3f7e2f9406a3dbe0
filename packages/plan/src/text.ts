/** Words and numbers shared by the terminal view and the pull-request comment. */
import type { OneWayDoor } from "./diff";
import type { PlanCost } from "./model";

export const usd = (n: number): string => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const signedUsd = (n: number): string => `${n < 0 ? "-" : "+"}${usd(Math.abs(n))}`;
/** Adds a value to the list kept under a key (a group-by that stays linear for any number of values). */
export function addTo<K, V>(groups: Map<K, V[]>, key: K, value: V): void {
    const list = groups.get(key);
    if (list) list.push(value);
    else groups.set(key, [value]);
}

/** Orders a map's entries by key, comparing keys as strings sort by default (by code unit). */
export const byKey = <T>([a]: [string, T], [b]: [string, T]): number => (a < b ? -1 : a > b ? 1 : 0);

export const unpricedCount = (u: PlanCost["unpriced"]): number => (typeof u === "number" ? u : Array.isArray(u) ? u.length : 0);

/** One line naming a one-way door and what it costs. */
export function describeDoor(d: OneWayDoor): string {
    const it = d.holds ? ` (it ${d.holds})` : "";
    switch (d.kind) {
        case "rename":
            return `${d.type} "${d.oldName}"${it} renamed to "${d.name}" without an alias: Pulumi would delete it and create a new one`;
        case "replace":
            return `${d.type} "${d.name}"${it} would be replaced (changed: ${(d.because ?? []).join(", ")}): its data does not move to the new one`;
        case "delete":
            return `${d.type} "${d.name}"${it} would be deleted`;
    }
}

/** What a provider function's offline answers stood in for, as one phrase. */
export function standInWords(token: string, standInFor: Record<string, string[]> | undefined): string {
    const what = standInFor?.[token] ?? [];
    const shape = "a stand-in of its declared result shape";
    if (what.length === 0 || (what.length === 1 && what[0] === shape)) return shape;
    return `stand-ins for ${what.join("; ")}`;
}

/**
 * What a violation says of its resource: the policy SDK sends the policy's description,
 * then the policy's own message; the description is shown once per policy already.
 */
export function violationText(v: { message: string; description: string }): string {
    const message = v.message.trim();
    const own = message.startsWith(v.description.trim()) ? message.slice(v.description.trim().length).trim() : message;
    return (own || message).split("\n")[0];
}
