import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { useMockRuntime, type TestResource } from "../../test/helpers/pulumi";
import { usePolicyPack } from "../../test/helpers/policy";
import { changesAfterRefresh } from "../../test/helpers/refresh";
import { doorsInPreview } from "../../tools/deploy/preview-doors";
import { diffPlans } from "pulumi-offline-plan";
import type { Plan } from "pulumi-offline-plan";
import { registeredOptions } from "../../test/conformance/registered-options";
import { probeRollout } from "../../test/conformance/rollout-probe";
import { ConverterGroup, type ConverterGroupArgs } from "./converter-group";

const run = useMockRuntime();
const pack = usePolicyPack();

/** Sets one annotation on the group's StatefulSet, as a program's transformation through the kit could. */
const annotateSet =
    (key: string, value: string): pulumi.ResourceTransformation =>
    ({ type, props, opts }) =>
        type === "kubernetes:apps/v1:StatefulSet"
            ? { props: { ...props, metadata: { ...props.metadata, annotations: { ...props.metadata?.annotations, [key]: value } } }, opts }
            : undefined;

/** What the pack reports of one policy for the resources registered under a name, as the CLI would show it. */
async function reportedBy(policy: string, name: string): Promise<string[]> {
    const resources = (await run.all()).filter((r) => r.name.startsWith(name));
    expect(resources.map((r) => r.type)).toContain("kubernetes:apps/v1:StatefulSet");
    const violations = await pack.judge(resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs })));
    return violations.filter((v) => v.policy === policy).map((v) => v.message.split("\n").pop()!);
}

const args = (changes: Partial<ConverterGroupArgs> = {}): ConverterGroupArgs => ({
    environment: "dev",
    replicas: 3,
    image: "registry.example.com/cdc@sha256:" + "b".repeat(64),
    consumerGroup: "analytics-cdc",
    sourceEndpoint: "orders-db.internal:5432",
    targetEndpoint: "events.internal:9092",
    credentials: pulumi.secret("user:password"),
    metricsPort: 9404,
    ...changes,
});

test("one StatefulSet: ordinal is the member number, replicas the group size", async () => {
    new ConverterGroup("g1", args());
    const set = await run.one("kubernetes:apps/v1:StatefulSet", "g1");
    expect(set.plain.spec.replicas).toBe(3);
    const env = Object.fromEntries(set.plain.spec.template.spec.containers[0].env.map((e: any) => [e.name, e]));
    expect(env.MEMBER_ID.valueFrom.fieldRef.fieldPath).toBe("metadata.labels['apps.kubernetes.io/pod-index']");
    expect(env.GROUP_SIZE.value).toBe("3");
    expect(env.SOURCE_ENDPOINT.value).toBe("orders-db.internal:5432");
    expect(env.CREDENTIALS.valueFrom.secretKeyRef.key).toBe("credentials");
    expect(set.plain.spec.serviceName).toBe("g1");
});

test("metrics port with Prometheus scrape annotations", async () => {
    new ConverterGroup("g2", args());
    const set = await run.one("kubernetes:apps/v1:StatefulSet", "g2");
    expect(set.plain.spec.template.metadata.annotations).toEqual({
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "9404",
        "prometheus.io/path": "/metrics",
    });
    expect(set.plain.spec.template.spec.containers[0].ports).toEqual([{ name: "metrics", containerPort: 9404, protocol: "TCP" }]);
});

test("credentials travel only as a secret; protected in prod", async () => {
    new ConverterGroup("g3", args({ environment: "prod" }));
    const secret = await run.one("kubernetes:core/v1:Secret", "g3");
    expect(secret.hasSecretInput).toBe(true);
    expect(secret.options.protect).toBe(true);
});

test("namespace denies by default; egress only to DNS and the endpoints' ports", async () => {
    new ConverterGroup("g4", args());
    const policies = await run.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy", "g4");
    expect(policies.map((p) => p.plain.metadata.name).sort((a, b) => a.localeCompare(b))).toEqual(["default-deny", "g4-allow"]);
    const allow = policies.find((p) => p.name === "g4-allow")!;
    expect(allow.plain.spec.egress[1].ports).toEqual([
        { protocol: "TCP", port: 5432 },
        { protocol: "TCP", port: 9092 },
    ]);
    expect(allow.plain.spec.ingress[0].ports).toEqual([{ protocol: "TCP", port: 9404 }]);
});

