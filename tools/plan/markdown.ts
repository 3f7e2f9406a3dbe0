/**
 * The pull-request comment: one Markdown document for one or more stacks. Per
 * stack: resources to create, update, replace and delete by cloud and workload;
 * one-way doors and how to keep the resource; policy violations with their fix;
 * the monthly cost and its change; a Mermaid diagram of the placement (clouds >
 * workloads > components) that GitHub renders.
 */
import type { OneWayDoor } from "./diff";
import type { PlanResource, ReviewedPlan } from "./model";
import { cloudOf, violationText, describeDoor, signedUsd, unpricedCount, usd } from "./text";

/** The first line of the comment: CI finds the comment by it and updates it instead of adding one. */
export const commentMarker = "<!-- multicloud-offline-plan -->";

export interface MarkdownOptions {
    /** The workload of each stack (`multicloud:workload`), for resources that carry no workload tag. */
    workloads?: Record<string, string>;
}

const cloudOfComponentSegment: Record<string, string> = { kubernetes: "onprem" };

/** Escapes a value for a Markdown table cell. */
function cell(text: string): string {
    return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").trim();
}

function code(text: string): string {
    return `\`${text.replace(/`/g, "'")}\``;
}

/** The workload a resource is tagged with, in any of the forms resources carry tags. */
function taggedWorkload(r: PlanResource): string | undefined {
    const inputs = r.inputs as Record<string, any>;
    const candidates = [inputs.tags, inputs.labels, inputs.metadata?.labels, inputs.defaultTags?.tags];
    for (const c of candidates) {
        if (c && typeof c === "object" && typeof c.workload === "string" && c.workload) return c.workload;
    }
    const asgTags = Array.isArray(inputs.tags) ? inputs.tags : [];
    const asg = asgTags.find((t: any) => t?.key === "workload" && typeof t.value === "string");
    return asg?.value;
}

