/**
 * What the guard does with one Operator `Stack` object, as a pure function of the
 * object (its spec, the Operator's status, the annotations), the probe's answer
 * and the time. Nothing here talks to the cluster: the caller probes, then applies
 * the patch and records the Event this returns.
 *
 * An applying object:
 * - updated and healthy at a commit it has not recorded: records that commit as
 *   the last good one (annotation, with the time);
 * - its update failed, or the workload does not answer healthy: pins the object
 *   to the last good commit (`spec.commit`, `spec.branch` emptied) and says why
 *   (annotations and a Warning Event); with no last good commit, or when the
 *   failing commit is the last good one, it reports and pins nothing;
 * - pinned: verifies the pinned commit the same way on every run and stays
 *   pinned; it follows its branch again only when a person removes the pin
 *   annotation, after which this restores `spec.branch` from the object's
 *   `follows-branch` annotation and removes `spec.commit`.
 *
 * A drift-check object (`spec.preview`): keeps it pointed at the commit its
 * applying object last applied, and reports a preview that found changes as
 * drift (the object's update template expects no changes, so drift fails it).
 *
 * Why `spec.branch` is emptied rather than removed: the gitops program owns that
 * field through server-side apply; a field nobody owns any more would be put back
 * by its next `pulumi up`, and the Operator refuses an object with both a branch
 * and a commit. Writing an empty value moves the field's ownership to the guard,
 * so the program, which ignores changes to it, leaves it alone.
 */
import type { AnnotationKeys } from "./annotations";

export interface StackObject {
    metadata: {
        name: string;
        namespace?: string;
        uid?: string;
        resourceVersion?: string;
        generation?: number;
        annotations?: Record<string, string>;
    };
    spec: { branch?: string; commit?: string; preview?: boolean; stack?: string };
    status?: {
        lastUpdate?: {
            name?: string;
            type?: string;
            state?: string;
            message?: string;
            generation?: number;
            lastAttemptedCommit?: string;
            lastSuccessfulCommit?: string;
            permalink?: string;
        };
        currentUpdate?: { name?: string; commit?: string; generation?: number };
        observedGeneration?: number;
    };
}

/** The probe's answer about a workload. */
export interface Health {
    ok: boolean;
    detail: string;
}

/** RFC 6902; `test` on the resource version makes a patch fail if the object changed since it was read. */
export interface PatchOp {
    op: "add" | "remove" | "test";
    path: string;
    value?: unknown;
}

export interface GuardEvent {
    type: "Normal" | "Warning";
    reason: string;
    message: string;
    /** The object the Event is about, when not the one decided on (drift is reported on the applying object). */
    regarding?: string;
}

export type Outcome = "waiting" | "recorded-good" | "healthy" | "pinned" | "failing" | "unpinned" | "retargeted" | "no-drift" | "drift" | "drift-check-failed";

export interface Decision {
    stack: string;
    outcome: Outcome;
    /** One line for the guard's log. */
    log: string;
    patch?: PatchOp[];
    event?: GuardEvent;
}

export interface DecideContext {
    keys: AnnotationKeys;
    now: Date;
    /** The probe's answer, when the object has a health URL and its last update succeeded. */
    health?: Health;
    /** For a drift-check object: the applying object it checks. */
    applying?: StackObject;
}

/** What `pulumi preview --expect-no-changes` prints when there are changes. */
const changesProposed = /no changes were expected/i;

const pointer = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");
const annotationPath = (key: string) => `/metadata/annotations/${pointer(key)}`;
const short = (commit?: string) => (commit ? commit.slice(0, 12) : "an unknown commit");
const firstLine = (text = "") => text.trim().split("\n")[0].slice(0, 300);

function guarded(stack: StackObject, ops: PatchOp[]): PatchOp[] {
    const test: PatchOp[] = stack.metadata.resourceVersion ? [{ op: "test", path: "/metadata/resourceVersion", value: stack.metadata.resourceVersion }] : [];
    // Annotations are added one key at a time: the map must exist first.
    const annotations: PatchOp[] = stack.metadata.annotations ? [] : [{ op: "add", path: "/metadata/annotations", value: {} }];
    return [...test, ...annotations, ...ops];
}

const setAnnotation = (key: string, value: string): PatchOp => ({ op: "add", path: annotationPath(key), value });
const removeAnnotation = (stack: StackObject, key: string): PatchOp[] =>
    stack.metadata.annotations?.[key] !== undefined ? [{ op: "remove", path: annotationPath(key) }] : [];

