/**
 * Formatting of a reviewed plan: the terminal view (resource tree, summary by cloud
 * and type, provider functions answered with stand-ins, violations with their fix,
 * cost, diff and one-way doors, outputs) here, the pull-request comment in markdown.ts.
 */
import type { PlanResource, ReviewedPlan } from "./model";
import { renderMarkdown } from "./markdown";
import { describeUnplanned, unplannedComponents } from "./partial";
import { enforcementLevels } from "./policy-config";
import { addTo, byKey, describeDoor, signedUsd, standInWords, unpricedCount, usd, violationText } from "./text";
import { cloudResolver, type CloudTable } from "./cloud-of";
import type { CostEstimate } from "./cost";

export { describeDoor, renderMarkdown, signedUsd, unpricedCount, usd, violationText };

export type { PlanCost, PlanCostChange, ReviewedPlan } from "./model";

function tree(resources: PlanResource[]): string[] {
    const children = new Map<string | undefined, PlanResource[]>();
    const urns = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
        const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
        addTo(children, parent, r);
    }
    const lines: string[] = [];
    const walk = (parent: string | undefined, indent: string) => {
        const list = children.get(parent) ?? [];
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const marker = parent === undefined ? "+ " : `${indent}${last ? "└─ " : "├─ "}+ `;
            lines.push(
                `${marker}${r.type}  ${r.name}${r.protect ? "  [protected]" : ""}${r.remote && !r.remote.planned ? "  [not planned: its children are unknown]" : ""}`,
            );
            walk(r.urn, parent === undefined ? "  " : `${indent}${last ? "   " : "│  "}`);
        });
    };
    walk(undefined, "");
    return lines;
}

export function summaryByCloud(resources: PlanResource[], cloudTable: CloudTable): Map<string, Map<string, number>> {
    const summary = new Map<string, Map<string, number>>();
    const placed = cloudResolver(resources, cloudTable);
    for (const r of resources) {
        if (!r.custom || r.type.startsWith("pulumi:")) continue;
        const cloud = placed(r);
        const types = summary.get(cloud) ?? new Map<string, number>();
        types.set(r.type, (types.get(r.type) ?? 0) + 1);
        summary.set(cloud, types);
    }
    return summary;
}

function costAndDiff(plan: ReviewedPlan): string[] {
    const out: string[] = [];
    if (plan.cost) {
        const clouds = Object.entries(plan.cost.byCloud)
            .map(([c, v]) => `${c} ${usd(v)}`)
            .join(", ");
        const change = plan.costChange ? ` (${signedUsd(plan.costChange.deltaUsd)} vs base ${usd(plan.costChange.baseMonthlyUsd)})` : "";
        const unpriced = unpricedCount(plan.cost.unpriced);
        out.push(`Estimated monthly cost: ${usd(plan.cost.monthlyUsd)}${change}${clouds ? `: ${clouds}` : ""}${unpriced ? `; ${unpriced} unpriced` : ""}`);
        const cost = plan.cost as Partial<Pick<CostEstimate, "budgets" | "campaigns" | "unpricedRegions">>;
        for (const region of cost.unpricedRegions ?? []) out.push(`  no prices for ${region}: its resources are not priced (never as another region)`);
        for (const c of (cost.campaigns ?? []).filter((k) => !k.ended))
            out.push(`  campaign ${c.campaign}: +${usd(c.usd)} from ${c.start.slice(0, 16)}Z to ${c.end.slice(0, 16)}Z (${c.basis})`);
        for (const b of cost.budgets ?? []) {
            const at = `${b.workload} ${b.environment} on ${b.cloud}`;
            const month = b.campaignMonth ? `, ${usd(b.campaignMonth.usd)} in ${b.campaignMonth.month} with campaigns` : "";
            if (b.budgetUsd === undefined) out.push(`  budget: none set for ${at}`);
            else out.push(`  budget ${at}: ${usd(b.monthlyUsd)}${month} of ${usd(b.budgetUsd)}${b.exceeded ? ": OVER BUDGET" : ""}`);
        }
        out.push("");
    }
    if (plan.diff) {
        const d = plan.diff;
        const replaced = d.changed.filter((c) => c.replaceBecause.length > 0).length;
        out.push(
            `Compared with ${d.base}: ${d.created.length} created, ${d.changed.length - replaced} updated, ${replaced} replaced, ${d.deleted.length} deleted`,
        );
        for (const r of d.created) out.push(`  + ${r.type}  ${r.name}`);
        for (const r of d.changed) out.push(`  ${r.replaceBecause.length ? "+-" : "~ "} ${r.type}  ${r.name}  (${r.paths.join(", ")})`);
        for (const r of d.deleted) out.push(`  - ${r.type}  ${r.name}`);
        if (d.oneWayDoors.length === 0) out.push("One-way doors: none");
        for (const door of d.oneWayDoors) {
            const verdict = door.accepted
                ? `accepted in ${door.accepted.file} by ${door.accepted.acceptedBy} until ${door.accepted.expires}: ${door.accepted.reason}`
                : door.allowed
                  ? "allowed by --allow-one-way-door"
                  : `BLOCKED: add an alias, or accept it in review (an accepted-doors entry for ${door.urn})`;
            out.push(`One-way door: ${describeDoor(door)} [${verdict}]`);
        }
        out.push("");
    }
    return out;
}

