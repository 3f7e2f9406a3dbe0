/**
 * `--diff`: each resource the plan creates, changes or deletes, with its
 * properties, as `pulumi preview --diff` shows them: a create's new values, a
 * change's old and new values (and which force a replacement), a delete's old
 * values. Values are the plan's display form: secrets "[secret]", values not
 * known at preview "[unknown]".
 */
import type { BasePlan } from "./base-plan";
import type { PlanResource, ReviewedPlan } from "./model";

/** Leaf values by path: `spec.replicas`, `ebsBlockDevices[0].deviceName`; an empty object or list is a leaf. */
function leaves(value: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
    if (Array.isArray(value) && value.length > 0) {
        value.forEach((item, i) => leaves(item, `${prefix}[${i}]`, out));
    } else if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
        for (const [key, item] of Object.entries(value)) leaves(item, prefix ? `${prefix}.${key}` : key, out);
    } else if (prefix) {
        out.set(prefix, value);
    }
    return out;
}

const shown = (value: unknown) => JSON.stringify(value);

/** Whether a leaf lies under one of the paths that force a replacement. */
const forcing = (path: string, replaceBecause: string[]) => replaceBecause.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));

function created(r: PlanResource): string[] {
    return [`  + ${r.type}  ${r.name}`, ...[...leaves(r.inputs)].map(([path, value]) => `      + ${path}: ${shown(value)}`)];
}

function deleted(r: PlanResource): string[] {
    return [`  - ${r.type}  ${r.name}`, ...[...leaves(r.inputs)].map(([path, value]) => `      - ${path}: ${shown(value)}`)];
}

function changed(old: PlanResource, now: PlanResource, replaceBecause: string[]): string[] {
    const before = leaves(old.inputs);
    const after = leaves(now.inputs);
    const lines: string[] = [];
    for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
        const [a, b] = [before.get(path), after.get(path)];
        if (before.has(path) && after.has(path) && shown(a) === shown(b)) continue;
        const note = forcing(path, replaceBecause) ? "  [forces replacement]" : "";
        if (!before.has(path)) lines.push(`      + ${path}: ${shown(b)}${note}`);
        else if (!after.has(path)) lines.push(`      - ${path}: ${shown(a)}${note}`);
        else lines.push(`      ~ ${path}: ${shown(a)} => ${shown(b)}${note}`);
    }
    const replace = replaceBecause.length > 0;
    const renamed = old.urn !== now.urn ? ` (was ${old.name})` : "";
    return [`  ${replace ? "+-" : "~ "} ${now.type}  ${now.name}${renamed}${replace ? "  (replace)" : ""}`, ...lines];
}

/** What is tracked as a resource of its own: the stack and providers are the engine's. */
const shownResource = (r: { type: string }) => !r.type.startsWith("pulumi:");

export function renderPropertyDiff(plan: ReviewedPlan, base: BasePlan | undefined): string {
    const out = [`Properties of ${plan.stack}${plan.diff ? ` against ${plan.diff.base}` : ": every resource is a create"}`];
    const diff = plan.diff;
    if (!diff) {
        for (const r of plan.resources.filter(shownResource)) out.push(...created(r));
        return out.join("\n");
    }
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const baseByUrn = new Map((base?.resources ?? []).map((r) => [r.urn, r]));
    const aliasedFrom = new Map(diff.aliased.map((a) => [a.urn, a.oldUrn]));
    const lines: string[] = [];
    for (const r of diff.created) if (shownResource(r) && byUrn.has(r.urn)) lines.push(...created(byUrn.get(r.urn)!));
    for (const c of diff.changed) {
        const now = byUrn.get(c.urn);
        const old = baseByUrn.get(aliasedFrom.get(c.urn) ?? c.urn);
        if (now && old && shownResource(now)) lines.push(...changed(old, now, c.replaceBecause));
    }
    for (const r of diff.deleted) if (shownResource(r) && baseByUrn.has(r.urn)) lines.push(...deleted(baseByUrn.get(r.urn)!));
    out.push(...(lines.length ? lines : ["  no changes"]));
    return out.join("\n");
}