/** Why the object's status says nothing yet about its current spec, if it does not. */
function notSettled(stack: StackObject): string | undefined {
    const status = stack.status;
    if (status?.currentUpdate) return `an update is running (${status.currentUpdate.name ?? "unnamed"})`;
    const last = status?.lastUpdate;
    if (!last?.state) return "no update has finished yet";
    const generation = stack.metadata.generation;
    const ranFor = last.generation ?? status?.observedGeneration;
    if (generation !== undefined && ranFor !== undefined && ranFor < generation) {
        return `the Operator has not yet run the current spec (generation ${generation}; its last update ran generation ${ranFor})`;
    }
    if (last.state !== "succeeded" && last.state !== "failed") return `the last update is ${last.state}`;
    return undefined;
}

/** A failure is reported once per update: its key is remembered on the object. */
function report(stack: StackObject, keys: AnnotationKeys, outcome: Outcome, log: string, event: GuardEvent): Decision {
    const reportKey = `${outcome}:${stack.status?.lastUpdate?.name ?? ""}`;
    const name = stack.metadata.name;
    if (stack.metadata.annotations?.[keys.reported] === reportKey) return { stack: name, outcome, log: `${log} (reported already)` };
    return { stack: name, outcome, log, event, patch: guarded(stack, [setAnnotation(keys.reported, reportKey)]) };
}

function decideApplying(stack: StackObject, context: DecideContext): Decision {
    const { keys, now, health } = context;
    const name = stack.metadata.name;
    const annotations = stack.metadata.annotations ?? {};
    const pinned = annotations[keys.pinnedCommit];
    const lastGood = annotations[keys.lastGoodCommit];
    const follows = annotations[keys.followsBranch];

    if (!pinned && (stack.spec.commit || (follows !== undefined && stack.spec.branch !== follows))) {
        if (!follows) {
            return {
                stack: name,
                outcome: "failing",
                log: `${name}: spec.commit is set without a pin and no ${keys.followsBranch} annotation names a branch to return to; left as it is`,
            };
        }
        const ops: PatchOp[] = [
            { op: "add", path: "/spec/branch", value: follows },
            ...(stack.spec.commit !== undefined ? [{ op: "remove" as const, path: "/spec/commit" }] : []),
            ...removeAnnotation(stack, keys.pinnedAt),
            ...removeAnnotation(stack, keys.pinnedReason),
        ];
        const message = `follows ${follows} again: the pin was removed`;
        return {
            stack: name,
            outcome: "unpinned",
            log: `${name}: ${message}`,
            patch: guarded(stack, ops),
            event: { type: "Normal", reason: "Unpinned", message },
        };
    }

    const waiting = notSettled(stack);
    if (waiting) return { stack: name, outcome: "waiting", log: `${name}: waiting: ${waiting}` };

    const last = stack.status!.lastUpdate!;
    const ran = last.state === "succeeded" ? last.lastSuccessfulCommit : last.lastAttemptedCommit;
    if (pinned && ran !== pinned) {
        return { stack: name, outcome: "waiting", log: `${name}: waiting: pinned to ${short(pinned)}, but the last update ran ${short(ran)}` };
    }
    const failure =
        last.state === "failed"
            ? `the update of ${short(ran)} failed: ${firstLine(last.message) || "no message"}`
            : health && !health.ok
              ? `${short(ran)} is unhealthy: ${health.detail}`
              : undefined;
    const pinNote = pinned ? ` (pinned; it follows ${follows ?? "its branch"} again only when a person removes ${keys.pinnedCommit})` : "";

    if (!failure) {
        const checked = health ? health.detail : "no health URL: the update's success is the only check";
        if (lastGood === ran) {
            const ops = removeAnnotation(stack, keys.reported);
            return {
                stack: name,
                outcome: "healthy",
                log: `${name}: healthy at ${short(ran)}: ${checked}${pinNote}`,
                ...(ops.length ? { patch: guarded(stack, ops) } : {}),
            };
        }
        const ops = [setAnnotation(keys.lastGoodCommit, ran!), setAnnotation(keys.lastGoodAt, now.toISOString()), ...removeAnnotation(stack, keys.reported)];
        const message = `${ran} is the last good commit: updated and ${health ? "healthy" : "succeeded"} (${checked})`;
        return {
            stack: name,
            outcome: "recorded-good",
            log: `${name}: ${message}${pinNote}`,
            patch: guarded(stack, ops),
            event: { type: "Normal", reason: "RecordedGood", message },
        };
    }

    if (pinned) {
        const message = `pinned to ${short(pinned)}, which fails too: ${failure}; no older commit is known good, so a person must act`;
        return report(stack, keys, "failing", `${name}: ${message}`, { type: "Warning", reason: "PinnedCommitFailing", message });
    }
    if (!lastGood) {
        const message = `${failure}; no last good commit is recorded, so there is nothing to pin to`;
        return report(stack, keys, "failing", `${name}: ${message}`, { type: "Warning", reason: "NoLastGoodCommit", message });
    }
    if (lastGood === ran) {
        const message = `${failure}; this is the last good commit itself, so pinning cannot help`;
        return report(stack, keys, "failing", `${name}: ${message}`, { type: "Warning", reason: "LastGoodCommitFailing", message });
    }
    const reason = failure.slice(0, 1000);
    const ops: PatchOp[] = [
        { op: "add", path: "/spec/commit", value: lastGood },
        { op: "add", path: "/spec/branch", value: "" },
        setAnnotation(keys.pinnedCommit, lastGood),
        setAnnotation(keys.pinnedAt, now.toISOString()),
        setAnnotation(keys.pinnedReason, reason),
        ...removeAnnotation(stack, keys.reported),
    ];
    const message = `pinned to the last good commit ${lastGood}: ${reason}`;
    return { stack: name, outcome: "pinned", log: `${name}: ${message}`, patch: guarded(stack, ops), event: { type: "Warning", reason: "Pinned", message } };
}

