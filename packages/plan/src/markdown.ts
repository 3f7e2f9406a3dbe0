/**
 * The pull-request comment: one Markdown document for one or more stacks. A
 * summary first (per stack: changes, violations, one-way doors, cost), then each
 * stack folded in `<details>`: resources by cloud and workload, each changed
 * resource with its changed properties, one-way doors and how to keep the
 * resource, policy violations with the policy's remediation steps, the monthly
 * cost, and a Mermaid diagram of the placement (clouds > workloads > components),
 * or the project's own diagram of the stack.
 *
 * A pull request controls most of what the comment quotes (resource, component
 * and stack names, configuration, policy messages): each is escaped for where it
 * lands, so no name can break a table, open a tag, make a link or an image, or
 * break the diagram. GitHub refuses a comment over 65,536 characters: detail is
 * dropped in order (diagrams, per-resource changes, violations by resource) until
 * the comment fits the budget, and its last line says where the rest is.
 */
import type { OneWayDoor } from "./diff";
import type { PlanResource, ReviewedPlan } from "./model";
import { unplannedComponents } from "./partial";
import { addTo, byKey, violationText, describeDoor, signedUsd, unpricedCount, usd } from "./text";
import { cloudResolver } from "./cloud-of";
import type { CostEstimate } from "./cost";
import type { Diagram, ProjectFacts } from "./facts";

/** The first line of the comment, unless the project names its own: CI finds the comment by it and updates it instead of adding one. */
export const commentMarker = "<!-- pulumi-offline-plan -->";

/** Below GitHub's 65,536-character comment limit, with room for what a workflow adds around the comment. */
export const commentBudget = 60_000;

export interface MarkdownOptions {
    /** The project's facts: its cloud table, cost-tag keys, components, workloads and diagrams. */
    facts: ProjectFacts;
    /** The workload of each stack, for resources that carry no workload tag (else the project's `workloadOf`). */
    workloads?: Record<string, string>;
    /** How a reader runs the plan, for the command a blocked door suggests (default `pulumi-offline-plan`). */
    command?: string;
    /** The longest comment, in characters (default {@link commentBudget}). */
    budget?: number;
    /** The committed accepted-doors file (`--accepted-doors`), named where a blocked door says how to accept it. */
    acceptedDoorsFile?: string;
}

/** Where a piece of text lands: a table cell (GitHub splits cells on `|` before it reads code spans) or running text. */
type Place = "cell" | "text";

const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, " ");

/** Inline code showing `s` literally: a fence longer than any run of backticks inside it. */
function code(s: string, place: Place = "cell"): string {
    const flat = oneLine(s);
    if (flat.trim() === "") return "(empty)";
    const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longest + 1);
    const pad = /^[` ]|[` ]$/.test(flat) ? " " : "";
    const body = place === "cell" ? flat.replace(/\|/g, "\\|") : flat;
    return `${fence}${pad}${body}${pad}${fence}`;
}

/** Words GitHub would turn into a link (a URL, `www.`, an e-mail address) or a mention (`@name`). */
const linkLike = /\S*(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|www\.|@)\S*/g;

