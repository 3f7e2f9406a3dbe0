/**
 * `node --require pulumi-offline-plan/register tools/docs/policy-table.ts`: regenerates the policy table in
 * policies/README.md and the table of controls in docs/controls.md from the pack
 * itself. It starts the pack through the analyzer as the CLI does and reads
 * GetAnalyzerInfo (name, description, severity, framework, tags, level), so the
 * tables cannot drift from the code. The number of types each policy judges per
 * cloud comes from its tags: counts over the generated catalog (`types:aws=861`)
 * or the type tokens it names; the controls a policy cites come from its citation
 * tags, read against the table in policies/controls.ts.
 * test/policy-readme.test.ts and policy-table.test.ts fail when a committed table differs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PolicySession } from "pulumi-offline-plan";
import type { PolicyInfo, PolicyPackConfig } from "pulumi-offline-plan";
import { statefulFamilies, statefulFamilyOf, statefulTypes } from "../../policies/catalog/stateful";
import { citationOf, controls, standards, type Control, type StandardKey } from "../../policies/controls";
import { cloudDescriptors } from "../../components/clouds";

export const policiesDir = path.resolve(__dirname, "../../policies");
export const policyReadme = path.join(policiesDir, "README.md");
export const controlsPage = path.resolve(__dirname, "../../docs/controls.md");

const clouds: [string, string][] = [
    ["aws-", "AWS"],
    ["gcp-", "GCP"],
    ["alicloud-", "Alibaba Cloud"],
    ["k8s-", "Kubernetes"],
];

function cloudOf(policy: PolicyInfo): string {
    return clouds.find(([prefix]) => policy.name.startsWith(prefix))?.[1] ?? "cross-cloud";
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/** A policy's citations, each control once with the types it is cited for (none: every type the policy judges). */
export function citationsOf(policy: PolicyInfo): { control: Control; types: string[] }[] {
    const cited = new Map<string, { control: Control; types: string[] }>();
    for (const tag of policy.tags) {
        const citation = citationOf(tag);
        if (!citation?.control) continue;
        const entry = cited.get(citation.key) ?? { control: citation.control, types: [] };
        if (citation.type) entry.types.push(citation.type);
        cited.set(citation.key, entry);
    }
    return [...cited.values()];
}

const link = (control: Control) => `[${control.id}](${control.source})`;
const forTypes = (types: string[]) => (types.length > 0 ? ` (${types.map((t) => `\`${t}\``).join(", ")})` : "");

/** The controls column: each cited control from the table, linked to its source; the baseline where none is cited. */
function controlsCell(policy: PolicyInfo): string {
    const cited = citationsOf(policy);
    if (cited.length === 0) return policy.framework ? cell(`${policy.framework.name} ${policy.framework.version}`) : "";
    return cited.map(({ control, types }) => cell(`${standards[control.standard].label} ${link(control)}${forTypes(types)}`)).join("<br>");
}

const providerNames: [string, string][] = cloudDescriptors.map((c) => [c.providerPackage, c.providerTitle]);

/**
 * How many resource types of each cloud a policy judges: the `types:<provider>=<n>`
 * counts of a policy that judges a family of the generated catalog, else its
 * `type:<token>` tags.
 */
export function typesPerCloud(policy: PolicyInfo): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [provider] of providerNames) {
        const declared = policy.tags.find((t) => t.startsWith(`types:${provider}=`));
        counts[provider] = declared ? Number(declared.split("=")[1]) : policy.tags.filter((t) => t.startsWith(`type:${provider}:`)).length;
    }
    return counts;
}

function coverage(policy: PolicyInfo): string {
    const counts = typesPerCloud(policy);
    return providerNames
        .filter(([provider]) => counts[provider] > 0)
        .map(([provider, name]) => `${name} ${counts[provider].toLocaleString("en-US")}`)
        .join("<br>");
}

function level(policy: PolicyInfo, dev: PolicyPackConfig): string {
    const relaxed = dev[policy.name];
    const devLevel = typeof relaxed === "string" ? relaxed : relaxed?.enforcementLevel;
    return devLevel && devLevel !== policy.enforcementLevel ? `${policy.enforcementLevel} (dev: ${devLevel})` : policy.enforcementLevel;
}

export function renderPolicyTable(policies: PolicyInfo[], dev: PolicyPackConfig): string {
    const order = [...clouds.map(([, c]) => c), "cross-cloud"];
    const sorted = [...policies].sort((a, b) => order.indexOf(cloudOf(a)) - order.indexOf(cloudOf(b)) || a.name.localeCompare(b.name));
    const rows = sorted.map((p) => {
        const types = p.tags.filter((t) => t.startsWith("type:")).map((t) => `\`${t.slice("type:".length)}\``);
        return `| ${cloudOf(p)} | \`${p.name}\` | ${coverage(p)} | ${types.join("<br>")} | ${cell(p.description)} | ${p.severity} | ${level(p, dev)} | ${controlsCell(p)} |`;
    });
    return [
        "| cloud | policy | types judged | resource types | what it checks | severity | level | controls ([docs/controls.md](../docs/controls.md)) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ...rows,
    ].join("\n");
}