function decideDriftCheck(stack: StackObject, context: DecideContext): Decision {
    const { keys, applying } = context;
    const name = stack.metadata.name;
    const of = stack.metadata.annotations?.[keys.driftOf] ?? applying?.metadata.name ?? name;
    const live = applying?.status?.lastUpdate?.lastSuccessfulCommit;
    if (live && stack.spec.commit !== live) {
        const ops: PatchOp[] = [
            { op: "add", path: "/spec/commit", value: live },
            { op: "add", path: "/spec/branch", value: "" },
        ];
        return { stack: name, outcome: "retargeted", log: `${name}: now checks ${short(live)}, the commit live on ${of}`, patch: guarded(stack, ops) };
    }
    const waiting = notSettled(stack);
    if (waiting) return { stack: name, outcome: "waiting", log: `${name}: waiting: ${waiting}` };

    const last = stack.status!.lastUpdate!;
    const commit = short(last.lastAttemptedCommit ?? stack.spec.commit);
    if (last.state === "succeeded") {
        const ops = removeAnnotation(stack, keys.reported);
        return { stack: name, outcome: "no-drift", log: `${of}: no drift at ${commit}`, ...(ops.length ? { patch: guarded(stack, ops) } : {}) };
    }
    const details = last.permalink ? ` (${last.permalink})` : "";
    if (changesProposed.test(last.message ?? "")) {
        const message = `drift: the refresh and preview of ${commit} found changes made outside Pulumi${details}`;
        return report(stack, keys, "drift", `drift: ${of}: the refresh and preview of ${commit} found changes made outside Pulumi${details}`, {
            type: "Warning",
            reason: "Drift",
            message,
            regarding: of,
        });
    }
    const message = `the drift check could not run: ${firstLine(last.message) || "no message"}${details}`;
    return report(stack, keys, "drift-check-failed", `${of}: ${message}`, { type: "Warning", reason: "DriftCheckFailed", message, regarding: of });
}

export function isDriftCheck(stack: StackObject): boolean {
    return stack.spec.preview === true;
}

/** The URL to probe for an object, when its verdict depends on one: an applying object whose last update succeeded. */
export function probeTarget(stack: StackObject, keys: AnnotationKeys): string | undefined {
    if (isDriftCheck(stack) || stack.status?.currentUpdate || stack.status?.lastUpdate?.state !== "succeeded") return undefined;
    return stack.metadata.annotations?.[keys.healthUrl] || undefined;
}

export function decide(stack: StackObject, context: DecideContext): Decision {
    return isDriftCheck(stack) ? decideDriftCheck(stack, context) : decideApplying(stack, context);
}
