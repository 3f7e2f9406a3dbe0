import type { ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { validateTyped } from "../typed";
import type { DaemonSetArgs, DeploymentArgs } from "@pulumi/kubernetes/apps/v1";
import { baseline } from "../controls";

const deployment = "kubernetes:apps/v1:Deployment";
const daemonSet = "kubernetes:apps/v1:DaemonSet";

/** True when an IntOrString budget (2, "0", "25%") is zero pods. */
function isZero(value: unknown): boolean {
    return /^0+(\.0+)?%?$/.test(String(value).trim());
}

export const k8sNoRecreateStrategy: ResourceValidationPolicy = {
    name: "k8s-no-recreate-strategy",
    description: "Kubernetes Deployments must roll out with `strategy.type: RollingUpdate` (the default), never Recreate, which stops every pod before starting new ones.",
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
    remediationSteps: 'Set `strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } }` (DaemonSets: `updateStrategy.rollingUpdate`).',
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
