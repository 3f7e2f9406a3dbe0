/**
 * What the plan needs of the project it plans, and takes from that project
 * instead of guessing it from names or layout: which cloud a resource runs on,
 * where cost tags live and what they are called, the prices, the budgets, which
 * types hold data, and how the project's own components and stacks are told apart.
 *
 * A project states them once (its `plan.config.ts`, or the options of `main`);
 * everything but the cloud table may be left out, and then the plan leaves out
 * what it would have computed from it, and says so.
 */
import type { CostTags } from "./attribution";
import type { Budget } from "./budgets";
import type { CloudTable } from "./cloud-of";
import type { PriceFiles } from "./cost";
import type { Plan, ReviewedPlan } from "./model";
import type { StatefulHolds } from "./stateful";

/**
 * A diagram a project draws for a stack that the placement diagram does not suit
 * (a stack of network links): nodes in groups, and links between them. The plan
 * draws it, escaping every label, and numbers the nodes itself.
 */
export interface Diagram {
    /** In the order they are numbered; each in the group named by `group` (groups are drawn sorted). */
    nodes: { key: string; group: string; lines: string[] }[];
    /** Two-way links between the nodes of two keys. */
    links: { between: [string, string]; lines: string[] }[];
}

export interface ProjectFacts {
    /** Which cloud each provider package's resources run on. Required: the plan places nothing by its name. */
    cloudTable: CloudTable;
    /** What a stateful type holds; without it no delete or replacement is a one-way door (a rename still is). */
    statefulHolds?: StatefulHolds;
    /** The cost-tag keys and where each type keeps its tags; without them every cost is "untagged". */
    costTags?: CostTags;
    /** The price catalogue and rate card files; without them the plan makes no cost estimate. */
    prices?: PriceFiles;
    /** The budgets to hold each estimate against, read when a plan is reviewed. */
    budgets?: () => Budget[];
    /** Type prefixes of the project's own components, which the comment's diagram draws; default: every component. */
    componentTypes?: string[];
    /** A stack's workload, for resources that carry no workload tag; default: the stack's name without its last `-part`. */
    workloadOf?: (plan: Pick<Plan, "project" | "stack" | "config">) => string | undefined;
    /** A diagram of the project's own for a stack, drawn instead of the placement diagram when given. */
    diagramOf?: (plan: ReviewedPlan) => Diagram | undefined;
    /** The first line of the pull-request comment, by which CI finds and updates it. */
    commentMarker?: string;
    /** Where the project keeps its ESC environment definitions, relative to the Pulumi project (default `environments`). */
    environmentsDir?: string;
}