/** Resolves each resource's workload: its own tag, else its nearest tagged ancestor or descendant, else the stack's. */
function workloadResolver(plan: ReviewedPlan, stackWorkload: string) {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const children = new Map<string, PlanResource[]>();
    for (const r of plan.resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const fromDescendants = (r: PlanResource): string | undefined => {
        for (const c of children.get(r.urn) ?? []) {
            const w = taggedWorkload(c) ?? fromDescendants(c);
            if (w) return w;
        }
        return undefined;
    };
    return (urn: string): string => {
        let r = byUrn.get(urn);
        if (!r) return stackWorkload;
        if (!r.custom) {
            const w = fromDescendants(r);
            if (w) return w;
        }
        while (r) {
            const w = taggedWorkload(r);
            if (w) return w;
            r = r.parent ? byUrn.get(r.parent) : undefined;
        }
        return stackWorkload;
    };
}

type Action = "create" | "update" | "replace" | "delete";

function countsByPlacement(plan: ReviewedPlan, stackWorkload: string): Map<string, Record<Action, number>> {
    const counts = new Map<string, Record<Action, number>>();
    const add = (cloud: string, workload: string, action: Action) => {
        const key = `${cloud}\u0000${workload}`;
        const row = counts.get(key) ?? { create: 0, update: 0, replace: 0, delete: 0 };
        row[action]++;
        counts.set(key, row);
    };
    const resolve = workloadResolver(plan, stackWorkload);
    const counted = (type: string) => !type.startsWith("pulumi:");
    if (!plan.diff) {
        for (const r of plan.resources) if (r.custom && counted(r.type)) add(cloudOf(r.type, r.urn), resolve(r.urn), "create");
        return counts;
    }
    const custom = new Set(plan.resources.filter((r) => r.custom).map((r) => r.urn));
    for (const r of plan.diff.created) if (custom.has(r.urn) && counted(r.type)) add(cloudOf(r.type, r.urn), resolve(r.urn), "create");
    for (const r of plan.diff.changed) {
        if (custom.has(r.urn) && counted(r.type)) add(cloudOf(r.type, r.urn), resolve(r.urn), r.replaceBecause.length ? "replace" : "update");
    }
    // A deleted resource is not in the head plan: its parent chain is, or the stack's workload applies.
    for (const r of plan.diff.deleted) if (counted(r.type) && !r.type.startsWith("multicloud:")) add(cloudOf(r.type, r.urn), stackWorkload, "delete");
    return counts;
}

function resourcesSection(plan: ReviewedPlan, stackWorkload: string): string[] {
    const counts = countsByPlacement(plan, stackWorkload);
    const heading = plan.diff ? `Resources compared with ${code(plan.diff.base)}` : "Resources to create (a new stack: nothing to compare with)";
    if (counts.size === 0) return [`**${heading}:** no changes`, ""];
    const rows = [...counts].sort(([a], [b]) => a.localeCompare(b));
    const actions: Action[] = plan.diff ? ["create", "update", "replace", "delete"] : ["create"];
    const out = [`**${heading}**`, "", `| cloud | workload | ${actions.join(" | ")} |`, `| --- | --- |${actions.map(() => " ---: |").join("")}`];
    for (const [key, c] of rows) {
        const [cloud, workload] = key.split("\u0000");
        out.push(`| ${cloud} | ${workload} | ${actions.map((a) => c[a]).join(" | ")} |`);
    }
    return [...out, ""];
}

/** How to keep the resource: an alias for a rename, the choices for a delete or replacement. */
function remedy(d: OneWayDoor): string {
    if (d.kind === "rename") {
        const oldParts = (d.oldUrn ?? "").split("::");
        const newParts = d.urn.split("::");
        const onlyName = oldParts[2] === newParts[2];
        return onlyName
            ? `add ${code(`aliases: [{ name: "${d.oldName}" }]`)} to the resource's options`
            : `the parent changed too: add ${code(`aliases: ["${d.oldUrn}"]`)} (or build it with ${code("pulumi.createUrn(name, type, parent)")})`;
    }
    if (d.kind === "replace") return `revert ${(d.because ?? []).map(code).join(", ")}, or migrate the data first`;
    return `keep the resource in the program, or set ${code("retainOnDelete: true")} before removing it`;
}

function doorsSection(plan: ReviewedPlan): string[] {
    const doors = plan.diff?.oneWayDoors ?? [];
    if (doors.length === 0) return [];
    const out = [
        "**One-way doors**: changes that lose a resource's data or identity.",
        "",
        "| | resource | what happens | to keep it |",
        "| --- | --- | --- | --- |",
    ];
    for (const d of doors) {
        const status = d.allowed ? "allowed" : "**blocked**";
        out.push(`| ${status} | ${code(d.name)} | ${cell(describeDoor(d))} | ${cell(remedy(d))} |`);
    }
    out.push("");
    if (doors.some((d) => !d.allowed)) {
        const names = doors.filter((d) => !d.allowed).map((d) => `--allow-one-way-door ${d.name}`).join(" ");
        out.push(`A blocked door fails the plan. If the loss is intended, say so: ${code(`npm run plan -- --stack ${plan.stack} ${names}`)}.`);
        out.push(
            "An alias tells Pulumi that the new URN is the old resource: " +
                `${code('{ aliases: [{ name: "old-name" }] }')} for a rename, ${code("pulumi.createUrn(...)")} for a move to another parent.`,
            "",
        );
    }
    return out;
}

function violationsSection(plan: ReviewedPlan): string[] {
    if (plan.policyPacks.length === 0) return ["**Policies:** no policy pack", ""];
    const packs = plan.policyPacks.map((p) => `${p.name}@${p.version}`).join(", ");
    if (plan.violations.length === 0) return [`**Policies** (${packs}): no violations`, ""];
    const order = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 } as const;
    const sorted = [...plan.violations].sort(
        (a, b) => order[a.enforcementLevel] - order[b.enforcementLevel] || a.policy.localeCompare(b.policy) || a.urn.localeCompare(b.urn),
    );
    const out = [`**Policies** (${packs}): ${plan.violations.length} violation${plan.violations.length === 1 ? "" : "s"}`, "", "| level | policy | resource | finding | fix |", "| --- | --- | --- | --- | --- |"];
    for (const v of sorted) {
        const resource = v.urn ? code(v.urn.split("::").pop()!) : "(stack)";
        out.push(`| ${v.enforcementLevel} | ${code(v.policy)} | ${resource} | ${cell(violationText(v))} | ${cell(v.description)} |`);
    }
    return [...out, ""];
}

function costSection(plan: ReviewedPlan): string[] {
    if (!plan.cost) return [];
    const c = plan.cost;
    const change = plan.costChange ? ` (${signedUsd(plan.costChange.deltaUsd)} against the base: ${usd(plan.costChange.baseMonthlyUsd)})` : "";
    const parts = Object.entries(c.byCloud)
        .sort()
        .map(([cloud, v]) => `${cloud} ${usd(v)}`);
    const workloads = Object.entries(c.byWorkload)
        .sort()
        .map(([w, v]) => `${w} ${usd(v)}`);
    const unpriced = unpricedCount(c.unpriced);
    return [
        `**Estimated monthly cost:** ${usd(c.monthlyUsd)}${change}` +
            (parts.length ? `; by cloud: ${parts.join(", ")}` : "") +
            (workloads.length ? `; by workload: ${workloads.join(", ")}` : "") +
            (unpriced ? `; not priced: ${unpriced}` : ""),
        "",
    ];
}

