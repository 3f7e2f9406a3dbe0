/**
 * What a plan leaves out: components a component provider builds whose provider
 * cannot run offline (awsx, eks: plugin binaries). Each is in the plan alone; the
 * children it would create are unknown, so every view counts them apart and says
 * the plan is partial, never presenting it as whole.
 */
import type { Plan, PlanResource } from "./model";

/** The remote components whose children the plan does not hold. */
export function unplannedComponents(plan: Pick<Plan, "resources">): PlanResource[] {
    return plan.resources.filter((r) => r.remote && !r.remote.planned);
}

/** One line for a component left unplanned: what it is, and why its children are unknown. */
export function describeUnplanned(r: PlanResource): string {
    return `${r.type} "${r.name}": ${r.remote?.reason ?? "its children are unknown offline"}`;
}

/** The warning a partial plan carries wherever it is shown; none for a whole plan. */
export function partialWarning(plan: Pick<Plan, "resources" | "stack">): string | undefined {
    const unplanned = unplannedComponents(plan);
    if (unplanned.length === 0) return undefined;
    const n = unplanned.length;
    return (
        `PARTIAL PLAN of ${plan.stack}: ${n} component${n === 1 ? "" : "s"} built by a component provider ` +
        `${n === 1 ? "is" : "are"} not planned, and the resources ${n === 1 ? "it" : "they"} would create are not counted, priced or judged by policy: ` +
        unplanned.map((r) => `${r.type} "${r.name}"`).join(", ")
    );
}
