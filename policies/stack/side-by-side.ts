/**
 * Rollouts that can run two versions side by side, in every environment. A
 * rollout replaces hosts one batch at a time and a rollback does the same in
 * reverse: for a while old and new versions serve together. A group of one host
 * never shows that, and a group in one zone loses everything with the zone. A
 * test environment that runs single hosts therefore tests neither a roll-forward
 * nor a rollback problem; this policy has no relaxation for dev.
 */
import type { ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import type { TargetArgs } from "@pulumi/aws/appautoscaling";
import type { GroupArgs } from "@pulumi/aws/autoscaling";
import type { ServiceArgs } from "@pulumi/aws/ecs";
import type { ScalingGroupArgs } from "@pulumi/alicloud/ess";
import type { AutoscalerArgs, InstanceGroupManagerArgs, RegionAutoscalerArgs, RegionInstanceGroupManagerArgs } from "@pulumi/gcp/compute";
import type { DeploymentArgs, StatefulSetArgs } from "@pulumi/kubernetes/apps/v1";
import type { HorizontalPodAutoscalerArgs } from "@pulumi/kubernetes/autoscaling/v2";
import { baseline, cites } from "../controls";
import { validateTyped } from "../typed";

const asg = "aws:autoscaling/group:Group";
const ecsService = "aws:ecs/service:Service";
const scalingTarget = "aws:appautoscaling/target:Target";
const regionalMig = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager";
const zonalMig = "gcp:compute/instanceGroupManager:InstanceGroupManager";
const regionAutoscaler = "gcp:compute/regionAutoscaler:RegionAutoscaler";
const zonalAutoscaler = "gcp:compute/autoscaler:Autoscaler";
const essGroup = "alicloud:ess/scalingGroup:ScalingGroup";
const deployment = "kubernetes:apps/v1:Deployment";
const statefulSet = "kubernetes:apps/v1:StatefulSet";
const hpaTypes = [
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    "kubernetes:autoscaling/v2beta2:HorizontalPodAutoscaler",
    "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
];

const zoneKey = "topology.kubernetes.io/zone";
const fewest = 2;

/** Reports a group that may shrink below two: `count` is what `field` sets, undefined when it is left out with no default. */
function tooFew(what: string, count: number | undefined, field: string, reportViolation: ReportViolation): void {
    if (count !== undefined && count >= fewest) return;
    const keeps = count === undefined ? `sets no \`${field}\`` : `keeps as few as ${count} (\`${field}\`)`;
    reportViolation(`The ${what} ${keeps}: with fewer than ${fewest}, old and new versions never run side by side in a rollout or rollback.`);
}

type PodSpread = { spec?: { template?: { spec?: { topologySpreadConstraints?: unknown[]; affinity?: unknown } } } };

/** Pods are held to two zones or more: a zone spread that refuses to schedule otherwise, or a required anti-affinity across zones. */
function spreadsOverZones(props: PodSpread): boolean {
    const pod = props.spec?.template?.spec;
    const spread = ((pod?.topologySpreadConstraints ?? []) as { topologyKey?: string; whenUnsatisfiable?: string; minDomains?: number }[]).some(
        (c) => c.topologyKey === zoneKey && c.whenUnsatisfiable === "DoNotSchedule" && (c.minDomains ?? 1) >= fewest,
    );
    const affinity = pod?.affinity as { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { topologyKey?: string }[] } } | undefined;
    const antiAffinity = (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some((t) => t.topologyKey === zoneKey);
    return spread || antiAffinity;
}

function judgePods(kind: string, props: PodSpread & { spec?: { replicas?: number } }, reportViolation: ReportViolation): void {
    // Kubernetes runs one replica when `replicas` is left out.
    tooFew(kind, props.spec?.replicas ?? 1, "spec.replicas", reportViolation);
    if (!spreadsOverZones(props)) {
        reportViolation(
            `The ${kind}'s pods are not held to two zones: add a topology spread on ${zoneKey} with \`whenUnsatisfiable: DoNotSchedule\` and \`minDomains\` of 2 or more.`,
        );
    }
}

export const rolloutSideBySide: ResourceValidationPolicy = {
    name: "rollout-side-by-side",
    description:
        "Every rolled-out group keeps at least two hosts or replicas across at least two zones, in every environment, so a rollout or rollback runs old and new versions side by side as in prod: " +
        "autoscaling groups, ECS services and their scaling targets, GCP instance groups and autoscalers, ESS scaling groups, Kubernetes Deployments, StatefulSets and HorizontalPodAutoscalers.",
    severity: "medium",
    framework: baseline(
        "rollout-side-by-side",
        "Test deploys like prod: every rolled-out group runs two hosts or more in two zones or more, so versions meet in every environment.",
    ),
    remediationSteps:
        "Raise the minimum and the first count to 2 (`minSize`/`desiredSize`, `minCount`/`desiredCount`, `replicas`) and spread over two zones or more: subnets or vSwitches in two zones, a regional instance group, a zone topology spread with `minDomains: 2`.",
    url: "https://aws.amazon.com/builders-library/ensuring-rollback-safety-during-deployments/",
    tags: [
        "reliability",
        "rollout",
        ...cites({ control: "aws-securityhub:AutoScaling.2", types: [asg] }),
        ...[asg, ecsService, scalingTarget, regionalMig, zonalMig, regionAutoscaler, zonalAutoscaler, essGroup, deployment, statefulSet, ...hpaTypes].map(
            (t) => `type:${t}`,
        ),
    ],
    validateResource: [
        validateTyped<GroupArgs>(asg, (props, _args, reportViolation) => {
            tooFew("autoscaling group", props.minSize, "minSize", reportViolation);
            const zones = Math.max(new Set(props.availabilityZones ?? []).size, (props.vpcZoneIdentifiers ?? []).length);
            if (zones < fewest) reportViolation("The autoscaling group runs in one availability zone: give it a subnet in each of two zones or more.");
        }),
        validateTyped<ServiceArgs>(ecsService, (props, _args, reportViolation) => {
            if (props.schedulingStrategy === "DAEMON") return;
            // ECS starts no task when `desiredCount` is left out.
            tooFew("ECS service", props.desiredCount ?? 0, "desiredCount", reportViolation);
            const subnets = props.networkConfiguration?.subnets;
            if (subnets !== undefined && subnets.length < fewest)
                reportViolation("The ECS service's tasks run in one subnet, so one availability zone: give it a subnet in each of two zones or more.");
        }),
        validateTyped<TargetArgs>(scalingTarget, (props, _args, reportViolation) => {
            if (props.scalableDimension !== "ecs:service:DesiredCount") return;
            tooFew("ECS service's scaling target", props.minCapacity, "minCapacity", reportViolation);
        }),
        validateTyped<RegionInstanceGroupManagerArgs>(regionalMig, (props, _args, reportViolation) => {
            if (props.targetSize !== undefined) tooFew("instance group", props.targetSize, "targetSize", reportViolation);
            const zones = props.distributionPolicyZones;
            if (zones !== undefined && new Set(zones).size < fewest)
                reportViolation("The instance group is distributed over one zone: list two zones or more in `distributionPolicyZones`.");
        }),
        validateTyped<InstanceGroupManagerArgs>(zonalMig, (_props, _args, reportViolation) => {
            reportViolation("A zonal instance group runs in one zone: use a regional instance group (RegionInstanceGroupManager) over two zones or more.");
        }),
        validateTyped<RegionAutoscalerArgs | AutoscalerArgs>([regionAutoscaler, zonalAutoscaler], (props, _args, reportViolation) => {
            tooFew("autoscaler", props.autoscalingPolicy?.minReplicas, "autoscalingPolicy.minReplicas", reportViolation);
        }),
        validateTyped<ScalingGroupArgs>(essGroup, (props, _args, reportViolation) => {
            tooFew("scaling group", props.minSize, "minSize", reportViolation);
            if ((props.vswitchIds ?? []).length < fewest)
                reportViolation("The scaling group runs in one vSwitch, so one zone: give it a vSwitch in each of two zones or more (`vswitchIds`).");
        }),
        validateTyped<DeploymentArgs>(deployment, (props, _args, reportViolation) => judgePods("Deployment", props, reportViolation)),
        validateTyped<StatefulSetArgs>(statefulSet, (props, _args, reportViolation) => judgePods("StatefulSet", props, reportViolation)),
        validateTyped<HorizontalPodAutoscalerArgs>(hpaTypes, (props, _args, reportViolation) => {
            // Kubernetes keeps one replica at least when `minReplicas` is left out.
            tooFew("HorizontalPodAutoscaler", props.spec?.minReplicas ?? 1, "spec.minReplicas", reportViolation);
        }),
    ],
};
