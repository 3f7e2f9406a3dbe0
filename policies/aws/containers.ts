/**
 * ECS services, task definitions and clusters. Container definitions are a JSON
 * string in the provider's inputs: they are parsed and judged like any other field.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { baseline, cites, framework } from "../controls";
import { validateTyped, type Plain } from "../typed";
import type { ClusterArgs, ContainerDefinition, ServiceArgs, TaskDefinitionArgs } from "@pulumi/aws/ecs";

const service = "aws:ecs/service:Service";
const taskDefinition = "aws:ecs/taskDefinition:TaskDefinition";

/** Rolling deployments (the ECS controller, the default) of replica services. */
const isRollingReplicaService = (props: Plain<ServiceArgs>): boolean =>
    (props.deploymentController?.type ?? "ECS") === "ECS" && (props.schedulingStrategy ?? "REPLICA") === "REPLICA";

/** The container definitions of a task definition, parsed; a string that is not a JSON list is reported. */
function containersOf(raw: unknown): { containers: Plain<ContainerDefinition>[] } | { error: string } {
    let value = raw;
    if (typeof raw === "string") {
        try {
            value = JSON.parse(raw);
        } catch {
            return { error: "`containerDefinitions` is not valid JSON, so its containers cannot be checked." };
        }
    }
    if (!Array.isArray(value)) return { error: "`containerDefinitions` is not a list of containers." };
    return { containers: value as Plain<ContainerDefinition>[] };
}

const nameOf = (c: Plain<ContainerDefinition>, i: number) => (typeof c.name === "string" && c.name ? c.name : `#${i + 1}`);

export const ecsServiceCircuitBreaker: ResourceValidationPolicy = {
    name: "aws-ecs-service-deployment-circuit-breaker",
    description:
        "ECS services deployed by the ECS controller must turn the deployment circuit breaker on with rollback (`deploymentCircuitBreaker: { enable: true, rollback: true }`), so a failing release rolls itself back.",
    severity: "medium",
    framework: baseline("aws-ecs-service-deployment-circuit-breaker", "Failed deployments roll back automatically."),
    remediationSteps: "Set `deploymentCircuitBreaker: { enable: true, rollback: true }` on the aws.ecs.Service.",
    url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html",
    tags: ["aws", "containers", "reliability", `type:${service}`],
    validateResource: validateTyped<ServiceArgs>(service, (props, _args, reportViolation) => {
        if ((props.deploymentController?.type ?? "ECS") !== "ECS") return;
        const cb = props.deploymentCircuitBreaker;
        if (cb?.enable !== true) reportViolation("The service has no deployment circuit breaker.");
        else if (!cb.rollback) reportViolation("The deployment circuit breaker stops a failed deployment but does not roll it back.");
    }),
};

export const ecsServiceMinimumHealthyPercent: ResourceValidationPolicy = {
    name: "aws-ecs-service-minimum-healthy-percent",
    description:
        "Replica ECS services must keep at least `minimumHealthyPercent` (default 100) of their tasks running during a deployment (`deploymentMinimumHealthyPercent`, 100 when left out); 0 stops the whole service, so the setting cannot go below 1.",
    severity: "high",
    framework: baseline("aws-ecs-service-minimum-healthy-percent", "Deployments keep serving capacity."),
    remediationSteps: "Set `deploymentMinimumHealthyPercent: 100` (and `deploymentMaximumPercent: 200`) on the aws.ecs.Service.",
    url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html",
    tags: ["aws", "containers", "reliability", `type:${service}`],
    configSchema: {
        properties: {
            minimumHealthyPercent: {
                type: "integer",
                minimum: 1,
                maximum: 100,
                default: 100,
                description: "Lowest share of tasks a deployment may keep running (dev may lower it, never to 0).",
            },
        },
    },
    validateResource: validateTyped<ServiceArgs>(service, (props, args, reportViolation) => {
        if (!isRollingReplicaService(props)) return;
        const minimumHealthyPercent = args.getConfig<{ minimumHealthyPercent?: number }>().minimumHealthyPercent ?? 100;
        const kept = props.deploymentMinimumHealthyPercent ?? 100;
        if (kept < Math.max(1, minimumHealthyPercent))
            reportViolation(`Deployments may drop to ${kept}% of the tasks; at least ${minimumHealthyPercent}% is required.`);
    }),
};

