/**
 * What the offline plan (packages/plan, `pulumi-offline-plan`) needs of this
 * project, said once: which cloud each provider package runs on (the clouds'
 * descriptors), the cost-tag keys and where each type keeps its tags (the catalog
 * the policies read), the price catalogue and rate card, the budgets finance set,
 * which types hold data (the stateful catalog), how a stack names its workload,
 * the diagram of a links stack, and the pack that judges our stacks.
 *
 * It lives at the root because the plan's command reads `plan.config.ts` where it
 * runs, as Jest reads jest.config.js: `npm run plan` is the package's command and
 * nothing else. The project's own code and tests take the plan's functions bound
 * to these facts from here (`estimateCost`, `placementDiagram`, `summaryByCloud`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import * as offlinePlan from "pulumi-offline-plan";
import type { Budget, CliOptions, CostOptions, Diagram, PlanResource, ReviewedPlan } from "pulumi-offline-plan";
import { cloudTable } from "./components/clouds";
import { budgetList, parseBudgets } from "./organization/budgets";
import { statefulFamilyOf } from "./policies/catalog/stateful";
import { readTags, tagPlacement } from "./policies/catalog/tags";
import type { costTagKeys } from "./stacks/config";

export const pricesFile = path.join(__dirname, "data", "prices.yaml");
export const rateCardFile = path.join(__dirname, "data", "rate-card.yaml");

/** The organisation stack's file and the key that holds the budgets the clouds' own budgets are created from. */
export const budgetsFile = path.join(__dirname, "organization", "Pulumi.organization.yaml");
export const budgetsKey = "multicloud-organization:budgets";

/** The committed list of one-way doors review accepted: the plan reads it in pull requests, the deploy bot on merge. */
export const defaultAcceptedDoorsFile = "deploy/accepted-doors.yaml";

/** Which of the stacks' cost tags (stacks/config.ts) says who pays. */
const costTagRoles = { workload: "workload", environment: "environment", costCenter: "cost-center" } satisfies Record<string, (typeof costTagKeys)[number]>;

/** What a resource of the type holds that a delete or replacement destroys, from the stateful catalog the pack and the docs read. */
export function statefulHolds(type: string): string | undefined {
    return statefulFamilyOf(type)?.reason;
}

let loaded: Budget[] | undefined;

/** The budgets, or none when the project keeps no organisation stack. */
export function loadBudgets(file = budgetsFile): Budget[] {
    if (file === budgetsFile && loaded) return loaded;
    if (!fs.existsSync(file)) return [];
    const config = (parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {};
    const budgets = config[budgetsKey] === undefined ? [] : budgetList(parseBudgets(config[budgetsKey], path.relative(process.cwd(), file) || file));
    if (file === budgetsFile) loaded = budgets;
    return budgets;
}

/** One end of a link in a links stack's `links` output, as far as the plan can tell (outputs may be unknown). */
interface LinkOutputEnd {
    workload?: unknown;
    cloud?: unknown;
    ranges?: unknown;
    asn?: unknown;
    ciphers?: { encryption?: unknown };
}

interface LinkOutput {
    caller?: LinkOutputEnd;
    callee?: LinkOutputEnd;
    tunnels?: unknown;
}

/** One end of a link as the diagram shows it. */
interface LinkEndShown {
    workload: string;
    cloud: string;
    ranges: string[];
    asn: number;
}

/**
 * A links stack (stacks/links) drawn from its `links` output: each network a node
 * in its cloud with its ranges, each link an edge labelled with its tunnels,
 * cipher and the two BGP ASNs. Undefined for a stack without that output.
 */
export function linksDiagram(plan: Pick<ReviewedPlan, "outputs">): Diagram | undefined {
    const links = plan.outputs?.links;
    if (!links || typeof links !== "object") return undefined;
    const end = (e: LinkOutputEnd | undefined): LinkEndShown | undefined =>
        e && typeof e.workload === "string" && typeof e.cloud === "string"
            ? { workload: e.workload, cloud: e.cloud, ranges: Array.isArray(e.ranges) ? e.ranges.map(String) : [], asn: Number(e.asn) }
            : undefined;
    const shown = Object.values(links as Record<string, LinkOutput | undefined>).flatMap((l) => {
        const [caller, callee] = [end(l?.caller), end(l?.callee)];
        const encryption = l?.caller?.ciphers?.encryption;
        return caller && callee ? [{ caller, callee, tunnels: Number(l?.tunnels), encryption: typeof encryption === "string" ? encryption : "" }] : [];
    });
    const key = (e: LinkEndShown) => `${e.cloud}\u0000${e.workload}`;
    const ends = new Map<string, LinkEndShown>();
    for (const l of shown) for (const e of [l.caller, l.callee]) ends.set(key(e), e);
    return {
        nodes: [...ends].map(([k, e]) => ({ key: k, group: e.cloud, lines: [e.workload, ...e.ranges] })),
        links: shown.map((l) => ({
            between: [key(l.caller), key(l.callee)],
            lines: [`IPsec, ${l.tunnels} tunnels, ${l.encryption}`, `BGP ${l.caller.asn} / ${l.callee.asn}`],
        })),
    };
}

const facts: CliOptions = {
    cloudTable,
    statefulHolds,
    costTags: {
        keys: costTagRoles,
        taggable: (type) => tagPlacement(type) !== undefined,
        read: (type, inputs) => {
            const placement = tagPlacement(type);
            return placement && readTags(placement, inputs);
        },
    },
    prices: { catalogue: pricesFile, rateCards: rateCardFile },
    budgets: () => loadBudgets(),
    // Our components' type tokens (`multicloud:aws:SharedStorage`); the diagram draws them.
    componentTypes: ["multicloud:"],
    workloadOf: (plan) => plan.config?.[`${plan.project}:workload`],
    diagramOf: linksDiagram,
    // The pull-request workflow updates the comment that starts with this line.
    commentMarker: "<!-- multicloud-offline-plan -->",
    projectDir: __dirname,
    policyPacks: [path.join(__dirname, "policies")],
    command: "npm run plan --",
};

export default facts;

/** The estimate with this project's prices, tags, clouds and budgets; options given override them. */
export function estimateCost(resources: PlanResource[], options: Partial<CostOptions> = {}) {
    return offlinePlan.estimateCost(resources, { ...offlinePlan.costOptionsOf(facts)!, ...options });
}

/** The comment's diagram of a stack, with this project's clouds, components and links diagram. */
export function placementDiagram(plan: ReviewedPlan, stackWorkload: string): string[] {
    return offlinePlan.placementDiagram(plan, stackWorkload, facts);
}

/** Resources per cloud and type, placed by this project's cloud table. */
export function summaryByCloud(resources: PlanResource[]) {
    return offlinePlan.summaryByCloud(resources, cloudTable);
}
