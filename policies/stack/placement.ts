import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { coverageTags, providers } from "../catalog/catalog";
import { readTags, tagPlacement, taggableTypes } from "../catalog/tags";
import { cloudIds, cloudOfType, inClusterCloud, kubeconfigHints, managedClusterTypes, type Cloud } from "../catalog/clouds";
import { isKubernetesObject, known, readKnown } from "./resources";
import { baseline } from "../controls";

/** Each workload's home cloud first, then the clouds it may also run on (active-active). */
export const defaultPlacement: Record<string, Cloud[]> = {
    transactional: ["aws", "gcp", "alicloud"],
    analytics: ["gcp", "alicloud"],
    backend: ["alicloud", "aws", "gcp"],
    partner: ["onprem"],
};

/**
 * Every placement the defaults admit: each allowed cloud alone, and each pair of
 * them active-active. docs/placement.md lists these, and a test plans each one in dev and prod.
 */
export function placementsOf(workload: string, placement: Record<string, Cloud[]> = defaultPlacement): Cloud[][] {
    const allowed = placement[workload] ?? [];
    const pairs = allowed.flatMap((first, i) => allowed.slice(i + 1).map((second) => [first, second]));
    return [...allowed.map((cloud) => [cloud]), ...pairs];
}

/** Why a workload is held to its clouds, for the violation message. */
export const defaultPlacementReasons: Record<string, string> = {
    analytics: "its change-data-capture converters run on Kubernetes (GKE, ACK); the AWS kit runs container services on ECS and has no Kubernetes path",
    partner:
        "partner connections to banks must stay on the private cloud (onprem): the banks admit only our private ranges and the contracts keep their data out of public clouds",
};

/**
 * The cloud a resource runs on: a public cloud's resource by its package; a
 * Kubernetes object by its cluster, which is a managed cluster when the object
 * or its provider depends on one, and otherwise the private cloud. Undefined
 * when that cannot be known in this preview (a kubeconfig still unknown).
 */
export function cloudOf(resource: PolicyResource, byUrn: Map<string, PolicyResource>): Cloud | undefined {
    const own = cloudOfType(resource.type);
    if (own) return own;
    if (!isKubernetesObject(resource.type)) return undefined;
    const provider = resource.provider ? byUrn.get(resource.provider.urn) : undefined;
    for (const dep of [...resource.dependencies, ...(provider?.dependencies ?? [])]) {
        if (managedClusterTypes[dep.type]) return managedClusterTypes[dep.type];
    }
    const props = resource.provider?.props ?? {};
    const cluster = inClusterCloud(resource.type.split(":")[0]);
    if (!("kubeconfig" in props)) return cluster;
    const kubeconfig = known(() => props.kubeconfig);
    if (kubeconfig === undefined) return undefined;
    const text = typeof kubeconfig === "string" ? kubeconfig : JSON.stringify(kubeconfig);
    return kubeconfigHints.find(([hint]) => hint.test(text))?.[1] ?? cluster;
}

export const workloadPlacement: StackValidationPolicy = {
    name: "workload-placement",
    description:
        "Each workload runs only on its allowed clouds (configuration `placement`: transactional and backend on AWS, GCP and Alibaba Cloud, analytics on GCP and Alibaba Cloud, partner only on the private cloud), read from each resource's `workload` tag or label.",
    severity: "critical",
    framework: baseline("workload-placement", "Workloads run only where their contracts and data rules allow."),
    remediationSteps:
        "Change the stack's `multicloud:clouds` to clouds allowed for its workload; to allow a new active-active cloud, add it to this policy's `placement` after review. Never move the partner workload off the private cloud.",
    url: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/core-concepts/#stack-validation-policies",
    tags: [...providers, "placement", ...coverageTags(providers.flatMap(taggableTypes))],
    configSchema: {
        properties: {
            placement: {
                type: "object",
                description: `Allowed clouds (${cloudIds.join(", ")}) per workload.`,
                additionalProperties: { type: "array", items: { type: "string", enum: cloudIds } },
                default: defaultPlacement,
            },
            reasons: {
                type: "object",
                description: "Why a workload is held to its clouds, quoted in the violation.",
                additionalProperties: { type: "string" },
                default: defaultPlacementReasons,
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<{ placement?: Record<string, Cloud[]>; reasons?: Record<string, string> }>();
        const placement = config.placement ?? defaultPlacement;
        const reasons = { ...defaultPlacementReasons, ...config.reasons };
        const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
        for (const resource of args.resources) {
            const where = tagPlacement(resource.type);
            if (!where) continue;
            const workload = readTags(where, resource.props, (object, key) => readKnown(() => object[key]))?.get("workload");
            if (typeof workload !== "string" || !workload) continue;
            const cloud = cloudOf(resource, byUrn);
            if (!cloud) continue;
            const allowed = placement[workload];
            if (!allowed) {
                reportViolation(`Workload "${workload}" has no placement: add it to the policy's \`placement\` with its allowed clouds.`, resource.urn);
            } else if (!allowed.includes(cloud)) {
                const why = reasons[workload] ? `: ${reasons[workload]}` : "";
                reportViolation(`Workload "${workload}" must not run on ${cloud} (allowed: ${allowed.join(", ")})${why}.`, resource.urn);
            }
        }
    },
};