describe.each(["dev", "prod"] as const)("rollout in %s", (environment) => {
    test("`pulumi up` waits for the StatefulSet's rollout, for at most 20 minutes; its update strategy is unchanged", async () => {
        const options = registeredOptions();
        new ConverterGroup(`wait-${environment}`, args({ environment }), { transformations: options.transformations });
        const set = await run.one("kubernetes:apps/v1:StatefulSet", `wait-${environment}`);
        expect(set.plain.metadata.annotations?.["pulumi.com/skipAwait"]).toBeUndefined();
        expect(options.of("kubernetes:apps/v1:StatefulSet", `wait-${environment}-set`).customTimeouts).toEqual({ create: "20m", update: "20m" });
        expect(set.plain.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } });
    });

    test("the rollout target is the StatefulSet's namespace and name", async () => {
        const group = new ConverterGroup(`tgt-${environment}`, args({ environment }));
        const set = await run.one("kubernetes:apps/v1:StatefulSet", `tgt-${environment}`);
        const { target, sources } = await probeRollout(run, `tgt-${environment}`, group.rollout);
        expect(target).toEqual({ kind: "kubernetes-statefulset", namespace: `tgt-${environment}`, name: `tgt-${environment}` });
        expect(sources).toEqual([set.urn]);
    });
});

test("a transformation that would let `pulumi up` return before the rollout is refused by the pack at preview", async () => {
    new ConverterGroup("skip", args(), { transformations: [annotateSet("pulumi.com/skipAwait", "true")] });
    expect(await reportedBy("k8s-rollout-awaited", "skip")).toEqual([
        'The StatefulSet sets pulumi.com/skipAwait: "true": the update ends before its rollout does.',
    ]);
});

test.each([
    [{ replicas: 0 }, "ConverterGroup: `replicas` must be a whole number >= 1, got 0."],
    [{ metricsPort: 80 }, "ConverterGroup: `metricsPort` must be a port from 1024 to 65535 (members run as non-root), got 80."],
    [{ consumerGroup: "bad group" }, 'ConverterGroup: `consumerGroup` must be letters, digits, ".", "_" or "-", got "bad group".'],
    [{ sourceEndpoint: "orders-db" }, 'ConverterGroup: `sourceEndpoint` must be host:port (e.g. "db.internal:5432"), got "orders-db".'],
])("rejects %j", (changes, message) => {
    expect(() => new ConverterGroup("bad", args(changes))).toThrow(message);
});

