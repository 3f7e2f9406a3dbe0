/**
 * `node --import tsx tools/docs/policy-table.ts`: regenerates the policy table in
 * policies/README.md from the pack itself. It starts the pack through the
 * analyzer as the CLI does and reads GetAnalyzerInfo (name, description,
 * severity, framework, tags, level), so the table cannot drift from the code.
 * The number of types each policy judges per cloud comes from its tags: counts
 * over the generated catalog (`types:aws=861`) or the type tokens it names.
 * test/policy-readme.test.ts fails when the committed table differs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PolicySession } from "../plan/plan";
import type { PolicyInfo, PolicyPackConfig } from "../plan/analyzer";
import { statefulFamilies, statefulFamilyOf, statefulTypes } from "../../policies/catalog/stateful";

export const policiesDir = path.resolve(__dirname, "../../policies");
export const policyReadme = path.join(policiesDir, "README.md");

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

function ids(policy: PolicyInfo): string {
    const list: string[] = [];
    const fw = policy.framework;
    if (fw?.reference && /CIS/.test(fw.name)) list.push(`CIS ${fw.name.replace(/^CIS\s+/, "").replace(/ Benchmark$/, "")} ${fw.version}: ${fw.reference}`);
    else if (fw?.reference) list.push(`${fw.name}: ${fw.reference}`);
    list.push(...policy.tags.filter((t) => /^(checkov|tfsec):/.test(t)).map((t) => `\`${t}\``));
    return list.join("<br>");
}

const providerNames: [string, string][] = [
    ["aws", "AWS"],
    ["gcp", "GCP"],
    ["alicloud", "Alibaba Cloud"],
    ["kubernetes", "Kubernetes"],
];

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
        return `| ${cloudOf(p)} | \`${p.name}\` | ${coverage(p)} | ${types.join("<br>")} | ${cell(p.description)} | ${p.severity} | ${level(p, dev)} | ${ids(p)} |`;
    });
    return ["| cloud | policy | types judged | resource types | what it checks | severity | level | Checkov / tfsec / CIS |", "| --- | --- | --- | --- | --- | --- | --- | --- |", ...rows].join("\n");
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

/** Replaces the body between <!-- NAME:start --> and <!-- NAME:end -->. */
function replaceSection(text: string, body: string, name = "policies"): string {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i < 0 || j < i) throw new Error(`policies/README.md has no ${start} ... ${end} section.`);
    return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

/** The README with its policy table regenerated from the running pack. */
export async function generatedPolicyReadme(text: string): Promise<string> {
    const session = await PolicySession.start([policiesDir]);
    try {
        const dev = JSON.parse(fs.readFileSync(path.join(policiesDir, "config", "dev.json"), "utf8")) as PolicyPackConfig;
        return replaceSection(replaceSection(text, renderPolicyTable(session.infos[0].policies, dev)), renderStatefulTable(), "stateful");
    } finally {
        await session.stop();
    }
}

if (require.main === module) {
    generatedPolicyReadme(fs.readFileSync(policyReadme, "utf8")).then((text) => {
        fs.writeFileSync(policyReadme, text);
        process.stdout.write("policies/README.md: policy and stateful tables updated\n");
    });
}
