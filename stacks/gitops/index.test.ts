/**
 * The gitops program planned offline with its own stack file, beside offline plans
 * of the stacks it applies: the Operator's Stack objects (applying and drift
 * check), the identity their workspaces run as measured against what those
 * programs create, and the guard.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { planStack, planStacks, type PlanResource } from "pulumi-offline-plan";
import type { Violation } from "pulumi-offline-plan";
import { guardRules } from "../../tools/deploy/operator-guard/access";
import { policySession } from "../../test/helpers/policy";
import { formatData, operatorStackNames, operatorStacksData } from "./generate-access";
import { kindOf, operatorStacksFile, requiredGrants, type RbacRule } from "./workspace-access";

const root = path.resolve(__dirname, "../..");
const cwd = __dirname;
const domain = "multicloud.marketplace.internal";
const rootPackage = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const sdkVersion: string = JSON.parse(fs.readFileSync(path.join(root, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;
const operatorStacks = operatorStackNames(root);
const pinnable = ["spec.branch", "spec.commit"];

let resources: PlanResource[];
let ignored: Map<string, string[]>;
let violations: Violation[];
let workloads: { stack: string; resources: PlanResource[]; ignored: { type: string; paths: string[] }[] }[];
/** A planned Kubernetes object, read by path as the API object it is. */
type KubernetesObject = PlanResource & { inputs: any };
const objectsOfType = (planned: PlanResource[], type: string) => planned.filter((r) => r.type === type) as KubernetesObject[];
const ofType = (type: string) => objectsOfType(resources, type);
const stackObjects = () => ofType("kubernetes:pulumi.com/v1:Stack");
const applying = () => stackObjects().filter((o) => !o.inputs.spec.preview);
const driftChecks = () => stackObjects().filter((o) => o.inputs.spec.preview);

beforeAll(async () => {
    const session = await policySession();
    try {
        const gitops = await planStack({ cwd, stack: "gitops" }, session);
        resources = gitops.plan.resources;
        violations = gitops.plan.violations;
        ignored = new Map(gitops.captured.map((c) => [c.name, c.options.ignoreChanges]));
    } finally {
        await session.stop();
    }
    workloads = (await planStacks({ cwd: root, stacks: operatorStacks }, undefined)).map((r) => ({
        stack: r.plan.stack,
        resources: r.plan.resources,
        ignored: r.captured.filter((c) => c.options.ignoreChanges.length > 0).map((c) => ({ type: c.type, paths: c.options.ignoreChanges })),
    }));
}, 240_000);