describe("each member's configuration file", () => {
    const files = async (name: string, changes: Partial<ConverterGroupArgs> = {}) => {
        new ConverterGroup(name, args(changes));
        const set = await run.one("kubernetes:apps/v1:StatefulSet", name);
        const config = await run.one("kubernetes:core/v1:ConfigMap", name);
        return { set, config, member: (ordinal: number) => parse(config.plain.data[`member-${ordinal}.yaml`]) };
    };

    test("one file per member in the converter's shape: group name, member number (from 1) and size, limits and flow control, safe defaults", async () => {
        const { config, member } = await files("cfg");
        expect(Object.keys(config.plain.data).sort()).toEqual(["member-0.yaml", "member-1.yaml", "member-2.yaml"]);
        expect(member(0)).toEqual({
            group: {
                name: "analytics-cdc",
                membership: { memberNumber: 1, totalMembers: 3 },
                limit: { bytes: "10mb", actions: 1000, timeout: "1m", concurrency: 2 },
            },
            dcp: { sourceConfig: { flowControlBuffer: "16mb" } },
        });
        expect(member(2).group.membership).toEqual({ memberNumber: 3, totalMembers: 3 });
    });

    test("each member reads its own file: the ConfigMap is mounted and CONVERTER_CONFIG names the file of the pod's ordinal", async () => {
        const { set, config } = await files("mnt");
        const pod = set.plain.spec.template.spec;
        const container = pod.containers[0];
        const env = container.env.map((e: any) => e.name);
        expect(env.indexOf("MEMBER_ID")).toBeLessThan(env.indexOf("CONVERTER_CONFIG"));
        expect(container.env.find((e: any) => e.name === "CONVERTER_CONFIG").value).toBe("/etc/converter/member-$(MEMBER_ID).yaml");
        expect(container.volumeMounts).toEqual([{ name: "member-config", mountPath: "/etc/converter", readOnly: true }]);
        expect(pod.volumes).toEqual([{ name: "member-config", configMap: { name: config.plain.metadata.name } }]);
    });

    test("the file is immutable and named by its content, so a member that restarts mid-change reads the one it started with", async () => {
        const { config: before } = await files("imm-a");
        const { config: after } = await files("imm-b", { limits: { actions: 500 } });
        expect(before.plain.immutable).toBe(true);
        expect(before.plain.metadata.name).toMatch(/^imm-a-[0-9a-f]{10}$/);
        expect(after.plain.metadata.name.slice(-10)).not.toBe(before.plain.metadata.name.slice(-10));
    });

    test("limits come from the arguments, each unset one at its default", async () => {
        const { member } = await files("lim", { limits: { bytes: "5mb", concurrency: 4, flowControlBuffer: "64mb" } });
        expect(member(1).group.limit).toEqual({ bytes: "5mb", actions: 1000, timeout: "1m", concurrency: 4 });
        expect(member(1).dcp.sourceConfig.flowControlBuffer).toBe("64mb");
    });

    test("protocol settings and other variables reach every member", async () => {
        const { set } = await files("vars", { variables: { PROTOCOL_EVENT_FORMAT_USE: "avro-v2" } });
        expect(set.plain.spec.template.spec.containers[0].env).toContainEqual({ name: "PROTOCOL_EVENT_FORMAT_USE", value: "avro-v2" });
    });

    test.each([
        [{ limits: { bytes: "10 MB" } }, 'ConverterGroup: `limits.bytes` must be a size such as "10mb" (b, kb, mb or gb), got "10 MB".'],
        [{ limits: { timeout: "soon" } }, 'ConverterGroup: `limits.timeout` must be a duration such as "1m" (ms, s, m or h), got "soon".'],
        [{ limits: { concurrency: 0 } }, "ConverterGroup: `limits.concurrency` must be a whole number >= 1, got 0."],
        [
            { lagAlerts: { metrics: { endToEnd: "end-to-end" } } },
            'ConverterGroup: `lagAlerts.metrics.endToEnd` must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), got "end-to-end".',
        ],
        [
            { lagAlerts: { thresholdSeconds: { queueWait: 0 } } },
            "ConverterGroup: `lagAlerts.thresholdSeconds.queueWait` must be a number of seconds above 0, got 0.",
        ],
    ] as [Partial<ConverterGroupArgs>, string][])("rejects %j", (changes, message) => {
        expect(() => new ConverterGroup("badcfg", args(changes))).toThrow(message);
    });
});