/** The stateful families of policies/catalog/stateful.ts, with how many types each holds. */
export function renderStatefulTable(): string {
    const rows = statefulFamilies.map((f) => {
        const count = [...statefulTypes()].filter((t) => statefulFamilyOf(t) === f).length;
        const name = providerNames.find(([p]) => p === f.provider)![1];
        return `| ${name} | ${f.name} | ${count} | ${cell(f.reason)} |`;
    });
    return ["| cloud | family | types | why it cannot be recreated |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/**
 * The table of controls: per standard, each control the pack cites with its title
 * as its source states it, the policies that cite it (and for which types), and the
 * address it was read from.
 */
export function renderControlsTable(policies: PolicyInfo[]): string {
    const citers = new Map<string, string[]>();
    for (const p of [...policies].sort((a, b) => a.name.localeCompare(b.name))) {
        for (const { control, types } of citationsOf(p)) citers.set(control.key, [...(citers.get(control.key) ?? []), `\`${p.name}\`${forTypes(types)}`]);
    }
    const sections = (Object.keys(standards) as StandardKey[]).map((key) => {
        const standard = standards[key];
        const rows = controls
            .filter((c) => c.standard === key)
            .map(
                (c) =>
                    `| ${cell(c.alias ? `${c.id} (${c.alias})` : c.id)} | ${cell(c.title)} | ${(citers.get(c.key) ?? []).join("<br>")} | [source](${c.source}) |`,
            );
        return [
            `### ${standard.name} ${standard.version}`,
            "",
            `Published at ${standard.home}.`,
            "",
            "| id | title | cited by | read from |",
            "| --- | --- | --- | --- |",
            ...rows,
        ].join("\n");
    });
    return sections.join("\n\n");
}

/** Replaces the body between <!-- NAME:start --> and <!-- NAME:end -->. */
function replaceSection(text: string, body: string, name = "policies", file = "policies/README.md"): string {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i < 0 || j < i) throw new Error(`${file} has no ${start} ... ${end} section.`);
    return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

/** The pack's policies as the CLI sees them, and the dev configuration. */
async function packPolicies(): Promise<{ policies: PolicyInfo[]; dev: PolicyPackConfig }> {
    const session = await PolicySession.start([policiesDir]);
    try {
        const dev = JSON.parse(fs.readFileSync(path.join(policiesDir, "config", "dev.json"), "utf8")) as PolicyPackConfig;
        return { policies: session.infos[0].policies, dev };
    } finally {
        await session.stop();
    }
}

const readmeOf = (text: string, policies: PolicyInfo[], dev: PolicyPackConfig) =>
    replaceSection(replaceSection(text, renderPolicyTable(policies, dev)), renderStatefulTable(), "stateful");
const controlsPageOf = (text: string, policies: PolicyInfo[]) => replaceSection(text, renderControlsTable(policies), "controls", "docs/controls.md");

/** The README with its policy table regenerated from the running pack. */
export async function generatedPolicyReadme(text: string): Promise<string> {
    const { policies, dev } = await packPolicies();
    return readmeOf(text, policies, dev);
}

/** docs/controls.md with its table of controls regenerated from the running pack. */
export async function generatedControlsPage(text: string): Promise<string> {
    const { policies } = await packPolicies();
    return controlsPageOf(text, policies);
}

async function main(): Promise<void> {
    const { policies, dev } = await packPolicies();
    fs.writeFileSync(policyReadme, readmeOf(fs.readFileSync(policyReadme, "utf8"), policies, dev));
    fs.writeFileSync(controlsPage, controlsPageOf(fs.readFileSync(controlsPage, "utf8"), policies));
    process.stdout.write("policies/README.md: policy and stateful tables updated\ndocs/controls.md: table of controls updated\n");
}

// A rejection is left unhandled on purpose: Node prints its stack and exits with 1.
if (require.main === module) void main();
