/**
 * The plan's data model: what a plan of one stack holds (resources as the engine
 * registers them, violations, outputs), and what the review adds to it (diff
 * against the base branch, cost and its change, one-way doors).
 */
import type { EnforcementLevel, Remediation, Violation } from "./analyzer";
import type { PlanDiff } from "./diff";

export type { Violation } from "./analyzer";

export interface PlanResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    /** `<provider urn>::<provider id>`, the id unknown in a preview; for every custom resource. */
    provider?: string;
    custom: boolean;
    protect: boolean;
    /** The resource's aliases as URNs, so a diff against the base plan can tell a rename from a delete and create. */
    aliases: string[];
    /** URNs this resource depends on (`dependsOn` and every resource an input came from), as the engine records them. */
    dependsOn?: string[];
    /** For each input property that came from other resources, those resources. */
    propertyDependencies?: Record<string, string[]>;
    /** The id, where a preview knows it (a resource read or imported). */
    id?: string;
    /** Read from the cloud (`Resource.get`), not created. */
    read?: true;
    /** A component a component provider builds (`remote: true`): whether its children are planned, and if not, why. */
    remote?: { planned: boolean; reason?: string };
    /** Inputs with secrets shown as "[secret]" and unknowns as "[unknown]". */
    inputs: Record<string, unknown>;
}

export interface StackReferenceUse {
    name: string;
    /** "planned": answered with the referenced stack's planned outputs; "placeholder": with none. */
    answeredWith: "planned" | "placeholder";
}

/** A provider function the program called, and whether its answer was a stand-in (a value of the declared shape, or values only the cloud knows). */
export interface ProviderCall {
    token: string;
    standIn: boolean;
    standInFor: string[];
}

export interface Plan {
    project: string;
    stack: string;
    stackFile: string;
    /** Stack configuration, secrets as "[secret]". */
    config?: Record<string, string>;
    resources: PlanResource[];
    violations: Violation[];
    /** Fixes that remediating policies made to resources' inputs before they were judged. */
    remediations: Omit<Remediation, "properties">[];
    outputs: Record<string, unknown>;
    /**
     * Each pack, where its configuration came from (its initial configuration,
     * --policy-pack-config, its config/<environment>.json, or its defaults), and the
     * enforcement level each policy runs at once that configuration is applied.
     */
    policyPacks: { name: string; version: string; policies: number; config?: string; levels?: Record<string, EnforcementLevel> }[];
    stackReferences: StackReferenceUse[];
    /** Provider functions answered with stand-ins, one entry per function. */
    standIns?: string[];
    /** What each of those functions' answers stood in for, in words (its declared shape, an account id, a region). */
    standInFor?: Record<string, string[]>;
    /** Time the plan of this stack took, in milliseconds. */
    durationMs?: number;
}

/** Estimated monthly cost, as cost.ts computes it. */
export interface PlanCost {
    monthlyUsd: number;
    byCloud: Record<string, number>;
    byWorkload: Record<string, number>;
    /** Resources or types without a price: a count or a list. */
    unpriced: number | unknown[];
}

export interface PlanCostChange {
    baseMonthlyUsd: number;
    monthlyUsd: number;
    deltaUsd: number;
}

/** A plan with what a review adds: the diff against the base branch and the cost. */
export type ReviewedPlan = Plan & { diff?: PlanDiff; cost?: PlanCost; costChange?: PlanCostChange };
