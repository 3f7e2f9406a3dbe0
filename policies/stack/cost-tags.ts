import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isKubernetesObject, known } from "./resources";

/** How a resource type carries its tags. */
export type TagField =
    /** A `{ key: value }` map named `tags` (AWS, Alibaba Cloud). */
    | "tags"
    /** The AWS autoscaling group's list of `{ key, value, propagateAtLaunch }`. */
    | "tags-list"
    /** A GCP label map. */
    | "labels"
    /** The GKE cluster's label map. */
    | "resourceLabels"
    /** Cloud SQL: `settings.userLabels`. */
    | "settings.userLabels"
    /** A Kubernetes object's `metadata.labels`. */
    | "metadata.labels";

/**
 * Taggable resource types and where their tags live. Types not listed are not
 * judged; every Kubernetes object carries `metadata.labels`. policies/stack/
 * cost-tags.test.ts holds this table to the provider SDKs and to the types the
 * project's own cost-tag transform knows.
 */
export const taggableTypes: Record<string, TagField> = {
    "aws:appautoscaling/target:Target": "tags",
    "aws:autoscaling/group:Group": "tags-list",
    "aws:cloudwatch/logGroup:LogGroup": "tags",
    "aws:dynamodb/table:Table": "tags",
    "aws:ebs/volume:Volume": "tags",
    "aws:ec2/eip:Eip": "tags",
    "aws:ec2/flowLog:FlowLog": "tags",
    "aws:ec2/instance:Instance": "tags",
    "aws:ec2/internetGateway:InternetGateway": "tags",
    "aws:ec2/launchTemplate:LaunchTemplate": "tags",
    "aws:ec2/natGateway:NatGateway": "tags",
    "aws:ec2/routeTable:RouteTable": "tags",
    "aws:ec2/securityGroup:SecurityGroup": "tags",
    "aws:ec2/subnet:Subnet": "tags",
    "aws:ec2/vpc:Vpc": "tags",
    "aws:ecs/capacityProvider:CapacityProvider": "tags",
    "aws:ecs/cluster:Cluster": "tags",
    "aws:ecs/service:Service": "tags",
    "aws:ecs/taskDefinition:TaskDefinition": "tags",
    "aws:efs/accessPoint:AccessPoint": "tags",
    "aws:efs/fileSystem:FileSystem": "tags",
    "aws:eks/cluster:Cluster": "tags",
    "aws:iam/instanceProfile:InstanceProfile": "tags",
    "aws:iam/role:Role": "tags",
    "aws:kms/key:Key": "tags",
    "aws:lb/listener:Listener": "tags",
    "aws:lb/listenerRule:ListenerRule": "tags",
    "aws:lb/loadBalancer:LoadBalancer": "tags",
    "aws:lb/targetGroup:TargetGroup": "tags",
    "aws:rds/cluster:Cluster": "tags",
    "aws:rds/instance:Instance": "tags",
    "aws:s3/bucket:Bucket": "tags",
    "aws:s3/bucketV2:BucketV2": "tags",
    "aws:secretsmanager/secret:Secret": "tags",
    "aws:ssm/parameter:Parameter": "tags",

    "alicloud:alb/listener:Listener": "tags",
    "alicloud:alb/loadBalancer:LoadBalancer": "tags",
    "alicloud:alb/serverGroup:ServerGroup": "tags",
    "alicloud:cs/managedKubernetes:ManagedKubernetes": "tags",
    "alicloud:cs/nodePool:NodePool": "tags",
    "alicloud:ecs/eipAddress:EipAddress": "tags",
    "alicloud:ecs/instance:Instance": "tags",
    "alicloud:ecs/securityGroup:SecurityGroup": "tags",
    "alicloud:ess/scalingConfiguration:ScalingConfiguration": "tags",
    "alicloud:ess/scalingGroup:ScalingGroup": "tags",
    "alicloud:hbr/vault:Vault": "tags",
    "alicloud:kms/key:Key": "tags",
    "alicloud:kms/secret:Secret": "tags",
    "alicloud:log/project:Project": "tags",
    "alicloud:nas/fileSystem:FileSystem": "tags",
    "alicloud:ram/policy:Policy": "tags",
    "alicloud:ram/role:Role": "tags",
    "alicloud:vpc/flowLog:FlowLog": "tags",
    "alicloud:vpc/natGateway:NatGateway": "tags",
    "alicloud:vpc/network:Network": "tags",
    "alicloud:vpc/switch:Switch": "tags",

    "gcp:backupdisasterrecovery/backupVault:BackupVault": "labels",
    "gcp:compute/address:Address": "labels",
    "gcp:compute/disk:Disk": "labels",
    "gcp:compute/forwardingRule:ForwardingRule": "labels",
    "gcp:compute/globalAddress:GlobalAddress": "labels",
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": "labels",
    "gcp:compute/instance:Instance": "labels",
    "gcp:compute/instanceTemplate:InstanceTemplate": "labels",
    "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate": "labels",
    "gcp:container/cluster:Cluster": "resourceLabels",
    "gcp:filestore/instance:Instance": "labels",
    "gcp:kms/cryptoKey:CryptoKey": "labels",
    "gcp:pubsub/topic:Topic": "labels",
    "gcp:secretmanager/secret:Secret": "labels",
    "gcp:sql/databaseInstance:DatabaseInstance": "settings.userLabels",
    "gcp:storage/bucket:Bucket": "labels",
};