/** Each policy's effective enforcement level, one line a level: what the pack's and the user's configuration made of it. */
function levelLines(pack: ReviewedPlan["policyPacks"][number]): string[] {
    const byLevel = new Map<string, string[]>();
    for (const [policy, level] of Object.entries(pack.levels ?? {})) addTo(byLevel, level, policy);
    return enforcementLevels
        .filter((level) => byLevel.has(level))
        .map((level) => `  ${pack.name} ${level} (${byLevel.get(level)!.length}): ${byLevel.get(level)!.sort().join(", ")}`);
}

export interface TerminalOptions {
    /** The project's table of which cloud each provider package runs on. */
    cloudTable: CloudTable;
    suppressOutputs?: boolean;
}

export function renderTerminal(plan: ReviewedPlan, options: TerminalOptions): string {
    const out: string[] = [];
    const unplanned = unplannedComponents(plan);
    const partial = unplanned.length ? ` (PARTIAL: ${unplanned.length} component${unplanned.length === 1 ? "" : "s"} not planned)` : "";
    out.push(`Offline plan of ${plan.project}/${plan.stack} (${plan.stackFile}): what \`pulumi preview\` would create${partial}`, "");
    out.push(...tree(plan.resources), "");
    const custom = plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
    const apart = unplanned.length ? `, and ${unplanned.length} not planned: the resources they would create are not counted` : "";
    out.push(`Resources: ${custom.length} to create (${plan.resources.length - custom.length} components and providers${apart})`);
    for (const [cloud, types] of [...summaryByCloud(plan.resources, options.cloudTable)].sort(byKey)) {
        const total = [...types.values()].reduce((a, b) => a + b, 0);
        out.push(`  ${cloud}: ${total}`);
        for (const [type, n] of [...types].sort(byKey)) out.push(`    ${String(n).padStart(4)}  ${type}`);
    }
    for (const r of unplanned) out.push(`Not planned: ${describeUnplanned(r)}`);
    for (const ref of plan.stackReferences) {
        out.push(
            `Stack reference ${ref.name}: answered with ${ref.answeredWith === "planned" ? "its planned outputs" : "a placeholder (every output unknown)"}`,
        );
    }
    for (const token of plan.standIns ?? []) out.push(`Provider function ${token}: answered with ${standInWords(token, plan.standInFor)}`);
    out.push("");
    if (plan.policyPacks.length === 0) {
        out.push("Policies: no policy pack");
    } else {
        const packs = plan.policyPacks.map((p) => `${p.name}@${p.version} (${p.policies} policies)${p.config ? `, configured by ${p.config}` : ""}`).join("; ");
        out.push(`Policies: ${packs}`);
        for (const pack of plan.policyPacks) out.push(...levelLines(pack));
        const byPolicy = new Map<string, typeof plan.violations>();
        for (const v of plan.violations) addTo(byPolicy, `${v.policyPack}/${v.policy}`, v);
        if (byPolicy.size === 0) out.push("  no violations");
        for (const [policy, list] of [...byPolicy].sort(byKey)) {
            out.push(`  [${list[0].enforcementLevel}] ${policy} (${list.length})`);
            for (const v of list) out.push(`    ${v.urn ? v.urn.split("::").pop() : "(stack)"}: ${violationText(v)}`);
            if (list[0].remediation) out.push(`    fix: ${list[0].remediation.split("\n")[0]}`);
        }
        for (const r of plan.remediations ?? []) {
            out.push(`  [remediated] ${r.policyPack}/${r.policy}: ${r.urn.split("::").pop()}${r.diagnostic ? ` (${r.diagnostic})` : ""}`);
        }
    }
    out.push("");
    out.push(...costAndDiff(plan));
    if (options.suppressOutputs) return out.join("\n").trimEnd();
    const outputs = Object.entries(plan.outputs);
    out.push("Outputs:" + (outputs.length === 0 ? " none" : ""));
    for (const [k, v] of outputs) out.push(`  ${k}: ${JSON.stringify(v)}`);
    return out.join("\n");
}
