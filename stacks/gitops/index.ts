/**
 * The private cloud is applied from inside it: a hosted runner cannot reach its
 * API server, so the stacks placed there (clouds include `onprem`) are applied
 * by the Pulumi Kubernetes Operator (v2) running in that cluster, generated from
 * the stack files; the deploy workflow leaves them out. Each such stack has two
 * `Stack` objects:
 *
 * - the applying object follows `main` and applies each new commit once; it never
 *   re-applies a commit on its own, so a change made outside Pulumi is not
 *   silently undone;
 * - the drift-check object (`<stack>-drift`) refreshes and previews the commit
 *   that is live once a day with `expectNoChanges`, so drift fails the preview
 *   and is reported, not hidden.
 *
 * The guard (tools/deploy/operator-guard, a CronJob here) verifies every update
 * from inside the cluster: it probes the workload, records the last good commit
 * on the object, pins the object to that commit when an update or its probe
 * fails, and reports drift. The program never fights the guard: the applying and
 * drift objects ignore changes to `spec.branch` and `spec.commit` after creation,
 * and the branch an object follows when unpinned is an annotation the guard reads.
 *
 * Identity: the workspaces run as the `pulumi` ServiceAccount, which may do
 * exactly what the programs on the private cloud need (operator-stacks.json,
 * derived from those programs), namespaced where the objects are namespaced.
 *
 * Credentials: a Pulumi access token from a Secret. The workspace's identity in
 * the cluster is its ServiceAccount, so no credentials environment is opened;
 * each stack file imports its own ESC environment (environments/multicloud/)
 * for its secrets, as it does for a person running `pulumi up`. Policies: the Stack spec has no field for a
 * policy pack; Pulumi Cloud's policy group for these stacks enforces the pack
 * (`pulumi policy publish` then enable it in the group) on every Operator run,
 * and the annotation records which pack that is.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { restrictedContainerSecurity } from "../../components/kubernetes/isolated-namespace";
import { dependencies, privateClouds, readStacks } from "../../tools/affected-stacks";
import { guardRules } from "../../tools/deploy/operator-guard/access";
import { annotationKeys } from "../../tools/deploy/operator-guard/annotations";
import { mergeGrants, readOperatorStacks, rulesOf, type Grant } from "./workspace-access";

const config = new pulumi.Config();
const repository = config.require("repository");
const branch = config.require("branch");
const organization = config.require("organization");
const namespace = config.require("namespace");
const policyPack = config.require("policyPack");
const annotationDomain = `multicloud.${config.require("companyDomain")}`;
const resyncSeconds = config.requireNumber("resyncFrequencySeconds");
const driftCheckSeconds = config.requireNumber("driftCheckSeconds");
const guardSchedule = config.require("guardSchedule");
const guardImage = config.require("guardImage");
const gitImage = config.require("gitImage");
const probeCaConfigMap = config.get("probeCaConfigMap");
const newNamespaces = config.getObject<string[]>("newNamespaces") ?? [];
const kubeconfig = config.getSecret("kubeconfig");
const keys = annotationKeys(annotationDomain);

/** The workspace runs the CLI release that matches the SDK this project is built with. */
const cliVersion: string = JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")).version;
export const workspaceImage = `pulumi/pulumi:${cliVersion}-nonroot`;

const repoRoot = path.resolve(__dirname, "..", "..");
const all = readStacks(repoRoot);
const stacks = all.filter((s) => s.clouds.some((c) => privateClouds.includes(c)));
const dependsOn = dependencies(all);
const operated = new Set(stacks.map((s) => s.name));
const described = readOperatorStacks();
for (const stack of stacks) {
    if (!described[stack.name]) {
        throw new Error(
            `stacks/gitops/operator-stacks.json has no entry for ${stack.name}: run \`node --require pulumi-offline-plan/register stacks/gitops/generate-access.ts\`.`,
        );
    }
}

