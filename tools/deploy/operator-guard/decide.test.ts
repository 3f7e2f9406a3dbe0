import { annotationKeys } from "./annotations";
import { decide, probeTarget, type PatchOp, type StackObject } from "./decide";

const keys = annotationKeys("multicloud.example.com");
const now = new Date("2026-11-20T10:00:00Z");
const good = "1111111111111111111111111111111111111111";
const next = "2222222222222222222222222222222222222222";
const bad = "3333333333333333333333333333333333333333";
const healthy = { ok: true, detail: "HTTP 200 from https://partner.example/healthz" };
const unhealthy = { ok: false, detail: "HTTP 500 from https://partner.example/healthz" };

function applying(overrides: {
    annotations?: Record<string, string>;
    spec?: StackObject["spec"];
    lastUpdate?: Record<string, unknown>;
    currentUpdate?: Record<string, unknown>;
    generation?: number;
}): StackObject {
    return {
        metadata: {
            name: "partner-prod",
            namespace: "pulumi-operator",
            resourceVersion: "4711",
            generation: overrides.generation ?? 3,
            annotations: { [keys.followsBranch]: "main", [keys.healthUrl]: "https://partner.example/healthz", ...overrides.annotations },
        },
        spec: overrides.spec ?? { branch: "main" },
        status: {
            ...(overrides.lastUpdate === undefined ? {} : { lastUpdate: { name: "partner-prod-update-1", generation: 3, ...overrides.lastUpdate } }),
            ...(overrides.currentUpdate ? { currentUpdate: overrides.currentUpdate } : {}),
        },
    };
}

/** RFC 6902 over a copy, as the API server applies the guard's patch (a failed `test` throws). */
function applyPatch<T>(target: T, ops: PatchOp[]): T {
    const doc = JSON.parse(JSON.stringify(target));
    for (const op of ops) {
        const parts = op.path
            .split("/")
            .slice(1)
            .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
        const last = parts.pop()!;
        const parent = parts.reduce((o, k) => o[k], doc);
        if (op.op === "test" && parent[last] !== op.value) throw new Error(`test failed at ${op.path}`);
        if (op.op === "add") parent[last] = op.value;
        if (op.op === "remove") {
            if (!(last in parent)) throw new Error(`nothing to remove at ${op.path}`);
            delete parent[last];
        }
    }
    return doc;
}

