/**
 * The review of a plan: its diff against the base branch's plan with the one-way
 * doors among the changes, its estimated cost and the cost's change, with the
 * project's facts. Nothing is printed or written.
 */
import { costOptionsOf, estimateCost } from "./cost";
import type { ProjectFacts } from "./facts";
import type { BasePlan } from "./base-plan";
import { acceptance, type AcceptedDoors } from "./accepted-doors";
import { diffPlans, type PlanDiff } from "./diff";
import type { Plan, ReviewedPlan } from "./model";

export interface ReviewOptions {
    /** The project's facts: what is stateful, prices, cost tags, budgets, clouds. */
    facts: ProjectFacts;
    /** The base branch's plans by stack, when the plan is compared (`--base`). */
    basePlans?: Map<string, BasePlan>;
    /** How the base is named in the review (its file). */
    baseLabel?: string;
    /** One-way doors allowed by name or URN (`--allow-one-way-door`). */
    allow?: string[];
    /** The committed list of one-way doors that review accepted (`--accepted-doors`). */
    acceptedDoors?: AcceptedDoors;
    /** `--target` URNs: only these resources are planned (and, with `targetDependents`, what depends on them). */
    targets?: string[];
    targetDependents?: boolean;
}

/**
 * The part of a plan that `--target` selects, as the CLI does: the targeted
 * resources, and with --target-dependents every resource whose parent, provider or
 * dependencies lead to one. Stack-wide findings stay.
 */
export function selectTargets(plan: Plan, targets: string[], withDependents = false): Plan {
    const selected = new Set(targets);
    if (withDependents) {
        let grew = true;
        while (grew) {
            grew = false;
            for (const r of plan.resources) {
                if (selected.has(r.urn)) continue;
                const providerUrn = r.provider?.slice(0, r.provider.lastIndexOf("::"));
                const leads = [r.parent, providerUrn, ...(r.dependsOn ?? [])].some((u) => u !== undefined && selected.has(u));
                if (leads) {
                    selected.add(r.urn);
                    grew = true;
                }
            }
        }
    }
    return {
        ...plan,
        resources: plan.resources.filter((r) => selected.has(r.urn)),
        violations: plan.violations.filter((v) => !v.urn || selected.has(v.urn)),
        remediations: plan.remediations.filter((r) => selected.has(r.urn)),
    };
}

/** A door the committed file accepts is allowed, and says by whom, why and until when. */
export function withAcceptedDoors(diff: PlanDiff, stack: string, doors: AcceptedDoors | undefined): PlanDiff {
    if (!doors) return diff;
    return {
        ...diff,
        oneWayDoors: diff.oneWayDoors.map((door) => {
            const entry = acceptance(doors, stack, door.urn, door.oldUrn);
            if (!entry) return door;
            return { ...door, allowed: true, accepted: { file: doors.file, acceptedBy: entry.acceptedBy, reason: entry.reason, expires: entry.expires } };
        }),
    };
}

export function reviewPlan(whole: Plan, options: ReviewOptions): ReviewedPlan {
    const plan = options.targets?.length ? selectTargets(whole, options.targets, options.targetDependents) : whole;
    // A project that keeps no prices gets no estimate, rather than one of zero.
    const costOptions = costOptionsOf(options.facts);
    const cost = costOptions && estimateCost(plan.resources, costOptions);
    if (!options.basePlans) return cost ? { ...plan, cost } : plan;
    const base = options.basePlans.get(plan.stack);
    const label = base ? `${options.baseLabel ?? "base"} (${plan.stack})` : `${options.baseLabel ?? "base"} (no plan of ${plan.stack}: a new stack)`;
    const diff = withAcceptedDoors(
        diffPlans(base ?? { resources: [] }, plan, { allow: options.allow, baseLabel: label, statefulHolds: options.facts.statefulHolds }),
        plan.stack,
        options.acceptedDoors,
    );
    if (!cost || !costOptions) return { ...plan, diff };
    // The base's own estimate when it carries one: prices may have changed since.
    const baseMonthlyUsd = base?.cost?.monthlyUsd ?? estimateCost(base?.resources ?? [], costOptions).monthlyUsd;
    return { ...plan, cost, diff, costChange: { baseMonthlyUsd, monthlyUsd: cost.monthlyUsd, deltaUsd: cost.monthlyUsd - baseMonthlyUsd } };
}

/** True when the review found any create, update, replace or delete against the base. */
export function hasChanges(plan: ReviewedPlan): boolean {
    const d = plan.diff;
    return Boolean(d && (d.created.length || d.changed.length || d.deleted.length));
}
