/**
 * The one-way doors in what `pulumi preview --json` says an update would do,
 * judged before `pulumi up`: a stateful resource replaced or deleted, or a
 * resource whose URN changes without an alias (the engine then deletes the old
 * resource and creates a new one, which shows as a delete and a create of the
 * same type). The stateful catalog is the one the policy pack and the offline
 * plan read.
 */
import { similarity } from "pulumi-offline-plan";
import { statefulHolds } from "../../plan.config";

/** One step of `pulumi preview --json` (the fields the doors need). */
export interface PreviewStep {
    op: string;
    urn: string;
    oldState?: { type?: string; protect?: boolean; retainOnDelete?: boolean } | null;
    newState?: { type?: string; protect?: boolean; retainOnDelete?: boolean } | null;
    replaceReasons?: string[];
}

export interface PreviewDoor {
    kind: "replace" | "delete" | "rename";
    urn: string;
    type: string;
    /** For a rename: the URN the resource has now. */
    oldUrn?: string;
    /** What the resource holds, from the stateful catalog; absent for a stateless rename. */
    holds?: string;
    /** The resource is protected now: `pulumi up` would fail on it until protection is lifted. */
    protected: boolean;
    because?: string[];
}

const replaceOps = new Set(["replace", "create-replacement", "delete-replaced", "discard-replaced"]);

/** The type token a URN ends with: `urn:pulumi:s::p::parent$type::name` gives `type`. */
export function typeOfUrn(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.split("$").pop() ?? qualified;
}

function nameOfUrn(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

const tracked = (type: string) => !type.startsWith("pulumi:");

export function doorsInPreview(steps: PreviewStep[]): PreviewDoor[] {
    const doors = new Map<string, PreviewDoor>();
    const typeOf = (s: PreviewStep) => s.newState?.type ?? s.oldState?.type ?? typeOfUrn(s.urn);
    const created = steps.filter((s) => s.op === "create" && tracked(typeOf(s)));
    const renamedTo = new Set<string>();
    for (const step of steps) {
        const type = typeOf(step);
        const holds = statefulHolds(type);
        const isProtected = Boolean(step.oldState?.protect);
        if (replaceOps.has(step.op) && holds && !doors.has(step.urn)) {
            doors.set(step.urn, { kind: "replace", urn: step.urn, type, holds, protected: isProtected, because: step.replaceReasons });
        } else if (step.op === "delete" && tracked(type) && !step.oldState?.retainOnDelete) {
            // A create of the same type with the most similar name is the same resource under a new URN.
            const to = created
                .filter((c) => typeOf(c) === type && !renamedTo.has(c.urn))
                .sort((a, b) => similarity(nameOfUrn(b.urn), nameOfUrn(step.urn)) - similarity(nameOfUrn(a.urn), nameOfUrn(step.urn)))[0];
            if (to) {
                renamedTo.add(to.urn);
                doors.set(to.urn, { kind: "rename", urn: to.urn, oldUrn: step.urn, type, holds, protected: isProtected });
            } else if (holds) {
                doors.set(step.urn, { kind: "delete", urn: step.urn, type, holds, protected: isProtected });
            }
        }
    }
    return [...doors.values()];
}

export function describePreviewDoor(d: PreviewDoor): string {
    const it = d.holds ? ` (it ${d.holds})` : "";
    switch (d.kind) {
        case "replace":
            return `${d.type} ${d.urn}${it} would be replaced${d.because?.length ? ` (changed: ${d.because.join(", ")})` : ""}`;
        case "delete":
            return `${d.type} ${d.urn}${it} would be deleted`;
        case "rename":
            return `${d.type} ${d.oldUrn}${it} would be deleted and created again as ${d.urn}: its URN changed without an alias`;
    }
}