describe("members never disagree on the group's size", () => {
    interface Member {
        ordinal: number;
        group: string;
        totalMembers: number;
    }
    type Built = { set: TestResource; configMaps: TestResource[] };

    /** What the member with an ordinal believes: the file its pod template mounts. */
    const memberOf = ({ set, configMaps }: Built, ordinal: number): Member => {
        const volume = set.plain.spec.template.spec.volumes.find((v: any) => v.configMap);
        const config = configMaps.find((c) => c.plain.metadata.name === volume.configMap.name)!;
        const file = parse(config.plain.data[`member-${ordinal}.yaml`]);
        return { ordinal, group: file.group.name, totalMembers: file.group.membership.totalMembers };
    };
    const range = (n: number) => Array.from({ length: n }, (_, i) => i);

    /**
     * The members running at each moment while a change reaches the cluster, as the
     * engine and the StatefulSet controller apply it: a change of a path in
     * `replaceOnChanges` replaces the StatefulSet (deleted first with
     * `deleteBeforeReplace`, else created first); any other change is an update in
     * place, which scales with the new template at once (Parallel) and then rolls the
     * remaining old members from the highest ordinal down, one at a time.
     */
    function momentsOf(before: Built, after: Built): Member[][] {
        const [from, to] = [before.set.plain.spec.replicas, after.set.plain.spec.replicas];
        const changed = changesAfterRefresh({ ...before.set, options: { ...before.set.options, ignoreChanges: [] } }, after.set.plain);
        const replaced = changed.some((p) => after.set.options.replaceOnChanges.some((r) => p === r || p.startsWith(`${r}.`)));
        const old = range(from).map((i) => memberOf(before, i));
        const fresh = range(to).map((i) => memberOf(after, i));
        const moments: Member[][] = [old];
        if (replaced && after.set.options.deleteBeforeReplace) {
            for (let i = 1; i <= from; i++) moments.push(old.slice(i));
            for (let i = 1; i <= to; i++) moments.push(fresh.slice(0, i));
        } else if (replaced) {
            for (let i = 1; i <= to; i++) moments.push([...old, ...fresh.slice(0, i)]);
            for (let i = 1; i <= from; i++) moments.push([...old.slice(i), ...fresh]);
        } else {
            let running = [...old.filter((m) => m.ordinal < to), ...fresh.filter((m) => m.ordinal >= from)];
            moments.push(running);
            for (let ordinal = Math.min(from, to) - 1; ordinal >= 0; ordinal--) {
                running = running.filter((m) => m.ordinal !== ordinal);
                moments.push(running);
                running = [...running, fresh[ordinal]];
                moments.push(running);
            }
        }
        return moments;
    }
    const disagreements = (moments: Member[][]) => moments.filter((members) => new Set(members.map((m) => `${m.group}/${m.totalMembers}`)).size > 1);

    /** The group as the base branch and the change build it: same name, so same URNs. */
    async function change(name: string, base: Partial<ConverterGroupArgs>, head: Partial<ConverterGroupArgs>): Promise<[Built, Built]> {
        const build = async (changes: Partial<ConverterGroupArgs>): Promise<Built> => {
            run.reset();
            new ConverterGroup(name, args(changes));
            return { set: await run.one("kubernetes:apps/v1:StatefulSet", name), configMaps: await run.ofType("kubernetes:core/v1:ConfigMap", name) };
        };
        return [await build(base), await build(head)];
    }

    test("3 to 4 members: the group is replaced, every old member stopped before any new one starts, so at no moment do two sizes run", async () => {
        const [before, after] = await change("grow", { replicas: 3 }, { replicas: 4 });
        expect(after.set.options).toMatchObject({ replaceOnChanges: ["spec.selector", "spec.replicas"], deleteBeforeReplace: true });
        expect(after.set.plain.metadata.annotations["pulumi.com/deletionPropagationPolicy"]).toBe("foreground");
        const moments = momentsOf(before, after);
        expect(moments.some((m) => m.length === 0)).toBe(true);
        expect(disagreements(moments)).toEqual([]);
        expect(moments[moments.length - 1].map((m) => m.totalMembers)).toEqual([4, 4, 4, 4]);
    });

    test("4 to 2 members: the same, shrinking", async () => {
        const [before, after] = await change("shrink", { replicas: 4 }, { replicas: 2 });
        expect(disagreements(momentsOf(before, after))).toEqual([]);
    });

    test("rolled one pod at a time, as a plain StatefulSet update would, members of two sizes would consume together", async () => {
        const [before, after] = await change("naive", { replicas: 3 }, { replicas: 4 });
        const rolled = { ...after, set: { ...after.set, options: { ...after.set.options, replaceOnChanges: [], deleteBeforeReplace: false } } };
        expect(disagreements(momentsOf(before, rolled)).length).toBeGreaterThan(0);
    });

    test("a new image keeps the membership: it rolls one member at a time, each on the same size", async () => {
        const [before, after] = await change("image", {}, { image: "registry.example.com/cdc@sha256:" + "c".repeat(64) });
        expect(after.set.plain.spec.selector).toEqual(before.set.plain.spec.selector);
        const moments = momentsOf(before, after);
        expect(moments.every((m) => m.length >= 2)).toBe(true);
        expect(disagreements(moments)).toEqual([]);
    });

    test("a transformation's deletion policy that would leave old members running beside new ones is refused by the pack at preview", async () => {
        new ConverterGroup("orphan", args(), { transformations: [annotateSet("pulumi.com/deletionPropagationPolicy", "orphan")] });
        new ConverterGroup("background", args(), { transformations: [annotateSet("pulumi.com/deletionPropagationPolicy", "background")] });
        new ConverterGroup("foreground", args());
        expect(await reportedBy("k8s-statefulset-foreground-deletion", "orphan")).toEqual([
            'The StatefulSet sets pulumi.com/deletionPropagationPolicy: "orphan": once it is deleted or replaced, its pods keep running, owned by nothing.',
        ]);
        expect(await reportedBy("k8s-statefulset-foreground-deletion", "background")).toEqual([
            'The StatefulSet sets pulumi.com/deletionPropagationPolicy: "background" and is replaced by deleting it first: its new pods start while the old ones are still stopping.',
        ]);
        expect(await reportedBy("k8s-statefulset-foreground-deletion", "foreground")).toEqual([]);
    });
});

