import { policySession, usePolicyPack, type ResourceSpec } from "../../test/helpers/policy";
import devConfig from "../config/dev.json";
import type { PolicyPackConfig } from "pulumi-offline-plan";
import type { CapturedResource } from "pulumi-offline-plan/runtime";

const pack = usePolicyPack();
/** The dev stacks' policy configuration; a JSON import types its enforcement levels as plain strings. */
const dev = devConfig as PolicyPackConfig;
const deployment = (strategy?: Record<string, unknown>) => [
    {
        type: "kubernetes:apps/v1:Deployment",
        inputs: { metadata: { name: "api" }, spec: { ...(strategy ? { strategy } : {}), template: { spec: { containers: [] } } } },
    },
];

test("k8s-no-recreate-strategy", async () => {
    expect(await pack.policiesHit(deployment({ type: "Recreate" }))).toContain("k8s-no-recreate-strategy");
    expect(await pack.policiesHit(deployment())).not.toContain("k8s-no-recreate-strategy");
});

test('k8s-rolling-update-keeps-capacity: the default 25% maxUnavailable loses capacity; 0 (or "0%") keeps it', async () => {
    const p = "k8s-rolling-update-keeps-capacity";
    expect(await pack.policiesHit(deployment())).toContain(p);
    expect(await pack.policiesHit(deployment({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } }))).toContain(p);
    expect(await pack.policiesHit(deployment({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: "0%", maxSurge: 1 } }))).not.toContain(p);
    expect(await pack.policiesHit(deployment({ rollingUpdate: { maxUnavailable: 0 } }))).not.toContain(p);
    const daemonSet = [{ type: "kubernetes:apps/v1:DaemonSet", inputs: { spec: { template: { spec: { containers: [] } } } } }];
    expect(await pack.policiesHit(daemonSet)).toContain(p);
});

test("dev holds it as prod does: config/dev.json leaves it mandatory", async () => {
    const v = await pack.judge(deployment(), { policyConfig: dev });
    expect(v.find((x) => x.policy === "k8s-rolling-update-keeps-capacity")?.enforcementLevel).toBe("mandatory");
});

/** What a policy reported, after the description the engine puts first. */
const reported = (message: string) => message.slice(message.indexOf("\n") + 1);
const messagesOf = async (policy: string, resources: ResourceSpec[]) =>
    (await pack.judge(resources)).filter((v) => v.policy === policy).map((v) => reported(v.message));
const workload = (kind: string, metadata: Record<string, unknown>): ResourceSpec => ({
    type: `kubernetes:apps/v1:${kind}`,
    inputs: { metadata, spec: { template: { spec: { containers: [] } } } },
});

describe("k8s-rollout-awaited", () => {
    const p = "k8s-rollout-awaited";

    test.each(["Deployment", "StatefulSet", "DaemonSet"])(
        'a %s with pulumi.com/skipAwait: "true" is refused: the update would end before its rollout',
        async (kind) => {
            const skipping = workload(kind, { name: "app", annotations: { "pulumi.com/skipAwait": "true" } });
            expect(await messagesOf(p, [skipping])).toEqual([`The ${kind} sets pulumi.com/skipAwait: "true": the update ends before its rollout does.`]);
        },
    );

    test('without the annotation, or with any value but "true", the provider waits: compliant', async () => {
        expect(await messagesOf(p, [workload("Deployment", { name: "app" })])).toEqual([]);
        expect(await messagesOf(p, [workload("StatefulSet", { name: "app", annotations: { "pulumi.com/skipAwait": "false" } })])).toEqual([]);
    });
});

describe("k8s-statefulset-foreground-deletion", () => {
    const p = "k8s-statefulset-foreground-deletion";
    const set = (metadata: Record<string, unknown>) => workload("StatefulSet", metadata);
    const propagation = (value: string) => ({ "pulumi.com/deletionPropagationPolicy": value });
    /** As the provider's Check leaves an object it named. */
    const autonamed = { name: "members-1a2b3c4d", annotations: { "pulumi.com/autonamed": "true" } };

    test("orphan is refused, named or not: the old pods would keep running", async () => {
        const message =
            'The StatefulSet sets pulumi.com/deletionPropagationPolicy: "orphan": once it is deleted or replaced, its pods keep running, owned by nothing.';
        expect(await messagesOf(p, [set({ name: "members", annotations: propagation("orphan") })])).toEqual([message]);
        expect(await messagesOf(p, [set({ ...autonamed, annotations: { ...autonamed.annotations, ...propagation("orphan") } })])).toEqual([message]);
    });

    test("background is refused on a StatefulSet named in the program, read as the provider reads it (any case)", async () => {
        expect(await messagesOf(p, [set({ name: "members", annotations: propagation("Background") })])).toEqual([
            'The StatefulSet sets pulumi.com/deletionPropagationPolicy: "Background" and is replaced by deleting it first: its new pods start while the old ones are still stopping.',
        ]);
    });

    test("background is refused where deleteBeforeReplace deletes it first, and left alone where the new one is created first", async () => {
        const inputs = {
            metadata: { ...autonamed, annotations: { ...autonamed.annotations, ...propagation("background") } },
            spec: { template: { spec: { containers: [] } } },
        };
        const judged = async (deleteBeforeReplace: boolean) => {
            const session = await policySession();
            try {
                const urn = "urn:pulumi:test-prod::multicloud::kubernetes:apps/v1:StatefulSet::members";
                const options = {
                    protect: false,
                    retainOnDelete: false,
                    deleteBeforeReplace,
                    ignoreChanges: [],
                    replaceOnChanges: [],
                    additionalSecretOutputs: [],
                    aliases: [],
                    dependsOn: [],
                };
                const resource: CapturedResource = { urn, type: "kubernetes:apps/v1:StatefulSet", name: "members", custom: true, read: false, options, inputs };
                return (await session.judge("multicloud", "test-prod", {}, [], [resource])).filter((v) => v.policy === p).map((v) => reported(v.message));
            } finally {
                await session.stop();
            }
        };
        expect(await judged(true)).toEqual([
            'The StatefulSet sets pulumi.com/deletionPropagationPolicy: "background" and is replaced by deleting it first: its new pods start while the old ones are still stopping.',
        ]);
        expect(await judged(false)).toEqual([]);
    });

    test("left out (Pulumi's default) or foreground: compliant", async () => {
        expect(await messagesOf(p, [set({ name: "members" })])).toEqual([]);
        expect(await messagesOf(p, [set({ name: "members", annotations: propagation("foreground") })])).toEqual([]);
    });
});