function mermaidId(prefix: string, text: string): string {
    return `${prefix}_${text.replace(/[^A-Za-z0-9]/g, "_")}`;
}

function mermaidLabel(text: string): string {
    return `"${text.replace(/"/g, "#quot;")}"`;
}

/** Clouds > workloads > components (resources of custom=false whose type starts with "multicloud:"). */
export function placementDiagram(plan: ReviewedPlan, stackWorkload: string): string[] {
    const components = plan.resources.filter((r) => !r.custom && r.type.startsWith("multicloud:"));
    if (components.length === 0) return [];
    const resolve = workloadResolver(plan, stackWorkload);
    const tree = new Map<string, Map<string, PlanResource[]>>();
    for (const c of components) {
        const segment = c.type.split(":")[1];
        const cloud = cloudOfComponentSegment[segment] ?? segment;
        const workload = resolve(c.urn);
        const workloads = tree.get(cloud) ?? new Map<string, PlanResource[]>();
        workloads.set(workload, [...(workloads.get(workload) ?? []), c]);
        tree.set(cloud, workloads);
    }
    const ids = new Map(components.map((c, i) => [c.urn, `c${i}`]));
    const out = ["```mermaid", "flowchart LR"];
    for (const [cloud, workloads] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
        out.push(`  subgraph ${mermaidId("cloud", cloud)}[${mermaidLabel(cloud)}]`);
        for (const [workload, list] of [...workloads].sort(([a], [b]) => a.localeCompare(b))) {
            out.push(`    subgraph ${mermaidId(`wl_${cloud}`, workload)}[${mermaidLabel(workload)}]`);
            for (const c of list) out.push(`      ${ids.get(c.urn)}[${mermaidLabel(`${c.type.split(":").pop()}<br/>${c.name}`)}]`);
            out.push("    end");
        }
        out.push("  end");
    }
    for (const c of components) {
        if (c.parent && ids.has(c.parent)) out.push(`  ${ids.get(c.parent)} --> ${ids.get(c.urn)}`);
    }
    out.push("```", "");
    return out;
}

function status(plan: ReviewedPlan): string {
    const mandatory = plan.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const blocked = (plan.diff?.oneWayDoors ?? []).filter((d) => !d.allowed).length;
    const reasons = [
        mandatory ? `${mandatory} mandatory violation${mandatory === 1 ? "" : "s"}` : "",
        blocked ? `${blocked} blocked one-way door${blocked === 1 ? "" : "s"}` : "",
    ].filter(Boolean);
    return reasons.length ? `:x: blocked: ${reasons.join(", ")}` : ":white_check_mark: passes";
}

function stackSection(plan: ReviewedPlan, options: MarkdownOptions): string[] {
    const workload = options.workloads?.[plan.stack] ?? plan.stack.replace(/-[^-]+$/, "");
    return [
        `### ${plan.stack}: ${status(plan)}`,
        "",
        `Stack file ${code(plan.stackFile)}.`,
        "",
        ...resourcesSection(plan, workload),
        ...doorsSection(plan),
        ...violationsSection(plan),
        ...costSection(plan),
        ...placementDiagram(plan, workload),
    ];
}

/** The whole comment for the given stacks. */
export function renderMarkdown(plans: ReviewedPlan[], options: MarkdownOptions = {}): string {
    const out = [commentMarker, "## Offline plan", ""];
    out.push(
        "What `pulumi preview` would do, from the program and the stack configuration, without credentials; the policy pack judged every resource.",
        "",
    );
    if (plans.length > 1) {
        const withCost = plans.some((p) => p.cost);
        out.push(`| stack | status | resources | violations | one-way doors |${withCost ? " monthly cost |" : ""}`);
        out.push(`| --- | --- | ---: | ---: | ---: |${withCost ? " ---: |" : ""}`);
        for (const p of plans) {
            const resources = p.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:")).length;
            const doors = p.diff?.oneWayDoors.length ?? 0;
            const cost = withCost ? ` ${p.cost ? usd(p.cost.monthlyUsd) : "n/a"}${p.costChange ? ` (${signedUsd(p.costChange.deltaUsd)})` : ""} |` : "";
            out.push(`| ${p.stack} | ${status(p)} | ${resources} | ${p.violations.length} | ${doors} |${cost}`);
        }
        out.push("");
    }
    for (const p of plans) out.push(...stackSection(p, options));
    return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}