describe("an applying object", () => {
    test("updated and healthy at a new commit: records it as the last good commit, with the time", () => {
        const stack = applying({
            annotations: { [keys.lastGoodCommit]: good },
            lastUpdate: { state: "succeeded", lastSuccessfulCommit: next, lastAttemptedCommit: next },
        });
        const d = decide(stack, { keys, now, health: healthy });
        expect(d.outcome).toBe("recorded-good");
        const after = applyPatch(stack, d.patch!);
        expect(after.metadata.annotations![keys.lastGoodCommit]).toBe(next);
        expect(after.metadata.annotations![keys.lastGoodAt]).toBe("2026-11-20T10:00:00.000Z");
        expect(after.spec).toEqual({ branch: "main" });
        expect(d.event).toMatchObject({ type: "Normal", reason: "RecordedGood" });
        expect(d.patch![0]).toEqual({ op: "test", path: "/metadata/resourceVersion", value: "4711" });
    });

    test("healthy at the commit already recorded: nothing to write", () => {
        const d = decide(applying({ annotations: { [keys.lastGoodCommit]: good }, lastUpdate: { state: "succeeded", lastSuccessfulCommit: good } }), {
            keys,
            now,
            health: healthy,
        });
        expect(d).toMatchObject({ outcome: "healthy" });
        expect(d.patch).toBeUndefined();
        expect(d.event).toBeUndefined();
    });

    test("a failed update: pins to the last good commit, empties the branch and records why", () => {
        const stack = applying({
            annotations: { [keys.lastGoodCommit]: good },
            lastUpdate: { state: "failed", lastAttemptedCommit: bad, lastSuccessfulCommit: good, message: "error: update failed\nmore detail" },
        });
        const d = decide(stack, { keys, now });
        expect(d.outcome).toBe("pinned");
        const after = applyPatch(stack, d.patch!);
        expect(after.spec).toEqual({ branch: "", commit: good });
        expect(after.metadata.annotations![keys.pinnedCommit]).toBe(good);
        expect(after.metadata.annotations![keys.pinnedAt]).toBe(now.toISOString());
        expect(after.metadata.annotations![keys.pinnedReason]).toBe(`the update of ${bad.slice(0, 12)} failed: error: update failed`);
        expect(d.event).toEqual({
            type: "Warning",
            reason: "Pinned",
            message: `pinned to the last good commit ${good}: the update of ${bad.slice(0, 12)} failed: error: update failed`,
        });
    });

    test("a successful update whose workload answers unhealthy: pins too", () => {
        const stack = applying({ annotations: { [keys.lastGoodCommit]: good }, lastUpdate: { state: "succeeded", lastSuccessfulCommit: bad } });
        const d = decide(stack, { keys, now, health: unhealthy });
        expect(d.outcome).toBe("pinned");
        expect(applyPatch(stack, d.patch!).spec.commit).toBe(good);
        expect(d.event!.message).toContain("is unhealthy: HTTP 500 from https://partner.example/healthz");
    });

    test("no last good commit: reports once, pins nothing", () => {
        const stack = applying({ lastUpdate: { state: "failed", lastAttemptedCommit: bad, message: "boom" } });
        const d = decide(stack, { keys, now });
        expect(d.outcome).toBe("failing");
        expect(d.event).toMatchObject({ type: "Warning", reason: "NoLastGoodCommit" });
        const after = applyPatch(stack, d.patch!);
        expect(after.spec).toEqual({ branch: "main" });
        expect(after.metadata.annotations![keys.pinnedCommit]).toBeUndefined();

        const again = decide(after, { keys, now });
        expect(again.outcome).toBe("failing");
        expect(again.event).toBeUndefined();
        expect(again.patch).toBeUndefined();
    });

    test("failing at the last good commit itself: reports, pinning cannot help", () => {
        const d = decide(applying({ annotations: { [keys.lastGoodCommit]: good }, lastUpdate: { state: "succeeded", lastSuccessfulCommit: good } }), {
            keys,
            now,
            health: unhealthy,
        });
        expect(d.outcome).toBe("failing");
        expect(d.event!.reason).toBe("LastGoodCommitFailing");
        expect(d.patch!.some((op) => op.path.startsWith("/spec"))).toBe(false);
    });

    describe("already pinned", () => {
        const pinned = { [keys.lastGoodCommit]: good, [keys.pinnedCommit]: good, [keys.pinnedAt]: "2026-11-20T09:00:00.000Z", [keys.pinnedReason]: "boom" };

        test("verifies the pinned commit and stays pinned while it is healthy", () => {
            const d = decide(
                applying({ annotations: pinned, spec: { branch: "", commit: good }, lastUpdate: { state: "succeeded", lastSuccessfulCommit: good } }),
                { keys, now, health: healthy },
            );
            expect(d.outcome).toBe("healthy");
            expect(d.log).toContain(`removes ${keys.pinnedCommit}`);
            expect(d.patch).toBeUndefined();
        });

        test("reports when the pinned commit fails too, and changes nothing else", () => {
            const stack = applying({ annotations: pinned, spec: { branch: "", commit: good }, lastUpdate: { state: "succeeded", lastSuccessfulCommit: good } });
            const d = decide(stack, { keys, now, health: unhealthy });
            expect(d.outcome).toBe("failing");
            expect(d.event!.reason).toBe("PinnedCommitFailing");
            expect(applyPatch(stack, d.patch!).spec).toEqual({ branch: "", commit: good });
        });

        test("waits while the Operator has not yet run the pinned spec", () => {
            const d = decide(
                applying({ annotations: pinned, spec: { branch: "", commit: good }, generation: 4, lastUpdate: { state: "failed", lastAttemptedCommit: bad } }),
                { keys, now },
            );
            expect(d.outcome).toBe("waiting");
            expect(d.patch).toBeUndefined();
        });

        test("follows its branch again once a person has removed the pin annotation", () => {
            const { [keys.pinnedCommit]: _removed, ...unpinned } = pinned;
            const stack = applying({
                annotations: unpinned,
                spec: { branch: "", commit: good },
                lastUpdate: { state: "succeeded", lastSuccessfulCommit: good },
            });
            const d = decide(stack, { keys, now, health: healthy });
            expect(d.outcome).toBe("unpinned");
            const after = applyPatch(stack, d.patch!);
            expect(after.spec).toEqual({ branch: "main" });
            expect(after.metadata.annotations![keys.pinnedAt]).toBeUndefined();
            expect(after.metadata.annotations![keys.pinnedReason]).toBeUndefined();
            expect(after.metadata.annotations![keys.lastGoodCommit]).toBe(good);
        });
    });

    test("waits while an update runs or before the first one finishes", () => {
        expect(decide(applying({ lastUpdate: { state: "succeeded", lastSuccessfulCommit: good }, currentUpdate: { name: "u2" } }), { keys, now }).outcome).toBe(
            "waiting",
        );
        expect(decide(applying({}), { keys, now }).outcome).toBe("waiting");
    });

    test("is probed only when its last update succeeded and nothing runs", () => {
        expect(probeTarget(applying({ lastUpdate: { state: "succeeded" } }), keys)).toBe("https://partner.example/healthz");
        expect(probeTarget(applying({ lastUpdate: { state: "failed" } }), keys)).toBeUndefined();
        expect(probeTarget(applying({ lastUpdate: { state: "succeeded" }, currentUpdate: { name: "u2" } }), keys)).toBeUndefined();
    });

    test("without a health URL the update's success alone makes a commit good, and the log says so", () => {
        const stack = applying({ lastUpdate: { state: "succeeded", lastSuccessfulCommit: next } });
        delete stack.metadata.annotations![keys.healthUrl];
        expect(probeTarget(stack, keys)).toBeUndefined();
        const d = decide(stack, { keys, now });
        expect(d.outcome).toBe("recorded-good");
        expect(d.log).toContain("no health URL");
    });
});

