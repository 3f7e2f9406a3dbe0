/**
 * The private cloud is applied from inside it: a hosted runner cannot reach its
 * API server, so the stacks placed there (clouds include `onprem`) are applied
 * by the Pulumi Kubernetes Operator (v2) running in that cluster, one `Stack`
 * object each, generated from the stack files; the deploy workflow leaves them
 * out. The Operator follows `main`, refreshes and re-applies each stack on its
 * resync period (which is also how drift on the private cloud is found and put
 * right), and runs every update in a workspace pod whose image is the CLI the
 * SDK was released with.
 *
 * Credentials: the stack's Pulumi ESC environment (`spec.environment`) and a
 * Pulumi access token from a Secret. Policies: the Stack spec has no field for a
 * policy pack; Pulumi Cloud's policy group for these stacks enforces the pack
 * (`pulumi policy publish` then enable it in the group) on every Operator run,
 * and the annotation records which pack that is.
 */
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dependencies, privateClouds, readStacks } from "../../tools/affected-stacks";

const config = new pulumi.Config();
const repository = config.require("repository");
const branch = config.require("branch");
const organization = config.require("organization");
const namespace = config.require("namespace");
const policyPack = config.require("policyPack");
const escPrefix = config.require("escEnvironmentPrefix");
const annotationDomain = `multicloud.${config.require("companyDomain")}`;
const resyncSeconds = config.requireNumber("resyncFrequencySeconds");
const kubeconfig = config.getSecret("kubeconfig");

/** The workspace runs the CLI release that matches the SDK this project is built with. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cliVersion: string = require("@pulumi/pulumi/package.json").version;
export const workspaceImage = `pulumi/pulumi:${cliVersion}-nonroot`;

const repoRoot = path.resolve(__dirname, "..", "..");
const all = readStacks(repoRoot);
const stacks = all.filter((s) => s.clouds.some((c) => privateClouds.includes(c)));
const dependsOn = dependencies(all);
const operated = new Set(stacks.map((s) => s.name));

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

export const gitopsStacks = stacks.map((stack) => {
    const object = new k8s.apiextensions.CustomResource(
        stack.name,
        {
            apiVersion: "pulumi.com/v1",
            kind: "Stack",
            metadata: {
                name: stack.name,
                namespace,
                labels: {
                    "app.kubernetes.io/managed-by": "pulumi",
                    "app.kubernetes.io/part-of": "multicloud",
                    [`${annotationDomain}/workload`]: stack.workload ?? "unknown",
                    [`${annotationDomain}/environment`]: stack.environment ?? "unknown",
                },
                annotations: {
                    [`${annotationDomain}/policy-pack`]: `${organization}/${policyPack}`,
                },
            },
            spec: {
                stack: `${organization}/multicloud/${stack.name}`,
                projectRepo: repository,
                branch,
                shallow: true,
                serviceAccountName: serviceAccount.metadata.name,
                environment: [`${escPrefix}/${stack.environment ?? stack.name}`],
                envRefs: {
                    PULUMI_ACCESS_TOKEN: { type: "Secret", secret: { name: "pulumi-api-secret", key: "accessToken" } },
                },
                workspaceTemplate: { spec: { image: workspaceImage } },
                refresh: true,
                continueResyncOnCommitMatch: true,
                resyncFrequencySeconds: resyncSeconds,
                destroyOnFinalize: false,
                // Only Stack objects can be prerequisites; stacks applied by the deploy workflow are read at their last update.
                prerequisites: [...(dependsOn.get(stack.name) ?? [])]
                    .filter((name) => operated.has(name))
                    .sort()
                    .map((name) => ({ name })),
            },
        },
        { provider, protect: stack.environment === "prod", dependsOn: [authDelegator] },
    );
    return object.metadata.name;
});