/** Where a resource of this type carries tags, or undefined when it is not judged. */
export function tagFieldOf(type: string): TagField | undefined {
    return taggableTypes[type] ?? (isKubernetesObject(type) ? "metadata.labels" : undefined);
}

/** The resource's tags as key -> value (undefined where a value is unknown in this preview). */
export function readTags(field: TagField, props: Record<string, any>): Map<string, string | undefined> {
    const tags = new Map<string, string | undefined>();
    if (field === "tags-list") {
        for (const entry of props.tags ?? []) {
            const key = known(() => entry.key);
            if (typeof key === "string") tags.set(key, known(() => entry.value));
        }
        return tags;
    }
    const map =
        field === "metadata.labels" ? props.metadata?.labels : field === "settings.userLabels" ? props.settings?.userLabels : props[field];
    // Object.keys does not read values, so an unknown value hides only itself.
    for (const key of Object.keys(map ?? {})) tags.set(key, known(() => map[key]));
    return tags;
}

export const defaultCostTagKeys = ["workload", "environment", "cost-center", "managed-by"];

export const costAllocationTags: ResourceValidationPolicy = {
    name: "cost-allocation-tags",
    description:
        "Every taggable resource of AWS, GCP, Alibaba Cloud and Kubernetes carries the cost-allocation keys (workload, environment, cost-center, managed-by) with non-empty values: AWS/Alibaba `tags`, the autoscaling group's tag list, GCP `labels` (`resourceLabels` on GKE), Kubernetes `metadata.labels`.",
    severity: "low",
    framework: { name: "FinOps Framework", version: "2024", reference: "", specification: "Resources carry the metadata that allocates their cost." },
    remediationSteps:
        "Create resources through the stack program (its cost-tag transform adds the keys) or add the missing keys by hand with non-empty values; configure the keys with this policy's `keys`.",
    url: "https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/cost-alloc-tags.html",
    tags: ["aws", "gcp", "alicloud", "kubernetes", "cost", "type:(every taggable type; see policies/stack/cost-tags.ts)"],
    configSchema: {
        properties: {
            keys: {
                type: "array",
                items: { type: "string" },
                default: defaultCostTagKeys,
                description: "Cost-allocation keys every taggable resource carries.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const field = tagFieldOf(args.type);
        if (!field) return;
        const keys = args.getConfig<{ keys?: string[] }>().keys ?? defaultCostTagKeys;
        const tags = readTags(field, args.props);
        const missing = keys.filter((k) => !tags.has(k) || (tags.get(k) !== undefined && String(tags.get(k)).trim() === ""));
        if (missing.length > 0) reportViolation(`Missing or empty cost-allocation ${field === "tags" || field === "tags-list" ? "tags" : "labels"} in \`${field}\`: ${missing.join(", ")}.`);
    },
};