describe("Stack objects", () => {
    test("each stack on the private cloud has an applying object and a drift-check object, and no other stack has either", () => {
        expect(operatorStacks).toEqual(["partner-dev", "partner-prod"]);
        expect(
            applying()
                .map((o) => o.inputs.metadata.name as string)
                .sort(),
        ).toEqual(operatorStacks);
        expect(
            driftChecks()
                .map((o) => o.inputs.metadata.name as string)
                .sort(),
        ).toEqual(operatorStacks.map((s) => `${s}-drift`));
    });

    test("an applying object follows main and applies each commit once: no silent re-apply on resync", () => {
        for (const o of applying()) {
            expect(o.inputs.spec).toMatchObject({
                branch: "main",
                refresh: true,
                continueResyncOnCommitMatch: false,
                resyncFrequencySeconds: 600,
                destroyOnFinalize: false,
            });
            expect(o.inputs.spec.preview).toBeUndefined();
            expect(o.inputs.spec.commit).toBeUndefined();
            expect(o.inputs.metadata.labels[`${domain}/role`]).toBe("apply");
        }
    });

    test("a drift-check object refreshes and previews daily, expecting no changes, for the same Pulumi stack", () => {
        for (const o of driftChecks()) {
            const of = o.inputs.metadata.annotations[`${domain}/drift-of`];
            const sibling = applying().find((a) => a.inputs.metadata.name === of)!;
            expect(o.inputs.spec).toMatchObject({
                stack: sibling.inputs.spec.stack,
                preview: true,
                refresh: true,
                continueResyncOnCommitMatch: true,
                resyncFrequencySeconds: 86400,
                updateTemplate: { spec: { expectNoChanges: true } },
                retryOnUpdateConflict: true,
            });
            expect(o.inputs.spec.prerequisites).toBeUndefined();
            expect(o.inputs.metadata.labels[`${domain}/role`]).toBe("drift-check");
        }
    });

    test("what the autoscaler owns is not drift: the programs ignore the Deployment's replica count after the first rollout", () => {
        for (const w of workloads) {
            const deployments = w.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment");
            expect(deployments.length).toBeGreaterThan(0);
            expect(w.ignored.filter((i) => i.type === "kubernetes:apps/v1:Deployment")).toEqual(
                deployments.map(() => ({ type: "kubernetes:apps/v1:Deployment", paths: ["spec.replicas"] })),
            );
        }
    });

    test("the program never fights a pin: changes to spec.branch and spec.commit are ignored after creation", () => {
        for (const o of stackObjects()) expect(ignored.get(o.name)).toEqual(pinnable);
        // Nothing else is ignored: the rest of the spec stays the program's.
        expect(
            [...ignored.entries()]
                .filter(([, paths]) => paths.length > 0)
                .map(([name]) => name)
                .sort(),
        ).toEqual(
            stackObjects()
                .map((o) => o.name)
                .sort(),
        );
    });

    test("the guard's annotations: the branch to return to, the drift check's object, the health URL from the workload's own Ingress", () => {
        const data = JSON.parse(fs.readFileSync(operatorStacksFile, "utf8")).stacks;
        for (const o of stackObjects()) expect(o.inputs.metadata.annotations[`${domain}/follows-branch`]).toBe("main");
        for (const o of applying()) {
            const url = o.inputs.metadata.annotations[`${domain}/health-url`];
            expect(url).toBe(data[o.name].healthUrl);
            const workload = workloads.find((w) => w.stack === o.name)!;
            const [ingress] = objectsOfType(workload.resources, "kubernetes:networking.k8s.io/v1:Ingress");
            expect(url).toBe(`https://${ingress.inputs.spec.rules[0].host}/healthz`);
        }
        for (const o of driftChecks()) expect(o.inputs.metadata.annotations[`${domain}/health-url`]).toBeUndefined();
    });

    test("opens no credentials environment (the stack file imports its own, defined in environments/), runs as the pulumi ServiceAccount on the workspace image of the SDK's CLI release", () => {
        const defined = fs.readdirSync(path.join(root, "environments/multicloud")).map((f) => `multicloud/${f.replace(/\.yaml$/, "")}`);
        for (const o of stackObjects()) {
            expect(o.inputs.spec.environment).toBeUndefined();
            const stackFile = parse(fs.readFileSync(path.join(root, `stacks/Pulumi.${o.inputs.metadata.name.replace(/-drift$/, "")}.yaml`), "utf8"));
            for (const env of stackFile.environment) expect(defined).toContain(env);
            expect(o.inputs.spec.serviceAccountName).toBe("pulumi");
            expect(o.inputs.spec.workspaceTemplate.spec.image).toBe(`pulumi/pulumi:${sdkVersion}-nonroot`);
        }
    });

    test("labels and annotations use the project's own domain; the policy pack enforced by the policy group is recorded", () => {
        for (const o of stackObjects()) {
            const keys = [...Object.keys(o.inputs.metadata.labels), ...Object.keys(o.inputs.metadata.annotations)].filter((k) => k.includes("/"));
            for (const key of keys) expect(key).toMatch(/^(app\.kubernetes\.io|multicloud\.marketplace\.internal)\//);
            expect(o.inputs.metadata.annotations[`${domain}/policy-pack`]).toBe("marketplace/multicloud");
        }
    });

    test("prerequisites name only other Operator stacks: the backend the partner reads is applied by the deploy workflow", () => {
        expect(applying().find((o) => o.name === "partner-prod")!.inputs.spec.prerequisites).toEqual([]);
    });

    test("prod's applying object is protected; a drift check holds nothing to protect", () => {
        expect(
            applying()
                .filter((o) => o.protect)
                .map((o) => o.name),
        ).toEqual(["partner-prod"]);
        expect(driftChecks().filter((o) => o.protect)).toEqual([]);
    });
});

/** Every verb a rule grants, one string each: `<scope> <group> <resource> <verb>[ <name>]`. */
function atoms(scope: string, rules: RbacRule[]): string[] {
    return rules.flatMap((r) =>
        r.apiGroups.flatMap((g) =>
            r.resources.flatMap((res) =>
                r.verbs.flatMap((v) => (r.resourceNames ?? [""]).map((n) => `${scope} ${g || "core"} ${res} ${v}${n ? ` ${n}` : ""}`)),
            ),
        ),
    );
}

/** What the bindings to a ServiceAccount grant it, role by role. */
function grantedTo(account: string, namespace: string): { atoms: string[]; roles: string[] } {
    const isSubject = (b: KubernetesObject) =>
        b.inputs.subjects?.some(
            (s: { kind: string; name: string; namespace?: string }) => s.kind === "ServiceAccount" && s.name === account && s.namespace === namespace,
        );
    const roles: string[] = [];
    const granted = [
        ...ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding")
            .filter(isSubject)
            .flatMap((b) => {
                roles.push(`ClusterRole ${b.inputs.roleRef.name}`);
                const role = ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").find((r) => r.inputs.metadata.name === b.inputs.roleRef.name);
                return role ? atoms("cluster", role.inputs.rules) : [];
            }),
        ...ofType("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")
            .filter(isSubject)
            .flatMap((b) => {
                const scope = b.inputs.metadata.namespace;
                roles.push(`Role ${scope}/${b.inputs.roleRef.name}`);
                const role = ofType("kubernetes:rbac.authorization.k8s.io/v1:Role").find(
                    (r) => r.inputs.metadata.name === b.inputs.roleRef.name && r.inputs.metadata.namespace === scope,
                );
                return role ? atoms(scope, role.inputs.rules) : [];
            }),
    ];
    return { atoms: [...new Set(granted)].sort(), roles };
}

describe("the workspace identity", () => {
    /** Plurals of the kinds the partner program creates, as the Kubernetes API serves them. */
    const servedAs: Record<string, string> = {
        Namespace: "namespaces",
        ServiceAccount: "serviceaccounts",
        ResourceQuota: "resourcequotas",
        LimitRange: "limitranges",
        PersistentVolumeClaim: "persistentvolumeclaims",
        Secret: "secrets",
        Service: "services",
        NetworkPolicy: "networkpolicies",
        Ingress: "ingresses",
        PodDisruptionBudget: "poddisruptionbudgets",
        Deployment: "deployments",
        HorizontalPodAutoscaler: "horizontalpodautoscalers",
        Role: "roles",
        RoleBinding: "rolebindings",
        CronJob: "cronjobs",
        Schedule: "schedules",
    };

    test("may create, read, change and delete every kind the partner programs create, where they create it", () => {
        const granted = new Set(grantedTo("pulumi", "pulumi-operator").atoms);
        const missing = workloads.flatMap(({ stack, resources: planned }) =>
            (planned as KubernetesObject[]).flatMap((r) => {
                const kind = kindOf(r.type);
                if (!kind) return [];
                const resource = servedAs[kind.kind];
                if (!resource) return [`${stack}: ${r.type} is a kind this test does not know the resource name of`];
                const namespace = r.inputs.metadata?.namespace;
                const scope = namespace ?? "cluster";
                const name = namespace ? "" : ` ${r.inputs.metadata.name}`;
                return ["create", "get", "patch", "delete"]
                    .map((verb) => `${scope} ${kind.apiGroup || "core"} ${resource} ${verb}${verb === "create" ? "" : name}`)
                    .filter((atom) => !granted.has(atom))
                    .map((atom) => `${stack}: ${r.type} ${r.name}: ${atom}`);
            }),
        );
        expect(missing).toEqual([]);
    });

    test("grants exactly what the partner programs need, nothing beyond, and no wildcard", () => {
        const { atoms: granted, roles } = grantedTo("pulumi", "pulumi-operator");
        const needed = [
            ...new Set(
                requiredGrants(workloads.flatMap((w) => w.resources)).flatMap((g) =>
                    atoms(g.namespace ?? "cluster", [
                        { apiGroups: [g.apiGroup], resources: [g.resource], verbs: g.verbs, ...(g.names ? { resourceNames: g.names } : {}) },
                    ]),
                ),
            ),
        ].sort();
        expect(granted).toEqual(needed);
        expect(roles).toEqual(expect.arrayContaining(["ClusterRole system:auth-delegator", "ClusterRole pulumi-operator:pulumi:workspace"]));
        const rules = [...ofType("kubernetes:rbac.authorization.k8s.io/v1:Role"), ...ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")].flatMap(
            (r) => r.inputs.rules,
        );
        expect(rules.flatMap((r: RbacRule) => [...r.apiGroups, ...r.resources, ...r.verbs]).filter((v) => v.includes("*"))).toEqual([]);
    });

    test("namespaced kinds are granted in their namespaces only; cluster-wide only namespaces, and by name except where Kubernetes cannot scope", () => {
        const cluster = grantedTo("pulumi", "pulumi-operator").atoms.filter((a) => a.startsWith("cluster "));
        expect(cluster).toEqual([
            "cluster core namespaces create",
            "cluster core namespaces delete partner-dev",
            "cluster core namespaces delete partner-prod",
            "cluster core namespaces get partner-dev",
            "cluster core namespaces get partner-prod",
            "cluster core namespaces list",
            "cluster core namespaces patch partner-dev",
            "cluster core namespaces patch partner-prod",
            "cluster core namespaces watch",
        ]);
        const roles = ofType("kubernetes:rbac.authorization.k8s.io/v1:Role").filter((r) => r.inputs.metadata.name === "multicloud-pulumi-workspace");
        expect(roles.map((r) => r.inputs.metadata.namespace as string).sort()).toEqual(["partner-dev", "partner-prod", "velero"]);
        const velero = roles.find((r) => r.inputs.metadata.namespace === "velero")!;
        expect(atoms("velero", velero.inputs.rules).filter((a) => !a.includes(" events "))).toEqual(
            expect.arrayContaining(["velero velero.io schedules create"]),
        );
        expect(atoms("velero", velero.inputs.rules).every((a) => / (events|schedules) /.test(a))).toBe(true);
    });

    test("in a workload namespace: full control of the kinds the program owns, reading only of what the provider watches while it waits", () => {
        const role = ofType("kubernetes:rbac.authorization.k8s.io/v1:Role").find((r) => r.inputs.metadata.namespace === "partner-dev")!;
        const manage = ["create", "delete", "get", "list", "patch", "watch"];
        const read = ["get", "list", "watch"];
        expect(role.inputs.rules).toEqual([
            {
                apiGroups: [""],
                resources: ["limitranges", "persistentvolumeclaims", "resourcequotas", "secrets", "serviceaccounts", "services"],
                verbs: manage,
            },
            // Events for the provider's warnings; endpoints behind Services and Ingresses; pods and ReplicaSets of a Deployment's rollout.
            { apiGroups: [""], resources: ["endpoints", "events", "pods"], verbs: read },
            { apiGroups: ["apps"], resources: ["deployments"], verbs: manage },
            { apiGroups: ["apps"], resources: ["replicasets"], verbs: read },
            { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: manage },
            { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: manage },
            { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: manage },
        ]);
    });

    test("can create the Roles the partner programs create: Kubernetes lets nobody grant what they do not hold", () => {
        const granted = new Set(grantedTo("pulumi", "pulumi-operator").atoms);
        const roles = workloads.flatMap((w) => objectsOfType(w.resources, "kubernetes:rbac.authorization.k8s.io/v1:Role"));
        expect(roles.length).toBeGreaterThan(0);
        for (const role of roles) {
            // A rule limited to names is held when the same verb is held on every object of the kind.
            const needed = atoms(
                role.inputs.metadata.namespace,
                role.inputs.rules.map((r: RbacRule) => ({ ...r, resourceNames: undefined })),
            );
            expect(needed.filter((a) => !granted.has(a))).toEqual([]);
        }
    });

    test("keeps the auth-delegator binding the Operator needs to authenticate to the workspace pods", () => {
        const account = ofType("kubernetes:core/v1:ServiceAccount").find((r) => r.inputs.metadata.name === "pulumi")!;
        expect(account.inputs.metadata).toEqual({ name: "pulumi", namespace: "pulumi-operator" });
        const binding = ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").find((r) => r.inputs.roleRef.name === "system:auth-delegator")!;
        expect(binding.inputs.subjects).toEqual([{ kind: "ServiceAccount", name: "pulumi", namespace: "pulumi-operator" }]);
    });

    test("operator-stacks.json is what the programs create today (regenerate with node --require pulumi-offline-plan/register stacks/gitops/generate-access.ts)", () => {
        expect(fs.readFileSync(operatorStacksFile, "utf8")).toBe(
            formatData(operatorStacksData(workloads.map((w) => ({ stack: w.stack, resources: w.resources })))),
        );
    });

    test("a namespace the stacks have not created yet gets its Role only once it is no longer listed as new", async () => {
        const { plan } = await planStack({ cwd, stack: "gitops", values: { newNamespaces: '["partner-prod"]' } }, undefined);
        const namespaces = objectsOfType(plan.resources, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").map(
            (r) => r.inputs.metadata.namespace as string,
        );
        expect(namespaces.sort()).toEqual(["partner-dev", "pulumi-operator", "velero"]);
        await expect(planStack({ cwd, stack: "gitops", values: { newNamespaces: '["partner-prd"]' } }, undefined)).rejects.toThrow(
            /newNamespaces names partner-prd, where no Operator stack creates anything; valid: partner-dev, partner-prod, velero/,
        );
    }, 60_000);
});

describe("the guard", () => {
    const cronJob = () => ofType("kubernetes:batch/v1:CronJob")[0];
    const pod = () => cronJob().inputs.spec.jobTemplate.spec.template.spec;

    test("runs as its own ServiceAccount, allowed only to list and patch Stack objects and record Events in the Operator's namespace", () => {
        expect(pod().serviceAccountName).toBe("multicloud-operator-guard");
        const { atoms: granted, roles } = grantedTo("multicloud-operator-guard", "pulumi-operator");
        expect(roles).toEqual(["Role pulumi-operator/multicloud-operator-guard"]);
        expect(granted).toEqual(["pulumi-operator core events create", "pulumi-operator pulumi.com stacks list", "pulumi-operator pulumi.com stacks patch"]);
        expect(atoms("pulumi-operator", guardRules).sort()).toEqual(granted);
    });

    test("a CronJob in the Operator's namespace, every five minutes, never two at once", () => {
        expect(cronJob().inputs.metadata.namespace).toBe("pulumi-operator");
        expect(cronJob().inputs.spec).toMatchObject({ schedule: "*/5 * * * *", concurrencyPolicy: "Forbid" });
        expect(cronJob().inputs.spec.jobTemplate.spec.activeDeadlineSeconds).toBeLessThan(300);
    });

    test("runs the guard from a shallow clone of the branch, on node:22-slim pinned by its version, with the pinned client and tsx", () => {
        const [clone] = pod().initContainers;
        expect(clone.command).toEqual([
            "git",
            "clone",
            "--depth=1",
            "--single-branch",
            "--branch=main",
            "https://github.com/example/multicloud.git",
            "/work/repo",
        ]);
        expect(clone.image).toMatch(/^alpine\/git:v\d+\.\d+\.\d+$/);
        const [guard] = pod().containers;
        expect(guard.image).toMatch(/^node:22\.\d+\.\d+-slim$/);
        expect(guard.workingDir).toBe("/work/repo");
        const script: string = guard.command[2];
        expect(guard.command.slice(0, 2)).toEqual(["sh", "-c"]);
        expect(script).toContain('"@kubernetes/client-node@$client" "tsx@$tsx"');
        expect(script).toMatch(/--no-save/);
        expect(script.trim().split("\n").at(-1)).toBe("exec node --import tsx tools/deploy/operator-guard/main.ts");
        expect(fs.existsSync(path.join(root, "tools/deploy/operator-guard/main.ts"))).toBe(true);
        // The versions the script installs are the project's exact pins.
        for (const name of ["@kubernetes/client-node", "tsx"]) expect(rootPackage.devDependencies[name]).toMatch(/^\d+\.\d+\.\d+$/);
        expect(guard.env).toEqual(
            expect.arrayContaining([
                { name: "GUARD_ANNOTATION_DOMAIN", value: domain },
                { name: "GUARD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                { name: "NODE_EXTRA_CA_CERTS", value: "/etc/multicloud/probe-ca/ca.crt" },
            ]),
        );
        expect(pod().volumes).toContainEqual({ name: "probe-ca", configMap: { name: "internal-ca", optional: true } });
    });

    test("passes the pack's pod security, resource and image-tag policies", () => {
        const onGuard = violations.filter((v) => v.urn.endsWith("::operator-guard") && v.urn.includes("batch/v1:CronJob"));
        // Pinned by tag as the images are published; the Operator's namespace is not this stack's to fence; the platform stack carries no workload's cost keys.
        const accepted = new Set(["k8s-image-digest", "k8s-namespace-default-deny", "cost-allocation-tags"]);
        expect(onGuard.map((v) => v.policy).filter((p) => !accepted.has(p))).toEqual([]);
        for (const c of [...pod().initContainers, ...pod().containers]) {
            expect(c.securityContext).toEqual({
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
            });
        }
    });
});

test("every object is on the explicit private-cloud provider", () => {
    for (const r of resources.filter((r) => r.type.startsWith("kubernetes:"))) expect(r.provider).toMatch(/\$pulumi:providers:kubernetes::private-cloud::/);
});
