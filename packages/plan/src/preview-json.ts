/**
 * The JSON plan: a superset of `pulumi preview --json` (the engine's preview digest:
 * `config`, `steps[]`, `changeSummary`, `diagnostics`, `duration`), the policy
 * results as the engine's policy events, and the plan's own sections (resources,
 * violations, cost, diff and one-way doors, outputs). One document per stack; for
 * several stacks, a JSON array of documents. Secrets are "[secret]"; in steps a
 * value not known at preview is the protocol's unknown sentinel, as in Pulumi's JSON.
 */
import { unknownValue } from "./runtime/capture";
import { standInWords } from "./text";
import { unplannedComponents } from "./partial";
import type { BasePlan } from "./base-plan";
import type { PlanResource, ReviewedPlan } from "./model";

export type StepOp = "create" | "update" | "replace" | "delete" | "same" | "read" | "import";

/** A resource's state in a step, as the engine writes it (apitype.ResourceV3; empty fields left out, as Go's omitempty does). */
export interface StepState {
    type: string;
    urn: string;
    custom: boolean;
    id?: string;
    parent?: string;
    protect: boolean;
    provider?: string;
    dependencies?: string[];
    /** Every input property; one that came from no other resource is null, as Go writes an empty list. */
    propertyDependencies?: Record<string, string[] | null>;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
}

export interface PreviewStep {
    op: StepOp;
    urn: string;
    provider?: string;
    oldState?: StepState;
    newState?: StepState;
    diffReasons?: string[];
    replaceReasons?: string[];
    detailedDiff?: Record<string, { kind: "add" | "delete" | "update" | "update-replace"; inputDiff: boolean }>;
}

export interface PolicyEvent {
    resourceUrn?: string;
    message: string;
    color: "never";
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    policyPackVersionTag: string;
    enforcementLevel: string;
    severity: string;
}

export interface PreviewDiagnostic {
    urn?: string;
    message: string;
    severity: "info" | "warning" | "error";
}

export type PlanDocument = Omit<ReviewedPlan, "config"> & {
    config: Record<string, string>;
    steps: PreviewStep[];
    changeSummary: Partial<Record<StepOp, number>>;
    diagnostics: PreviewDiagnostic[];
    /** Nanoseconds, as Go writes a duration. */
    duration: number;
    /** True when components of a component provider were not planned: the steps are not the whole preview. */
    partial: boolean;
    policyEvents: PolicyEvent[];
};

/** The plan's display form marks a value not known yet "[unknown]"; Pulumi's JSON uses the sentinel. */
function wire(value: unknown): unknown {
    if (value === "[unknown]") return unknownValue;
    if (Array.isArray(value)) return value.map(wire);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wire(v)]));
    return value;
}

function state(r: PlanResource): StepState {
    const inputs = wire(r.inputs) as Record<string, unknown>;
    // In a preview the outputs of a resource to create are its inputs; the rest is unknown.
    return {
        type: r.type,
        urn: r.urn,
        custom: r.custom,
        ...(r.id ? { id: r.id } : {}),
        parent: r.parent,
        protect: r.protect,
        provider: r.provider,
        ...(r.dependsOn?.length ? { dependencies: r.dependsOn } : {}),
        ...propertyDependencies(r),
        inputs,
        outputs: inputs,
    };
}

/** Every input property's dependencies, as the engine records what the SDK sends: null for a property that came from no resource. */
function propertyDependencies(r: PlanResource): Pick<StepState, "propertyDependencies"> {
    const keys = Object.keys(r.inputs);
    if (keys.length === 0) return {};
    return { propertyDependencies: Object.fromEntries(keys.map((key) => [key, r.propertyDependencies?.[key] ?? null])) };
}

/** What the engine does with a resource it has no state of: read it (`Resource.get`), import it (`import:`), or create it. */
const firstOp = (r: PlanResource): StepOp => (r.read ? "read" : r.id ? "import" : "create");