describe("a drift-check object", () => {
    const live = applying({ annotations: { [keys.lastGoodCommit]: good }, lastUpdate: { state: "succeeded", lastSuccessfulCommit: good } });
    const check = (spec: StackObject["spec"], lastUpdate?: Record<string, unknown>, annotations: Record<string, string> = {}): StackObject => ({
        metadata: {
            name: "partner-prod-drift",
            resourceVersion: "12",
            generation: 2,
            annotations: { [keys.driftOf]: "partner-prod", [keys.followsBranch]: "main", ...annotations },
        },
        spec: { preview: true, ...spec },
        status: lastUpdate ? { lastUpdate: { name: "partner-prod-drift-update-7", type: "preview", generation: 2, ...lastUpdate } } : {},
    });

    test("is pointed at the commit live on its applying object", () => {
        const stack = check({ branch: "main" });
        const d = decide(stack, { keys, now, applying: live });
        expect(d.outcome).toBe("retargeted");
        expect(applyPatch(stack, d.patch!).spec).toEqual({ preview: true, branch: "", commit: good });
    });

    test("a preview with changes is drift: a Warning on the applying object and a log line naming the stack", () => {
        const stack = check(
            { branch: "", commit: good },
            { state: "failed", lastAttemptedCommit: good, message: "error: no changes were expected but changes were proposed" },
        );
        const d = decide(stack, { keys, now, applying: live });
        expect(d.outcome).toBe("drift");
        expect(d.log).toMatch(/^drift: partner-prod: /);
        expect(d.event).toMatchObject({ type: "Warning", reason: "Drift", regarding: "partner-prod" });
        expect(decide(applyPatch(stack, d.patch!), { keys, now, applying: live }).event).toBeUndefined();
    });

    test("a clean preview is no drift; a preview that failed otherwise is a failed check, not drift", () => {
        expect(decide(check({ branch: "", commit: good }, { state: "succeeded", lastAttemptedCommit: good }), { keys, now, applying: live }).outcome).toBe(
            "no-drift",
        );
        const failed = decide(check({ branch: "", commit: good }, { state: "failed", lastAttemptedCommit: good, message: "error: getting stack: 401" }), {
            keys,
            now,
            applying: live,
        });
        expect(failed.outcome).toBe("drift-check-failed");
        expect(failed.log).not.toMatch(/^drift:/);
        expect(failed.event).toMatchObject({ reason: "DriftCheckFailed", regarding: "partner-prod" });
    });
});
