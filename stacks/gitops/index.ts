/**
 * The GitOps path: one Pulumi Kubernetes Operator `Stack` object per stack of
 * the multicloud project, generated from its stack files, so adding a stack file
 * adds its GitOps object. The operator follows `main` and runs `pulumi up` for
 * each stack in a workspace pod; `prerequisites` keep the dependency order (the
 * partner gateway after the backend).
 *
 * The operator's Stack spec has no field for a policy pack or an ESC
 * environment: the pack is enforced by the organization's policy group (publish
 * it with `pulumi policy publish`), and each stack file imports its ESC
 * environment (`environment: [multicloud/<env>]`). The annotations below record
 * both so the object says what governs it.
 */
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dependencies, readStacks } from "../../tools/affected-stacks";

const config = new pulumi.Config();
const repository = config.require("repository");
const branch = config.require("branch");
const organization = config.require("organization");
const namespace = config.require("namespace");
const policyPack = config.require("policyPack");
const escPrefix = config.require("escEnvironmentPrefix");
const kubeconfig = config.getSecret("kubeconfig");

const repoRoot = path.resolve(__dirname, "..", "..");
const stacks = readStacks(repoRoot);
const dependsOn = dependencies(stacks);

/** The private cloud's cluster, named explicitly so nothing lands on an ambient context by accident. */
const provider = new k8s.Provider("private-cloud", {
    kubeconfig,
    context: config.get("kubeContext"),
    namespace,
});

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
                    workload: stack.workload ?? "unknown",
                    environment: stack.environment ?? "unknown",
                },
                annotations: {
                    "multicloud.pulumi.com/policy-pack": policyPack,
                    "multicloud.pulumi.com/esc-environment": `${escPrefix}/${stack.environment ?? stack.name}`,
                },
            },
            spec: {
                stack: `${organization}/multicloud/${stack.name}`,
                projectRepo: repository,
                branch,
                shallow: true,
                serviceAccountName: "pulumi",
                envRefs: {
                    PULUMI_ACCESS_TOKEN: { type: "Secret", secret: { name: "pulumi-api-secret", key: "accessToken" } },
                },
                refresh: true,
                destroyOnFinalize: false,
                resyncFrequencySeconds: 300,
                prerequisites: [...(dependsOn.get(stack.name) ?? [])].sort().map((name) => ({ name })),
            },
        },
        { provider, protect: stack.environment === "prod" },
    );
    return object.metadata.name;
});
