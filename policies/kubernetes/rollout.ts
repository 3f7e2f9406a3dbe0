import type { ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { validateTyped } from "../typed";
import type { DaemonSetArgs, DeploymentArgs, StatefulSetArgs } from "@pulumi/kubernetes/apps/v1";
import { baseline } from "../controls";

const deployment = "kubernetes:apps/v1:Deployment";
const daemonSet = "kubernetes:apps/v1:DaemonSet";
const statefulSet = "kubernetes:apps/v1:StatefulSet";

/** The Pulumi Kubernetes provider's page on the annotations it reads. */
const annotationsUrl = "https://www.pulumi.com/registry/packages/kubernetes/installation-configuration/";

/** True when an IntOrString budget (2, "0", "25%") is zero pods. */
function isZero(value: unknown): boolean {
    return /^0+(\.0+)?%?$/.test(String(value).trim());
}

export const k8sNoRecreateStrategy: ResourceValidationPolicy = {
    name: "k8s-no-recreate-strategy",
    description:
        "Kubernetes Deployments must roll out with `strategy.type: RollingUpdate` (the default), never Recreate, which stops every pod before starting new ones.",
    severity: "high",
    framework: baseline("k8s-no-recreate-strategy", "A rollout never takes the whole workload down."),
    remediationSteps: 'Remove `strategy: { type: "Recreate" }`; if two versions must not run together, use a blue/green switch instead.',
    url: "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy",
    tags: ["kubernetes", "reliability", `type:${deployment}`],
    validateResource: validateTyped<DeploymentArgs>(deployment, (props, _args, reportViolation) => {
        if (props.spec?.strategy?.type === "Recreate") reportViolation("The Deployment uses the Recreate strategy.");
    }),
};

function judgeRollingUpdate(maxUnavailable: number | string, maxSurge: number | string, reportViolation: ReportViolation): void {
    if (!isZero(maxUnavailable)) reportViolation(`A rollout may take pods away (maxUnavailable ${maxUnavailable}); set it to 0.`);
    else if (isZero(maxSurge)) reportViolation("maxUnavailable and maxSurge are both 0: the rollout cannot progress.");
}

export const k8sRollingUpdateKeepsCapacity: ResourceValidationPolicy = {
    name: "k8s-rolling-update-keeps-capacity",
    description:
        "Kubernetes Deployments and DaemonSets must roll out without losing capacity, in every environment: `rollingUpdate.maxUnavailable: 0` and a `maxSurge` above 0 (the defaults, 25% and 1, take pods away).",
    severity: "medium",
    framework: baseline("k8s-rolling-update-keeps-capacity", "Rolling updates surge new pods before old ones go."),
    remediationSteps:
        'Set `strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } }` (DaemonSets: `updateStrategy.rollingUpdate`).',
    url: "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment",
    tags: ["kubernetes", "reliability", `type:${deployment}`, `type:${daemonSet}`],
    validateResource: [
        validateTyped<DeploymentArgs>(deployment, (props, _args, reportViolation) => {
            const strategy = props.spec?.strategy;
            // A Deployment's Recreate is k8s-no-recreate-strategy's finding.
            if ((strategy?.type ?? "RollingUpdate") !== "RollingUpdate") return;
            judgeRollingUpdate(strategy?.rollingUpdate?.maxUnavailable ?? "25%", strategy?.rollingUpdate?.maxSurge ?? "25%", reportViolation);
        }),
        validateTyped<DaemonSetArgs>(daemonSet, (props, _args, reportViolation) => {
            const strategy = props.spec?.updateStrategy;
            const type = strategy?.type ?? "RollingUpdate";
            if (type !== "RollingUpdate") return reportViolation(`The DaemonSet updates with ${type}: pods are replaced only when deleted by hand.`);
            judgeRollingUpdate(strategy?.rollingUpdate?.maxUnavailable ?? 1, strategy?.rollingUpdate?.maxSurge ?? 0, reportViolation);
        }),
    ],
};

/** Workloads whose rollout the Kubernetes provider waits for, so that a rollout that fails fails the update. */
const awaitedWorkloads = [deployment, statefulSet, daemonSet];
const skipAwait = "pulumi.com/skipAwait";

export const k8sRolloutAwaited: ResourceValidationPolicy = {
    name: "k8s-rollout-awaited",
    description:
        'Kubernetes Deployments, StatefulSets and DaemonSets must let Pulumi wait for their rollout: no `pulumi.com/skipAwait: "true"` annotation, which ends the update before the new pods are ready, so a rollout that fails leaves the update green and nothing reverts it.',
    severity: "high",
    framework: baseline("k8s-rollout-awaited", "An update waits for its rollout, so a failed rollout fails the update."),
    remediationSteps:
        'Remove the `pulumi.com/skipAwait` annotation (or set it to "false"); bound a slow rollout with the `customTimeouts` resource option instead.',
    url: annotationsUrl,
    tags: ["kubernetes", "reliability", ...awaitedWorkloads.map((t) => `type:${t}`)],
    validateResource: validateTyped<DeploymentArgs | StatefulSetArgs | DaemonSetArgs>(awaitedWorkloads, (props, args, reportViolation) => {
        // The provider skips its wait for "true" alone: any other value leaves the wait on.
        if (props.metadata?.annotations?.[skipAwait] === "true") {
            reportViolation(`The ${args.type.split(":").pop()} sets ${skipAwait}: "true": the update ends before its rollout does.`);
        }
    }),
};

const deletionPropagation = "pulumi.com/deletionPropagationPolicy";
/** Set by the provider on an object it named: one named in the program keeps its name, so its replacement must delete it first. */
const autonamed = "pulumi.com/autonamed";

export const k8sStatefulSetForegroundDeletion: ResourceValidationPolicy = {
    name: "k8s-statefulset-foreground-deletion",
    description:
        'Kubernetes StatefulSets must be deleted in the foreground, Pulumi\'s default (`pulumi.com/deletionPropagationPolicy` left out or "foreground"): with "orphan" the old pods keep running after the StatefulSet is gone, and with "background" a StatefulSet replaced by deleting it first (a fixed `metadata.name`, or `deleteBeforeReplace`) starts its new pods while the old ones are still stopping.',
    severity: "high",
    framework: baseline("k8s-statefulset-foreground-deletion", "A replaced StatefulSet's old pods have stopped before its new ones start."),
    remediationSteps: 'Remove the `pulumi.com/deletionPropagationPolicy` annotation, or set it to "foreground".',
    url: annotationsUrl,
    tags: ["kubernetes", "reliability", `type:${statefulSet}`],
    validateResource: validateTyped<StatefulSetArgs>(statefulSet, (props, args, reportViolation) => {
        const annotations = props.metadata?.annotations;
        const given = annotations?.[deletionPropagation];
        // The provider reads the value without regard to case, and takes anything but orphan or background as foreground.
        const policy = typeof given === "string" ? given.toLowerCase() : "foreground";
        const deletedFirst = (props.metadata?.name !== undefined && annotations?.[autonamed] !== "true") || args.opts.deleteBeforeReplace === true;
        if (policy === "orphan") {
            reportViolation(
                `The StatefulSet sets ${deletionPropagation}: ${JSON.stringify(given)}: once it is deleted or replaced, its pods keep running, owned by nothing.`,
            );
        } else if (policy === "background" && deletedFirst) {
            reportViolation(
                `The StatefulSet sets ${deletionPropagation}: ${JSON.stringify(given)} and is replaced by deleting it first: its new pods start while the old ones are still stopping.`,
            );
        }
    }),
};