/** The private cloud's cluster, named explicitly so nothing lands on an ambient context by accident. */
const provider = new k8s.Provider("private-cloud", {
    kubeconfig,
    context: config.get("kubeContext"),
    namespace,
});

/** The workspace pods run as `pulumi`; the Operator authenticates to them with the pod's token, reviewed through auth-delegator. */
const serviceAccount = new k8s.core.v1.ServiceAccount("pulumi", { metadata: { name: "pulumi", namespace } }, { provider });
const authDelegator = new k8s.rbac.v1.ClusterRoleBinding(
    "pulumi-auth-delegator",
    {
        metadata: { name: `${namespace}:pulumi:system:auth-delegator` },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" },
        subjects: [{ kind: "ServiceAccount", name: "pulumi", namespace }],
    },
    { provider },
);

// What the workspaces may do in the cluster: the union over the Operator stacks of what each program creates.
const grants = mergeGrants(stacks.flatMap((s) => described[s.name].grants));
const workspaceSubject = [{ kind: "ServiceAccount", name: "pulumi", namespace }];
const clusterGrants = grants.filter((g) => g.namespace === undefined);
const byNamespace = new Map<string, Grant[]>();
for (const g of grants.filter((g) => g.namespace !== undefined)) byNamespace.set(g.namespace!, [...(byNamespace.get(g.namespace!) ?? []), g]);
const unknownNew = newNamespaces.filter((n) => !byNamespace.has(n));
if (unknownNew.length > 0) {
    throw new Error(
        `multicloud-gitops:newNamespaces names ${unknownNew.join(", ")}, where no Operator stack creates anything; valid: ${[...byNamespace.keys()].sort().join(", ")}.`,
    );
}

const workspaceAccess: pulumi.Resource[] = [];
if (clusterGrants.length > 0) {
    const name = `${namespace}:pulumi:workspace`;
    const clusterRole = new k8s.rbac.v1.ClusterRole("pulumi-workspace", { metadata: { name }, rules: rulesOf(clusterGrants) }, { provider });
    workspaceAccess.push(
        clusterRole,
        new k8s.rbac.v1.ClusterRoleBinding(
            "pulumi-workspace",
            { metadata: { name }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name }, subjects: workspaceSubject },
            { provider, dependsOn: [clusterRole] },
        ),
    );
}
// A Role cannot be created in a namespace that does not exist yet: a new stack's namespace is left out until its first run has created it.
for (const [target, namespaced] of [...byNamespace.entries()].filter(([n]) => !newNamespaces.includes(n)).sort(([a], [b]) => a.localeCompare(b))) {
    const metadata = { name: "multicloud-pulumi-workspace", namespace: target };
    const role = new k8s.rbac.v1.Role(`pulumi-workspace-${target}`, { metadata, rules: rulesOf(namespaced) }, { provider });
    workspaceAccess.push(
        role,
        new k8s.rbac.v1.RoleBinding(
            `pulumi-workspace-${target}`,
            { metadata, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: metadata.name }, subjects: workspaceSubject },
            { provider, dependsOn: [role] },
        ),
    );
}

/** What the applying and the drift-check object of a stack share. */
function stackSpec(stack: (typeof stacks)[number]) {
    return {
        stack: `${organization}/multicloud/${stack.name}`,
        projectRepo: repository,
        branch,
        shallow: true,
        serviceAccountName: serviceAccount.metadata.name,
        envRefs: {
            PULUMI_ACCESS_TOKEN: { type: "Secret", secret: { name: "pulumi-api-secret", key: "accessToken" } },
        },
        workspaceTemplate: { spec: { image: workspaceImage } },
        refresh: true,
        destroyOnFinalize: false,
    };
}

