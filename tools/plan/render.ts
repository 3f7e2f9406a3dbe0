/** The terminal view of a plan: resource tree, summary by cloud and type, violations, outputs. */
import type { Plan, PlanResource } from "./plan";

const cloudOfPackage: Record<string, string> = { aws: "aws", gcp: "gcp", alicloud: "alicloud", kubernetes: "onprem" };

/** The cloud a resource type belongs to; "pulumi" for the engine's own types. */
export function cloudOf(type: string): string {
    const pkg = type.startsWith("pulumi:providers:") ? type.split(":")[2] : type.split(":")[0];
    return cloudOfPackage[pkg] ?? (pkg === "pulumi" ? "pulumi" : pkg);
}

function tree(resources: PlanResource[]): string[] {
    const children = new Map<string | undefined, PlanResource[]>();
    const urns = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
        const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const lines: string[] = [];
    const walk = (parent: string | undefined, indent: string) => {
        const list = children.get(parent) ?? [];
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const marker = parent === undefined ? "+ " : `${indent}${last ? "└─ " : "├─ "}+ `;
            lines.push(`${marker}${r.type}  ${r.name}${r.protect ? "  [protected]" : ""}`);
            walk(r.urn, parent === undefined ? "  " : `${indent}${last ? "   " : "│  "}`);
        });
    };
    walk(undefined, "");
    return lines;
}

export function summaryByCloud(resources: PlanResource[]): Map<string, Map<string, number>> {
    const summary = new Map<string, Map<string, number>>();
    for (const r of resources) {
        if (!r.custom || r.type.startsWith("pulumi:")) continue;
        const cloud = cloudOf(r.type);
        const types = summary.get(cloud) ?? new Map<string, number>();
        types.set(r.type, (types.get(r.type) ?? 0) + 1);
        summary.set(cloud, types);
    }
    return summary;
}

export function renderTerminal(plan: Plan): string {
    const out: string[] = [];
    out.push(`Offline plan of ${plan.project}/${plan.stack} (${plan.stackFile}): what \`pulumi preview\` would create`, "");
    out.push(...tree(plan.resources), "");
    const custom = plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
    out.push(`Resources: ${custom.length} to create (${plan.resources.length - custom.length} components and providers)`);
    for (const [cloud, types] of [...summaryByCloud(plan.resources)].sort()) {
        const total = [...types.values()].reduce((a, b) => a + b, 0);
        out.push(`  ${cloud}: ${total}`);
        for (const [type, n] of [...types].sort()) out.push(`    ${String(n).padStart(4)}  ${type}`);
    }
    for (const ref of plan.stackReferences) {
        out.push(`Stack reference ${ref.name}: answered with ${ref.answeredWith === "planned" ? "its planned outputs" : "a placeholder (no outputs)"}`);
    }
    out.push("");
    if (plan.policyPacks.length === 0) {
        out.push("Policies: no policy pack");
    } else {
        const packs = plan.policyPacks.map((p) => `${p.name}@${p.version} (${p.policies} policies)`).join(", ");
        out.push(`Policies: ${packs}`);
        const byPolicy = new Map<string, typeof plan.violations>();
        for (const v of plan.violations) byPolicy.set(`${v.policyPack}/${v.policy}`, [...(byPolicy.get(`${v.policyPack}/${v.policy}`) ?? []), v]);
        if (byPolicy.size === 0) out.push("  no violations");
        for (const [policy, list] of [...byPolicy].sort()) {
            out.push(`  [${list[0].enforcementLevel}] ${policy} (${list.length})`);
            for (const v of list) out.push(`    ${v.urn ? v.urn.split("::").pop() : "(stack)"}: ${v.message.trim().split("\n")[0]}`);
        }
    }
    out.push("");
    const outputs = Object.entries(plan.outputs);
    out.push("Outputs:" + (outputs.length === 0 ? " none" : ""));
    for (const [k, v] of outputs) out.push(`  ${k}: ${JSON.stringify(v)}`);
    return out.join("\n");
}