export const ecsServiceMaximumPercent: ResourceValidationPolicy = {
    name: "aws-ecs-service-maximum-percent",
    description:
        "Replica ECS services must let a deployment start new tasks before stopping old ones: `deploymentMaximumPercent` above 100 (200 when left out).",
    severity: "medium",
    framework: baseline("aws-ecs-service-maximum-percent", "Deployments add capacity before removing it."),
    remediationSteps: "Set `deploymentMaximumPercent: 200` on the aws.ecs.Service.",
    url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html",
    tags: ["aws", "containers", "reliability", `type:${service}`],
    validateResource: validateTyped<ServiceArgs>(service, (props, _args, reportViolation) => {
        if (!isRollingReplicaService(props)) return;
        const max = props.deploymentMaximumPercent ?? 200;
        if (max <= 100) reportViolation(`deploymentMaximumPercent is ${max}: a deployment must stop tasks before it can start new ones.`);
    }),
};

export const ecsTaskNoPrivilegedContainers: ResourceValidationPolicy = {
    name: "aws-ecs-task-no-privileged-containers",
    description: "No container of an ECS task definition may run privileged (`privileged: true` in `containerDefinitions`).",
    severity: "high",
    framework: framework("aws-securityhub:ECS.4"),
    remediationSteps:
        "Remove `privileged: true` from the container definition; add only the Linux capabilities the container needs (`linuxParameters.capabilities.add`).",
    url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security",
    tags: ["aws", "containers", ...cites("aws-securityhub:ECS.4"), `type:${taskDefinition}`],
    validateResource: validateTyped<TaskDefinitionArgs>(taskDefinition, (props, _args, reportViolation) => {
        const parsed = containersOf(props.containerDefinitions);
        if ("error" in parsed) return reportViolation(parsed.error);
        parsed.containers.forEach((c, i) => {
            if (c?.privileged === true) reportViolation(`Container ${nameOf(c, i)} runs privileged.`);
        });
    }),
};

export const ecsTaskLogging: ResourceValidationPolicy = {
    name: "aws-ecs-task-logging",
    description: "Every container of an ECS task definition must send its logs somewhere (`logConfiguration.logDriver`, e.g. awslogs or awsfirelens).",
    severity: "medium",
    framework: framework("aws-securityhub:ECS.9"),
    remediationSteps:
        'Add `logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": ..., "awslogs-region": ..., "awslogs-stream-prefix": ... } }` to each container.',
    url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html",
    tags: ["aws", "containers", "logging", ...cites("aws-securityhub:ECS.9"), `type:${taskDefinition}`],
    validateResource: validateTyped<TaskDefinitionArgs>(taskDefinition, (props, _args, reportViolation) => {
        const parsed = containersOf(props.containerDefinitions);
        if ("error" in parsed) return reportViolation(parsed.error);
        parsed.containers.forEach((c, i) => {
            if (!c?.logConfiguration?.logDriver) reportViolation(`Container ${nameOf(c, i)} has no log configuration.`);
        });
    }),
};

export const ecsClusterContainerInsights: ResourceValidationPolicy = {
    name: "aws-ecs-cluster-container-insights",
    description:
        'ECS clusters must turn Container Insights on (`settings: [{ name: "containerInsights", value: "enabled" }]`, or "enhanced"); it is off when left out.',
    severity: "low",
    framework: framework("aws-securityhub:ECS.12"),
    remediationSteps: 'Add `settings: [{ name: "containerInsights", value: "enhanced" }]` to the aws.ecs.Cluster.',
    url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights.html",
    tags: [
        "aws",
        "containers",
        "observability",
        ...cites("aws-securityhub:ECS.12", "checkov:CKV_AWS_65", "tfsec:aws-ecs-enable-container-insight"),
        "type:aws:ecs/cluster:Cluster",
    ],
    validateResource: validateTyped<ClusterArgs>("aws:ecs/cluster:Cluster", (props, _args, reportViolation) => {
        const on = (props.settings ?? []).some((s) => s.name === "containerInsights" && ["enabled", "enhanced"].includes(s.value));
        if (!on) reportViolation("Container Insights is off for the cluster.");
    }),
};
