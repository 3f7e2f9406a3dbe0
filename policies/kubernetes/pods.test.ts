import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const container = {
    name: "api",
    image: "registry.example/api@sha256:" + "a".repeat(64),
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
    readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
    livenessProbe: { httpGet: { path: "/live", port: 8080 } },
};
const podSpec = { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }, containers: [container] };
type Json = Record<string, any>;
const deployment = (pod: Json = podSpec) => [
    { type: "kubernetes:apps/v1:Deployment", inputs: JSON.parse(JSON.stringify({ metadata: { name: "api" }, spec: { template: { spec: pod } } })) },
];
const withContainer = (overrides: Json, pod: Json = {}) => deployment({ ...podSpec, ...pod, containers: [{ ...container, ...overrides }] });
const podPolicies = [
    "k8s-no-privileged-containers",
    "k8s-no-privilege-escalation",
    "k8s-run-as-non-root",
    "k8s-drop-all-capabilities",
    "k8s-seccomp-runtime-default",
    "k8s-resource-requests-limits",
    "k8s-image-tagged",
    "k8s-image-digest",
    "k8s-probes",
    "k8s-no-host-namespaces",
    "k8s-no-host-path",
];

test("a restricted pod passes every pod policy", async () => {
    const hits = await pack.policiesHit(deployment());
    for (const name of podPolicies) expect(hits).not.toContain(name);
});

test.each<[string, Json, Json?]>([
    ["k8s-no-privileged-containers", { securityContext: { ...container.securityContext, privileged: true } }],
    ["k8s-no-privilege-escalation", { securityContext: { capabilities: { drop: ["ALL"] } } }],
    ["k8s-run-as-non-root", {}, { securityContext: { seccompProfile: { type: "RuntimeDefault" } } }],
    ["k8s-run-as-non-root", { securityContext: { ...container.securityContext, runAsUser: 0 } }],
    ["k8s-drop-all-capabilities", { securityContext: { allowPrivilegeEscalation: false } }],
    ["k8s-drop-all-capabilities", { securityContext: { ...container.securityContext, capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } } }],
    ["k8s-seccomp-runtime-default", {}, { securityContext: { runAsNonRoot: true } }],
    ["k8s-seccomp-runtime-default", { securityContext: { ...container.securityContext, seccompProfile: { type: "Unconfined" } } }],
    ["k8s-resource-requests-limits", { resources: { requests: { cpu: "100m" } } }],
    ["k8s-image-tagged", { image: "registry.example:5000/api" }],
    ["k8s-image-tagged", { image: "api:latest" }],
    ["k8s-image-digest", { image: "api:1.2.3" }],
    ["k8s-probes", { readinessProbe: undefined }],
    ["k8s-no-host-namespaces", {}, { hostNetwork: true }],
    ["k8s-no-host-namespaces", { ports: [{ containerPort: 80, hostPort: 80 }] }],
    ["k8s-no-host-path", {}, { volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }] }],
])("%s blocks container %j / pod %j", async (name, overrides, pod = {}) => {
    expect(await pack.policiesHit(withContainer(overrides, pod))).toContain(name);
});

test("every container list counts: an init container is judged too", async () => {
    const hits = await pack.policiesHit(deployment({ ...podSpec, initContainers: [{ ...container, name: "init", securityContext: {} }] }));
    expect(hits).toEqual(expect.arrayContaining(["k8s-no-privilege-escalation", "k8s-drop-all-capabilities"]));
});

test("a tag with a registry port is read correctly; a CronJob needs no probes", async () => {
    expect(await pack.policiesHit(withContainer({ image: "registry.example:5000/api:1.2.3" }))).not.toContain("k8s-image-tagged");
    const cron = [
        {
            type: "kubernetes:batch/v1:CronJob",
            inputs: JSON.parse(
                JSON.stringify({
                    spec: {
                        schedule: "* * * * *",
                        jobTemplate: {
                            spec: {
                                template: {
                                    spec: {
                                        ...podSpec,
                                        containers: [{ ...container, readinessProbe: undefined, livenessProbe: undefined, securityContext: {} }],
                                    },
                                },
                            },
                        },
                    },
                }),
            ),
        },
    ];
    const hits = await pack.policiesHit(cron);
    expect(hits).not.toContain("k8s-probes");
    expect(hits).toContain("k8s-no-privilege-escalation");
});

/** The messages one policy reports for a Deployment with this pod spec. */
async function messagesOf(policy: string, pod: Json): Promise<string[]> {
    return (await pack.judge(deployment(pod))).filter((v) => v.policy === policy).map((v) => v.message.slice(v.message.indexOf("\n") + 1));
}

test("k8s-run-as-non-root: a pod-level runAsUser 0 is blocked even where the container overrides it, and reported once", async () => {
    const p = "k8s-run-as-non-root";
    const nonRoot = { ...container, securityContext: { ...container.securityContext, runAsUser: 10001 } };
    expect(await messagesOf(p, { ...podSpec, securityContext: { ...podSpec.securityContext, runAsUser: 0 }, containers: [nonRoot] })).toEqual([
        "The pod sets runAsUser 0 (root).",
    ]);
    expect(await messagesOf(p, { ...podSpec, securityContext: { ...podSpec.securityContext, runAsUser: 0 } })).toEqual(["The pod sets runAsUser 0 (root)."]);
    expect(await messagesOf(p, { ...podSpec, securityContext: { ...podSpec.securityContext, runAsUser: 10001 }, containers: [nonRoot] })).toEqual([]);
});

test("k8s-seccomp-runtime-default: a pod-level Unconfined profile is blocked even where every container sets RuntimeDefault", async () => {
    const p = "k8s-seccomp-runtime-default";
    const confined = { ...container, securityContext: { ...container.securityContext, seccompProfile: { type: "RuntimeDefault" } } };
    expect(
        await messagesOf(p, { ...podSpec, securityContext: { runAsNonRoot: true, seccompProfile: { type: "Unconfined" } }, containers: [confined] }),
    ).toEqual(["The pod uses seccomp profile Unconfined."]);
    expect(await messagesOf(p, { ...podSpec, securityContext: { runAsNonRoot: true }, containers: [confined] })).toEqual([]);
    expect(
        await messagesOf(p, { ...podSpec, securityContext: { runAsNonRoot: true, seccompProfile: { type: "Localhost", localhostProfile: "p.json" } } }),
    ).toEqual([]);
});

test("k8s-no-host-namespaces: host ports are refused as PSS Host Ports asks, in every container list; port 0 means none", async () => {
    const p = "k8s-no-host-namespaces";
    const init = { ...container, name: "init", ports: [{ containerPort: 9000, hostPort: 9000 }] };
    expect(await messagesOf(p, { ...podSpec, initContainers: [init] })).toEqual(['init container "init": binds host port(s) 9000.']);
    expect(await messagesOf(p, { ...podSpec, containers: [{ ...container, ports: [{ containerPort: 80, hostPort: 0 }] }] })).toEqual([]);
});