describe("renaming the consumer group", () => {
    const planOf = (resources: TestResource[]): Pick<Plan, "resources"> => ({
        resources: resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent,
            custom: r.custom,
            protect: r.options.protect,
            aliases: [],
            inputs: r.plain,
        })),
    });

    test("is a URN change of the group's ConfigMap: the plan's diff and the deploy's preview check both call it a one-way door", async () => {
        run.reset();
        new ConverterGroup("rename", args({ consumerGroup: "analytics-cdc" }));
        const base = await run.all();
        run.reset();
        new ConverterGroup("rename", args({ consumerGroup: "analytics-cdc-v2" }));
        const head = await run.all();

        const doors = diffPlans(planOf(base), planOf(head)).oneWayDoors;
        expect(doors).toEqual([
            expect.objectContaining({
                kind: "rename",
                type: "kubernetes:core/v1:ConfigMap",
                name: "rename-group-analytics-cdc-v2",
                oldName: "rename-group-analytics-cdc",
                allowed: false,
            }),
        ]);
        // As `pulumi preview --json` shows it: the old ConfigMap deleted, the new one created.
        const configMap = (r: TestResource[]) => r.find((x) => x.type === "kubernetes:core/v1:ConfigMap")!;
        const previewDoors = doorsInPreview([
            { op: "create", urn: configMap(head).urn, newState: { type: "kubernetes:core/v1:ConfigMap" } },
            { op: "delete", urn: configMap(base).urn, oldState: { type: "kubernetes:core/v1:ConfigMap" } },
        ]);
        expect(previewDoors).toEqual([expect.objectContaining({ kind: "rename", urn: configMap(head).urn, oldUrn: configMap(base).urn })]);
    });

    test("replaces the whole group too: members of the old and the new name never consume side by side", async () => {
        run.reset();
        new ConverterGroup("rename2", args({ consumerGroup: "analytics-cdc" }));
        const before = await run.one("kubernetes:apps/v1:StatefulSet", "rename2");
        run.reset();
        new ConverterGroup("rename2", args({ consumerGroup: "analytics-cdc-v2" }));
        const after = await run.one("kubernetes:apps/v1:StatefulSet", "rename2");
        expect(after.plain.spec.selector).not.toEqual(before.plain.spec.selector);
        expect(after.options.replaceOnChanges).toContain("spec.selector");
    });
});

describe("alerts on the three lag measures", () => {
    test("a PrometheusRule beside the group, one rule per measure on its configured metric and threshold, with the group's labels", async () => {
        new ConverterGroup(
            "alerts",
            args({
                lagAlerts: { metrics: { endToEnd: "orders_e2e_seconds" }, thresholdSeconds: { queueWait: 120 } },
                alertRuleLabels: { release: "prometheus" },
            }),
        );
        const rule = await run.one("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "alerts");
        expect(rule.plain.metadata).toMatchObject({ name: "alerts-lag", namespace: "alerts" });
        expect(rule.plain.metadata.labels).toMatchObject({ "app.kubernetes.io/name": "alerts", release: "prometheus" });
        const rules = rule.plain.spec.groups[0].rules;
        expect(rules.map((r: any) => [r.alert, r.expr, r.for, r.labels.severity])).toEqual([
            ["ConverterQueueWaitHigh", 'max(cdc_converter_queue_wait_seconds{namespace="alerts"}) > 120', "10m", "warning"],
            ["ConverterConversionSlow", 'max(cdc_converter_conversion_seconds{namespace="alerts"}) > 10', "10m", "warning"],
            ["ConverterEndToEndLagHigh", 'max(orders_e2e_seconds{namespace="alerts"}) > 300', "10m", "critical"],
        ]);
    });
});

test("members spread over the zones, enforced with minDomains (2 unless told)", async () => {
    new ConverterGroup("zones", args());
    new ConverterGroup("zones3", args({ zoneCount: 3 }));
    const spread = async (name: string) => (await run.one("kubernetes:apps/v1:StatefulSet", name)).plain.spec.template.spec.topologySpreadConstraints[0];
    expect(await spread("zones-")).toMatchObject({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", minDomains: 2 });
    expect((await spread("zones3")).minDomains).toBe(3);
});