function labelsOf(stack: (typeof stacks)[number], role: "apply" | "drift-check") {
    return {
        "app.kubernetes.io/managed-by": "pulumi",
        "app.kubernetes.io/part-of": "multicloud",
        [`${annotationDomain}/workload`]: stack.workload ?? "unknown",
        [`${annotationDomain}/environment`]: stack.environment ?? "unknown",
        [`${annotationDomain}/role`]: role,
    };
}

/** The guard pins an object by setting `spec.commit` and emptying `spec.branch`; a later `pulumi up` here must leave both alone. */
const pinnable = ["spec.branch", "spec.commit"];

export const gitopsStacks = stacks.map((stack) => {
    const healthUrl = described[stack.name].healthUrl;
    const object = new k8s.apiextensions.CustomResource(
        stack.name,
        {
            apiVersion: "pulumi.com/v1",
            kind: "Stack",
            metadata: {
                name: stack.name,
                namespace,
                labels: labelsOf(stack, "apply"),
                annotations: {
                    [`${annotationDomain}/policy-pack`]: `${organization}/${policyPack}`,
                    [keys.followsBranch]: branch,
                    ...(healthUrl ? { [keys.healthUrl]: healthUrl } : {}),
                },
            },
            spec: {
                ...stackSpec(stack),
                // A commit is applied once; what changes in the cluster afterwards is the drift check's to report.
                continueResyncOnCommitMatch: false,
                // How often the Operator looks for a new commit on the branch.
                resyncFrequencySeconds: resyncSeconds,
                // Only Stack objects can be prerequisites; stacks applied by the deploy workflow are read at their last update.
                prerequisites: [...(dependsOn.get(stack.name) ?? [])]
                    .filter((name) => operated.has(name))
                    .sort()
                    .map((name) => ({ name })),
            },
        },
        { provider, protect: stack.environment === "prod", dependsOn: [authDelegator, ...workspaceAccess], ignoreChanges: pinnable },
    );
    return object.metadata.name;
});

/** Drift-check objects: a daily refresh and preview of the live commit (the guard points each at it), failing when anything would change. */
export const driftCheckStacks = stacks.map((stack) => {
    const object = new k8s.apiextensions.CustomResource(
        `${stack.name}-drift`,
        {
            apiVersion: "pulumi.com/v1",
            kind: "Stack",
            metadata: {
                name: `${stack.name}-drift`,
                namespace,
                labels: labelsOf(stack, "drift-check"),
                annotations: {
                    [`${annotationDomain}/policy-pack`]: `${organization}/${policyPack}`,
                    [keys.followsBranch]: branch,
                    [keys.driftOf]: stack.name,
                },
            },
            spec: {
                ...stackSpec(stack),
                preview: true,
                // The same commit is previewed again every period: that is the check.
                continueResyncOnCommitMatch: true,
                resyncFrequencySeconds: driftCheckSeconds,
                // `pulumi preview --expect-no-changes`: a preview with changes fails, which is how the guard tells drift.
                updateTemplate: { spec: { expectNoChanges: true } },
                // The applying object's update may hold the stack's lock when the check starts.
                retryOnUpdateConflict: true,
                // The check runs once a day; its workspace pod need not wait idle in between.
                workspaceReclaimPolicy: "Delete",
            },
        },
        { provider, dependsOn: [authDelegator, ...workspaceAccess], ignoreChanges: pinnable },
    );
    return object.metadata.name;
});

// The guard: its own identity, allowed to read and patch Stack objects in this namespace and to record Events, nothing else.
const guardName = "multicloud-operator-guard";
const guardAccount = new k8s.core.v1.ServiceAccount("operator-guard", { metadata: { name: guardName, namespace } }, { provider });
const guardRole = new k8s.rbac.v1.Role(
    "operator-guard",
    {
        metadata: { name: guardName, namespace },
        rules: guardRules,
    },
    { provider },
);
const guardBinding = new k8s.rbac.v1.RoleBinding(
    "operator-guard",
    {
        metadata: { name: guardName, namespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: guardName },
        subjects: [{ kind: "ServiceAccount", name: guardName, namespace }],
    },
    { provider, dependsOn: [guardRole] },
);