/** Running text a pull request controls: Markdown punctuation escaped, HTML as entities, link-like words as code. */
function text(s: string, place: Place = "cell"): string {
    const flat = oneLine(s).trim();
    const escape = (part: string) =>
        part
            .replace(/&/g, "&amp;")
            .replace(/</g, "&lt;")
            .replace(/>/g, "&gt;")
            .replace(/[\\`*_{}[\]()#!|~]/g, (c) => `\\${c}`);
    let out = "";
    let last = 0;
    for (const m of flat.matchAll(linkLike)) {
        out += escape(flat.slice(last, m.index)) + code(m[0], place);
        last = m.index + m[0].length;
    }
    return out + escape(flat.slice(last));
}

/** Text inside an HTML block (`<summary>`), where Markdown is not read but tags and entities are. */
function html(s: string): string {
    return oneLine(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The workload a resource is tagged with (the project's workload key), in any of the forms resources carry tags. */
function taggedWorkload(r: PlanResource, key: string | undefined): string | undefined {
    if (!key) return undefined;
    const inputs = r.inputs as { tags?: unknown; labels?: unknown; metadata?: { labels?: unknown }; defaultTags?: { tags?: unknown } };
    const candidates = [inputs.tags, inputs.labels, inputs.metadata?.labels, inputs.defaultTags?.tags];
    for (const c of candidates) {
        const value = c && typeof c === "object" ? (c as Record<string, unknown>)[key] : undefined;
        if (typeof value === "string" && value) return value;
    }
    // An autoscaling group's tags: a list of { key, value, propagateAtLaunch }.
    const asgTags = (Array.isArray(inputs.tags) ? inputs.tags : []) as ({ key?: unknown; value?: unknown } | null | undefined)[];
    const value = asgTags.find((t) => t?.key === key && typeof t.value === "string")?.value;
    return typeof value === "string" ? value : undefined;
}

/** Resolves each resource's workload: its own tag, else its nearest tagged ancestor or descendant, else the stack's. */
function workloadResolver(plan: ReviewedPlan, stackWorkload: string, facts: ProjectFacts) {
    const key = facts.costTags?.keys.workload;
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const children = new Map<string, PlanResource[]>();
    for (const r of plan.resources) if (r.parent) addTo(children, r.parent, r);
    const fromDescendants = (r: PlanResource): string | undefined => {
        for (const c of children.get(r.urn) ?? []) {
            const w = taggedWorkload(c, key) ?? fromDescendants(c);
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
            const w = taggedWorkload(r, key);
            if (w) return w;
            r = r.parent ? byUrn.get(r.parent) : undefined;
        }
        return stackWorkload;
    };
}

type Action = "create" | "update" | "replace" | "delete";

function countsByPlacement(plan: ReviewedPlan, stackWorkload: string, facts: ProjectFacts): Map<string, Record<Action, number>> {
    const counts = new Map<string, Record<Action, number>>();
    const add = (cloud: string, workload: string, action: Action) => {
        const key = `${cloud}\u0000${workload}`;
        const row = counts.get(key) ?? { create: 0, update: 0, replace: 0, delete: 0 };
        row[action]++;
        counts.set(key, row);
    };
    const resolve = workloadResolver(plan, stackWorkload, facts);
    const cloudOf = cloudResolver(plan.resources, facts.cloudTable);
    const counted = (type: string) => !type.startsWith("pulumi:");
    if (!plan.diff) {
        for (const r of plan.resources) if (r.custom && counted(r.type)) add(cloudOf(r), resolve(r.urn), "create");
        return counts;
    }
    const custom = new Set(plan.resources.filter((r) => r.custom).map((r) => r.urn));
    for (const r of plan.diff.created) if (custom.has(r.urn) && counted(r.type)) add(cloudOf(r), resolve(r.urn), "create");
    for (const r of plan.diff.changed) {
        if (custom.has(r.urn) && counted(r.type)) add(cloudOf(r), resolve(r.urn), r.replaceBecause.length ? "replace" : "update");
    }
    // A deleted resource is not in the head plan: its parent chain is, or the stack's workload applies.
    for (const r of plan.diff.deleted) if (counted(r.type) && r.custom) add(cloudOf(r), stackWorkload, "delete");
    return counts;
}

function resourcesSection(plan: ReviewedPlan, stackWorkload: string, facts: ProjectFacts): string[] {
    const counts = countsByPlacement(plan, stackWorkload, facts);
    const heading = plan.diff ? `Resources compared with ${code(plan.diff.base, "text")}` : "Resources to create (a new stack: nothing to compare with)";
    if (counts.size === 0) return [`**${heading}:** no changes`, ""];
    const rows = [...counts].sort(([a], [b]) => a.localeCompare(b));
    const actions: Action[] = plan.diff ? ["create", "update", "replace", "delete"] : ["create"];
    const out = [`**${heading}**`, "", `| cloud | workload | ${actions.join(" | ")} |`, `| --- | --- |${actions.map(() => " ---: |").join("")}`];
    for (const [key, c] of rows) {
        const [cloud, workload] = key.split("\u0000");
        out.push(`| ${text(cloud)} | ${code(workload)} | ${actions.map((a) => c[a]).join(" | ")} |`);
    }
    return [...out, ""];
}

/** Each resource the change touches, with the input paths that differ from the base. */
function changesSection(plan: ReviewedPlan): string[] {
    const diff = plan.diff;
    if (!diff) return [];
    const rows: string[] = [];
    const row = (action: string, r: { name: string; type: string }, properties: string) =>
        rows.push(`| ${action} | ${code(r.name)} | ${code(r.type)} | ${properties} |`);
    for (const r of diff.created) if (!r.type.startsWith("pulumi:")) row("create", r, "");
    for (const r of diff.changed) {
        const forcing = new Set(r.replaceBecause);
        const paths = r.paths.map((p) => (forcing.has(p) ? `${code(p)} (forces replacement)` : code(p))).join(", ");
        row(r.replaceBecause.length ? "replace" : "update", r, paths);
    }
    for (const r of diff.deleted) if (!r.type.startsWith("pulumi:")) row("delete", r, "");
    if (rows.length === 0) return [];
    return ["**Changed resources**", "", "| change | resource | type | changed properties |", "| --- | --- | --- | --- |", ...rows, ""];
}

function outputsSection(plan: ReviewedPlan): string[] {
    const names = Object.keys(plan.outputs).sort();
    return names.length ? [`**Stack outputs:** ${names.map((n) => code(n, "text")).join(", ")}`, ""] : [];
}

/** How to keep the resource: an alias for a rename, the choices for a delete or replacement. */
function remedy(d: OneWayDoor): string {
    if (d.kind === "rename") {
        const oldParts = (d.oldUrn ?? "").split("::");
        const newParts = d.urn.split("::");
        const onlyName = oldParts[2] === newParts[2];
        return onlyName
            ? `add ${code(`aliases: [{ name: ${JSON.stringify(d.oldName)} }]`)} to the resource's options`
            : `the parent changed too: add ${code(`aliases: [${JSON.stringify(d.oldUrn)}]`)} (or build it with ${code("pulumi.createUrn(name, type, parent)")})`;
    }
    if (d.kind === "replace") return `revert ${(d.because ?? []).map((p) => code(p)).join(", ")}, or migrate the data first`;
    return `keep the resource in the program, or set ${code("retainOnDelete: true")} before removing it`;
}

/** A fenced block no content can close early: the fence is longer than any run of backticks inside. */
function fenced(language: string, content: string): string[] {
    const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = "`".repeat(Math.max(3, longest + 1));
    return [`${fence}${language}`, content, fence];
}

function doorsSection(plan: ReviewedPlan, acceptedDoorsFile: string | undefined, command: string): string[] {
    const doors = plan.diff?.oneWayDoors ?? [];
    if (doors.length === 0) return [];
    const out = [
        "**One-way doors**: changes that lose a resource's data or identity.",
        "",
        "| | resource | what happens | to keep it |",
        "| --- | --- | --- | --- |",
    ];
    for (const d of doors) {
        const status = d.accepted
            ? `accepted by ${text(d.accepted.acceptedBy)} until ${text(d.accepted.expires)}: ${text(d.accepted.reason)}`
            : d.allowed
              ? "allowed"
              : "**blocked**";
        out.push(`| ${status} | ${code(d.name)} | ${text(describeDoor(d))} | ${remedy(d)} |`);
    }
    out.push("");
    const blocked = doors.filter((d) => !d.allowed);
    if (blocked.length > 0) {
        if (acceptedDoorsFile) {
            const entries = blocked
                .map(
                    (d) =>
                        `  - stack: ${JSON.stringify(plan.stack)}\n    urn: ${JSON.stringify(d.urn)}\n    reason: <why the loss is accepted>\n    acceptedBy: "@<you>"\n    expires: <YYYY-MM-DD>`,
                )
                .join("\n");
            out.push(
                `A blocked door fails the plan and is refused by the deploy. If the loss is intended, accept it in review: add to ${code(acceptedDoorsFile, "text")} (its owners review it)`,
                "",
                ...fenced("yaml", entries),
                "",
            );
        } else {
            const names = blocked.map((d) => `--allow-one-way-door ${shellWord(d.name)}`).join(" ");
            out.push(
                `A blocked door fails the plan. If the loss is intended, say so: ${code(`${command} --stack ${shellWord(plan.stack)} ${names}`, "text")}.`,
            );
        }
        out.push(
            "An alias tells Pulumi that the new URN is the old resource: " +
                `${code('{ aliases: [{ name: "old-name" }] }', "text")} for a rename, ${code("pulumi.createUrn(...)", "text")} for a move to another parent.`,
            "",
        );
    }
    return out;
}

/** A word a shell reads as itself: names are quoted when they hold anything but safe characters. */
function shellWord(s: string): string {
    return /^[A-Za-z0-9_./:=@-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

const levelOrder = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 } as const;

/** The policy's remediation steps; its description only when it gives none. */
const howToFix = (v: { remediation?: string; description: string }): string => text(v.remediation?.trim() || v.description);

/** How many of a pack's policies run at each enforcement level, once its configuration is applied. */
function levelCounts(levels: Record<string, string> | undefined): string {
    const counts = new Map<string, number>();
    for (const level of Object.values(levels ?? {})) counts.set(level, (counts.get(level) ?? 0) + 1);
    const order = Object.keys(levelOrder) as (keyof typeof levelOrder)[];
    const parts = order.filter((level) => counts.has(level)).map((level) => `${counts.get(level)} ${level}`);
    return parts.length ? ` (${parts.join(", ")})` : "";
}

function violationsSection(plan: ReviewedPlan, byResource: boolean): string[] {
    if (plan.policyPacks.length === 0) return ["**Policies:** no policy pack", ""];
    const packs = plan.policyPacks.map((p) => `${code(`${p.name}@${p.version}`, "text")}${levelCounts(p.levels)}`).join(", ");
    if (plan.violations.length === 0) return [`**Policies** (${packs}): no violations`, ""];
    const sorted = [...plan.violations].sort(
        (a, b) => levelOrder[a.enforcementLevel] - levelOrder[b.enforcementLevel] || a.policy.localeCompare(b.policy) || a.urn.localeCompare(b.urn),
    );
    const title = `**Policies** (${packs}): ${plural(plan.violations.length, "violation")}`;
    if (byResource) {
        const out = [title, "", "| level | policy | resource | finding | how to fix |", "| --- | --- | --- | --- | --- |"];
        for (const v of sorted) {
            const resource = v.urn ? code(v.urn.split("::").pop()!) : "(stack)";
            out.push(`| ${v.enforcementLevel} | ${code(v.policy)} | ${resource} | ${text(violationText(v))} | ${howToFix(v)} |`);
        }
        return [...out, ""];
    }
    const byPolicy = new Map<string, typeof sorted>();
    for (const v of sorted) addTo(byPolicy, `${v.enforcementLevel}\u0000${v.policy}`, v);
    const out = [title, "", "| level | policy | resources | how to fix |", "| --- | --- | ---: | --- |"];
    for (const list of byPolicy.values()) out.push(`| ${list[0].enforcementLevel} | ${code(list[0].policy)} | ${list.length} | ${howToFix(list[0])} |`);
    return [...out, ""];
}

function costSection(plan: ReviewedPlan): string[] {
    if (!plan.cost) return [];
    // A base plan written by an older version carries only the totals.
    const c = plan.cost as ReviewedPlan["cost"] & Partial<Pick<CostEstimate, "budgets" | "campaigns" | "throughStackUsd" | "unpricedRegions">>;
    const change = plan.costChange ? ` (${signedUsd(plan.costChange.deltaUsd)} against the base: ${usd(plan.costChange.baseMonthlyUsd)})` : "";
    const parts = Object.entries(c.byCloud)
        .sort(byKey)
        .map(([cloud, v]) => `${text(cloud, "text")} ${usd(v)}`);
    const workloads = Object.entries(c.byWorkload)
        .sort(byKey)
        .map(([w, v]) => `${code(w, "text")} ${usd(v)}`);
    const unpriced = unpricedCount(c.unpriced);
    const where = (b: { workload: string; environment: string; cloud: string }) =>
        `${code(b.workload, "text")} ${text(b.environment, "text")} on ${text(b.cloud, "text")}`;
    const budgetLines = (c.budgets ?? []).map((b) => {
        if (b.budgetUsd === undefined) return `- No budget is set for ${where(b)} (${usd(b.monthlyUsd)} a month).`;
        const month = b.campaignMonth ? `; ${usd(b.campaignMonth.usd)} in ${text(b.campaignMonth.month, "text")} with its campaigns` : "";
        return b.exceeded
            ? `- ⚠️ **Over budget:** ${where(b)}: ${usd(b.monthlyUsd)} a month${month}, above its budget of ${usd(b.budgetUsd)}.`
            : `- Within budget: ${where(b)}: ${usd(b.monthlyUsd)} a month${month}, of ${usd(b.budgetUsd)}.`;
    });
    const campaigns = (c.campaigns ?? [])
        .filter((k) => !k.ended && k.usd > 0)
        .map((k) => `${code(k.campaign, "text")} +${usd(k.usd)} (${text(k.start.slice(0, 10), "text")} to ${text(k.end.slice(0, 10), "text")})`);
    const regions = (c.unpricedRegions ?? []).map((r) => text(r, "text"));
    return [
        `**Estimated monthly cost:** ${usd(c.monthlyUsd)}${change}` +
            (parts.length ? `; by cloud: ${parts.join(", ")}` : "") +
            (workloads.length ? `; by workload: ${workloads.join(", ")}` : "") +
            (unpriced ? `; not priced: ${unpriced}` : "") +
            (regions.length ? `; no prices for ${regions.join(", ")} (not priced as another region)` : ""),
        ...(c.throughStackUsd ? ["", `${usd(c.throughStackUsd)} of it is attributed through the stack: its cloud cannot label those resources.`] : []),
        ...(campaigns.length ? ["", `Campaign windows to come, beyond the monthly figure: ${campaigns.join(", ")}.`] : []),
        ...(budgetLines.length ? ["", ...budgetLines] : []),
        "",
    ];
}

/**
 * A Mermaid label: quoted, so brackets, arrows, `;` and `|` are text, with `#`,
 * quotes, angle brackets and backticks as Mermaid's entity codes, so no name can
 * end the label, open a tag or start a Markdown string.
 */
function mermaidText(s: string): string {
    return oneLine(s).replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;").replace(/`/g, "#96;");
}

const mermaidLabel = (...lines: string[]): string => `"${lines.map(mermaidText).join("<br/>")}"`;

/** The project's own diagram of a stack, numbered and escaped here: no label becomes an identifier or Mermaid syntax. */
function projectDiagram(diagram: Diagram): string[] {
    // Identifiers are generated, never taken from a name.
    const ids = new Map(diagram.nodes.map((n, i) => [n.key, `n${i}`]));
    const groups = [...new Set(diagram.nodes.map((n) => n.group))].sort();
    const out = ["```mermaid", "flowchart LR"];
    groups.forEach((group, i) => {
        out.push(`  subgraph cloud${i}[${mermaidLabel(group)}]`);
        for (const n of diagram.nodes) if (n.group === group) out.push(`    ${ids.get(n.key)}[${mermaidLabel(...n.lines)}]`);
        out.push("  end");
    });
    for (const link of diagram.links) {
        const [a, b] = link.between.map((key) => ids.get(key));
        if (a && b) out.push(`  ${a} <-->|${mermaidLabel(...link.lines)}| ${b}`);
    }
    out.push("```", "");
    return out;
}

/**
 * Clouds > workloads > components (the project's own components, by their type
 * prefixes; every component when it names none); the project's own diagram of the
 * stack instead, when it draws one.
 */
export function placementDiagram(plan: ReviewedPlan, stackWorkload: string, facts: ProjectFacts): string[] {
    const own = facts.diagramOf?.(plan);
    if (own && own.nodes.length > 0) return projectDiagram(own);
    const prefixes = facts.componentTypes;
    const drawn = (type: string) => (prefixes ? prefixes.some((p) => type.startsWith(p)) : !type.startsWith("pulumi:"));
    const components = plan.resources.filter((r) => !r.custom && drawn(r.type));
    if (components.length === 0) return [];
    const resolve = workloadResolver(plan, stackWorkload, facts);
    const cloudOf = cloudResolver(plan.resources, facts.cloudTable);
    const tree = new Map<string, Map<string, PlanResource[]>>();
    for (const c of components) {
        const cloud = cloudOf(c);
        const workload = resolve(c.urn);
        const workloads = tree.get(cloud) ?? new Map<string, PlanResource[]>();
        addTo(workloads, workload, c);
        tree.set(cloud, workloads);
    }
    // Identifiers are generated, never taken from a name, so no name can collide with one or with a keyword.
    const ids = new Map(components.map((c, i) => [c.urn, `c${i}`]));
    const out = ["```mermaid", "flowchart LR"];
    [...tree]
        .sort(([a], [b]) => a.localeCompare(b))
        .forEach(([cloud, workloads], i) => {
            out.push(`  subgraph cloud${i}[${mermaidLabel(cloud)}]`);
            [...workloads]
                .sort(([a], [b]) => a.localeCompare(b))
                .forEach(([workload, list], j) => {
                    out.push(`    subgraph workload${i}_${j}[${mermaidLabel(workload)}]`);
                    for (const c of list) out.push(`      ${ids.get(c.urn)}[${mermaidLabel(c.type.split(":").pop() ?? c.type, c.name)}]`);
                    out.push("    end");
                });
            out.push("  end");
        });
    for (const c of components) {
        if (c.parent && ids.has(c.parent)) out.push(`  ${ids.get(c.parent)} --> ${ids.get(c.urn)}`);
    }
    out.push("```", "");
    return out;
}

function blockers(plan: ReviewedPlan): string[] {
    const mandatory = plan.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const blocked = (plan.diff?.oneWayDoors ?? []).filter((d) => !d.allowed).length;
    return [mandatory ? plural(mandatory, "mandatory violation") : "", blocked ? plural(blocked, "blocked one-way door") : ""].filter(Boolean);
}

function status(plan: ReviewedPlan): string {
    const reasons = blockers(plan);
    const unplanned = unplannedComponents(plan).length;
    // A plan that left components out is never shown as passing whole.
    const partial = unplanned ? `⚠️ partial: ${plural(unplanned, "component")} not planned` : "";
    if (reasons.length) return `❌ blocked: ${reasons.join(", ")}${partial ? `; ${partial}` : ""}`;
    return partial || "✅ passes";
}

/** The components a component provider builds that the plan could not: their children are in no count above. */
function unplannedSection(plan: ReviewedPlan): string[] {
    const unplanned = unplannedComponents(plan);
    if (unplanned.length === 0) return [];
    return [
        `**Not planned** (${plural(unplanned.length, "component")} of component providers: the resources they would create are not counted, priced or judged; \`pulumi preview\` shows them)`,
        "",
        "| component | type | why |",
        "| --- | --- | --- |",
        ...unplanned.map((r) => `| ${code(r.name)} | ${code(r.type)} | ${text(r.remote?.reason ?? "its children are unknown offline")} |`),
        "",
    ];
}

/** Resources to create, update, replace and delete, against the base when there is one. */
function changeCounts(plan: ReviewedPlan, facts: ProjectFacts): Record<Action, number> {
    const total: Record<Action, number> = { create: 0, update: 0, replace: 0, delete: 0 };
    for (const row of countsByPlacement(plan, plan.stack, facts).values()) for (const a of Object.keys(total) as Action[]) total[a] += row[a];
    return total;
}

function summary(plans: ReviewedPlan[], facts: ProjectFacts): string[] {
    const withCost = plans.some((p) => p.cost);
    const out = [
        `| stack | status | create | update | replace | delete | violations | one-way doors |${withCost ? " monthly cost |" : ""}`,
        `| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |${withCost ? " ---: |" : ""}`,
    ];
    for (const p of plans) {
        const c = changeCounts(p, facts);
        const doors = p.diff?.oneWayDoors.length ?? 0;
        const cost = withCost ? ` ${p.cost ? usd(p.cost.monthlyUsd) : "n/a"}${p.costChange ? ` (${signedUsd(p.costChange.deltaUsd)})` : ""} |` : "";
        out.push(`| ${code(p.stack)} | ${status(p)} | ${c.create} | ${c.update} | ${c.replace} | ${c.delete} | ${p.violations.length} | ${doors} |${cost}`);
    }
    return [...out, ""];
}

/** What a comment keeps; each level drops more, in the order a reader misses it least. */
interface Detail {
    diagram: boolean;
    changes: boolean;
    violationsByResource: boolean;
    stacks: boolean;
}

const detailLevels: { detail: Detail; leftOut: string }[] = [
    { detail: { diagram: true, changes: true, violationsByResource: true, stacks: true }, leftOut: "" },
    { detail: { diagram: false, changes: true, violationsByResource: true, stacks: true }, leftOut: "the diagrams" },
    { detail: { diagram: false, changes: false, violationsByResource: true, stacks: true }, leftOut: "the diagrams and the changed resources" },
    {
        detail: { diagram: false, changes: false, violationsByResource: false, stacks: true },
        leftOut: "the diagrams, the changed resources and the violations by resource",
    },
    { detail: { diagram: false, changes: false, violationsByResource: false, stacks: false }, leftOut: "each stack's detail" },
];

/** The workload a stack's untagged resources count under. */
function stackWorkloadOf(plan: ReviewedPlan, options: MarkdownOptions): string {
    return options.workloads?.[plan.stack] ?? options.facts.workloadOf?.(plan) ?? plan.stack.replace(/-[^-]+$/, "");
}

function stackSection(plan: ReviewedPlan, options: MarkdownOptions, detail: Detail): string[] {
    const workload = stackWorkloadOf(plan, options);
    return [
        "<details>",
        `<summary><strong>${html(plan.stack)}</strong>: ${status(plan)}</summary>`,
        "",
        `Stack file ${code(plan.stackFile, "text")}.`,
        "",
        ...resourcesSection(plan, workload, options.facts),
        ...unplannedSection(plan),
        ...(detail.changes ? changesSection(plan) : []),
        ...(detail.changes ? outputsSection(plan) : []),
        ...doorsSection(plan, options.acceptedDoorsFile, options.command ?? "pulumi-offline-plan"),
        ...violationsSection(plan, detail.violationsByResource),
        ...costSection(plan),
        ...(detail.diagram ? placementDiagram(plan, workload, options.facts) : []),
        "</details>",
        "",
    ];
}

function document(plans: ReviewedPlan[], options: MarkdownOptions, detail: Detail, leftOut: string): string {
    const out = [options.facts.commentMarker ?? commentMarker, "## Offline plan", ""];
    out.push(
        "What `pulumi preview` would do, from the program and the stack configuration, without credentials; the policy pack judged every resource.",
        "",
        // The sentence above is not true of a partial plan: say so before any number.
        ...(plans.some((p) => unplannedComponents(p).length > 0)
            ? [
                  "⚠️ **Partial plan:** components built by a component provider that cannot run offline are not planned; what they would create is in no count, cost or policy result below.",
                  "",
              ]
            : []),
        ...summary(plans, options.facts),
    );
    if (detail.stacks) for (const p of plans) out.push(...stackSection(p, options, detail));
    if (leftOut) {
        out.push(
            `_This comment leaves out ${leftOut} to stay within GitHub's comment size limit; the whole plan is in this run's job summary and in its ${code("offline-plan", "text")} artifact._`,
        );
    }
    return (
        out
            .join("\n")
            .replace(/\n{3,}/g, "\n\n")
            .trimEnd() + "\n"
    );
}

/** The whole comment for the given stacks, within the budget. */
export function renderMarkdown(plans: ReviewedPlan[], options: MarkdownOptions): string {
    const budget = options.budget ?? commentBudget;
    let last = "";
    for (const { detail, leftOut } of detailLevels) {
        last = document(plans, options, detail, leftOut);
        if (last.length <= budget) return last;
    }
    // Even the summary alone is too long (thousands of stacks): keep whole lines that fit, then the pointer.
    const lines = last.trimEnd().split("\n");
    const pointer = lines.pop()!;
    const kept: string[] = [];
    let size = pointer.length + 2;
    for (const line of lines) {
        if (size + line.length + 1 > budget) break;
        kept.push(line);
        size += line.length + 1;
    }
    return [...kept, "", pointer].join("\n") + "\n";
}