function steps(plan: ReviewedPlan, base: BasePlan | undefined): PreviewStep[] {
    const diff = plan.diff;
    const created = new Set(diff ? diff.created.map((r) => r.urn) : plan.resources.map((r) => r.urn));
    const changed = new Map((diff?.changed ?? []).map((c) => [c.urn, c]));
    const aliasedFrom = new Map((diff?.aliased ?? []).map((a) => [a.urn, a.oldUrn]));
    const baseByUrn = new Map((base?.resources ?? []).map((r) => [r.urn, r]));
    const out: PreviewStep[] = plan.resources.map((r) => {
        const old = baseByUrn.get(aliasedFrom.get(r.urn) ?? r.urn);
        if (created.has(r.urn) || !diff) return { op: firstOp(r), urn: r.urn, provider: r.provider, newState: state(r) };
        const change = changed.get(r.urn);
        if (!change) return { op: "same", urn: r.urn, provider: r.provider, oldState: old && state(old), newState: state(r) };
        const replace = change.replaceBecause.length > 0;
        return {
            op: replace ? "replace" : "update",
            urn: r.urn,
            provider: r.provider,
            oldState: old && state(old),
            newState: state(r),
            diffReasons: [...new Set(change.paths.map((p) => p.split(".")[0]))],
            replaceReasons: replace ? [...new Set(change.replaceBecause.map((p) => p.split(".")[0]))] : [],
            detailedDiff: Object.fromEntries(
                change.paths.map((p) => [p, { kind: change.replaceBecause.includes(p) ? ("update-replace" as const) : ("update" as const), inputDiff: true }]),
            ),
        };
    });
    for (const d of diff?.deleted ?? []) {
        const old = baseByUrn.get(d.urn);
        out.push({ op: "delete", urn: d.urn, provider: old?.provider, oldState: old && state(old) });
    }
    return out;
}

export function planDocument(plan: ReviewedPlan, base: BasePlan | undefined, options: { suppressOutputs?: boolean } = {}): PlanDocument {
    const all = steps(plan, base);
    const changeSummary: PlanDocument["changeSummary"] = {};
    // The engine counts a read only when what it read changed, which a plan without a deployment cannot tell.
    for (const s of all) if (s.op !== "read") changeSummary[s.op] = (changeSummary[s.op] ?? 0) + 1;
    const diagnostics: PreviewDiagnostic[] = [
        ...(plan.standIns ?? []).map((token) => ({
            message: `provider function ${token} was answered offline with ${standInWords(token, plan.standInFor)}`,
            severity: "info" as const,
        })),
        ...unplannedComponents(plan).map((r) => ({
            urn: r.urn,
            message: `component ${r.type} "${r.name}" was not planned: ${r.remote?.reason ?? "its children are unknown offline"}`,
            severity: "warning" as const,
        })),
        ...plan.stackReferences
            .filter((r) => r.answeredWith === "placeholder")
            .map((r) => ({ message: `stack reference ${r.name} was answered with a placeholder: every output unknown`, severity: "warning" as const })),
    ];
    return {
        ...plan,
        config: plan.config ?? {},
        outputs: options.suppressOutputs ? {} : plan.outputs,
        steps: all,
        changeSummary,
        diagnostics,
        duration: Math.round((plan.durationMs ?? 0) * 1e6),
        partial: unplannedComponents(plan).length > 0,
        policyEvents: plan.violations.map((v) => ({
            resourceUrn: v.urn || undefined,
            message: v.message,
            color: "never",
            policyName: v.policy,
            policyPackName: v.policyPack,
            policyPackVersion: v.policyPackVersion,
            policyPackVersionTag: v.policyPackVersion,
            enforcementLevel: v.enforcementLevel,
            severity: v.severity,
        })),
    };
}

/** The text --json writes: one document for one stack, an array of documents for several. */
export function planJson(documents: PlanDocument[], several: boolean): string {
    return JSON.stringify(several ? documents : documents[0], null, 2) + "\n";
}