/**
 * The guard runs from a shallow clone of the branch. Its two packages are
 * devDependencies of the project, so `npm ci --omit=dev` would not install them,
 * and a full `npm ci` would install every cloud SDK each run: it installs exactly
 * those two, at the versions the clone's package.json pins, beside the clone.
 */
const guardScript = [
    "set -eu",
    `pin() { node -p "const p = require('./package.json'); (p.dependencies || {})['$1'] || (p.devDependencies || {})['$1'] || ''"; }`,
    'client=$(pin @kubernetes/client-node); tsx=$(pin tsx); test -n "$client" && test -n "$tsx"',
    'npm install --prefix /work/deps --no-save --no-package-lock --no-audit --no-fund --ignore-scripts "@kubernetes/client-node@$client" "tsx@$tsx"',
    "ln -s /work/deps/node_modules node_modules",
    "exec node --import tsx tools/deploy/operator-guard/main.ts",
].join("\n");

const scratch = [
    { name: "work", mountPath: "/work" },
    { name: "tmp", mountPath: "/tmp" },
];
const probeCaPath = "/etc/multicloud/probe-ca";

export const guardCronJob = new k8s.batch.v1.CronJob(
    "operator-guard",
    {
        metadata: { name: guardName, namespace, labels: { "app.kubernetes.io/name": guardName, "app.kubernetes.io/part-of": "multicloud" } },
        spec: {
            schedule: guardSchedule,
            // One guard at a time: two could both pin the same object from the same status.
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: 120,
            successfulJobsHistoryLimit: 1,
            failedJobsHistoryLimit: 3,
            jobTemplate: {
                spec: {
                    backoffLimit: 0,
                    activeDeadlineSeconds: 240,
                    ttlSecondsAfterFinished: 3600,
                    template: {
                        metadata: { labels: { "app.kubernetes.io/name": guardName } },
                        spec: {
                            serviceAccountName: guardAccount.metadata.name,
                            restartPolicy: "Never",
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: 1000,
                                runAsGroup: 1000,
                                fsGroup: 1000,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            // node:22-slim has no git: the clone is a step of its own.
                            initContainers: [
                                {
                                    name: "clone",
                                    image: gitImage,
                                    command: ["git", "clone", "--depth=1", "--single-branch", `--branch=${branch}`, repository, "/work/repo"],
                                    env: [{ name: "HOME", value: "/tmp" }],
                                    securityContext: restrictedContainerSecurity,
                                    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                                    volumeMounts: scratch,
                                },
                            ],
                            containers: [
                                {
                                    name: "guard",
                                    image: guardImage,
                                    workingDir: "/work/repo",
                                    command: ["sh", "-c", guardScript],
                                    env: [
                                        { name: "GUARD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                                        { name: "GUARD_ANNOTATION_DOMAIN", value: annotationDomain },
                                        { name: "HOME", value: "/tmp" },
                                        { name: "npm_config_cache", value: "/tmp/npm-cache" },
                                        ...(probeCaConfigMap ? [{ name: "NODE_EXTRA_CA_CERTS", value: `${probeCaPath}/ca.crt` }] : []),
                                    ],
                                    securityContext: restrictedContainerSecurity,
                                    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
                                    volumeMounts: [...scratch, ...(probeCaConfigMap ? [{ name: "probe-ca", mountPath: probeCaPath, readOnly: true }] : [])],
                                },
                            ],
                            volumes: [
                                { name: "work", emptyDir: {} },
                                { name: "tmp", emptyDir: {} },
                                ...(probeCaConfigMap ? [{ name: "probe-ca", configMap: { name: probeCaConfigMap, optional: true } }] : []),
                            ],
                        },
                    },
                },
            },
        },
    },
    { provider, dependsOn: [guardBinding] },
).metadata.name;
