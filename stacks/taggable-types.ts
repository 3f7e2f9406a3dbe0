/**
 * Where each resource type carries cost-allocation tags, by type token.
 *
 * Kept by hand, and held to the provider SDKs by stacks/cost-tags.test.ts: the
 * test fails when a type the project creates has a `tags` / `labels` /
 * `resourceLabels` / `metadata` input that is missing here, or when a field
 * named here is not in the type's `*Args`.
 */

/** The cloud whose tagging rules (characters, lengths) apply. */
export type TagDialect = "aws" | "alicloud" | "gcp" | "kubernetes";

export type TagField =
    /** A `{ [key]: value }` map named `tags` (AWS, Alibaba Cloud). */
    | "tags"
    /** The AWS autoscaling group's list of `{ key, value, propagateAtLaunch }`. */
    | "tags-list"
    /** A GCP label map. */
    | "labels"
    /** The GKE cluster's label map (its `labels` do not exist; `resourceLabels` reach the nodes too). */
    | "resourceLabels"
    /** A Kubernetes object's `metadata.labels`. */
    | "metadata.labels";

export interface TagPlacement {
    dialect: TagDialect;
    field: TagField;
}

const aws = (field: TagField = "tags"): TagPlacement => ({ dialect: "aws", field });
const alicloud: TagPlacement = { dialect: "alicloud", field: "tags" };
const gcp = (field: TagField = "labels"): TagPlacement => ({ dialect: "gcp", field });

export const taggableTypes: Record<string, TagPlacement> = {
    "aws:appautoscaling/target:Target": aws(),
    "aws:autoscaling/group:Group": aws("tags-list"),
    "aws:cloudwatch/logGroup:LogGroup": aws(),
    "aws:ebs/volume:Volume": aws(),
    "aws:ec2/eip:Eip": aws(),
    "aws:ec2/flowLog:FlowLog": aws(),
    "aws:ec2/instance:Instance": aws(),
    "aws:ec2/internetGateway:InternetGateway": aws(),
    "aws:ec2/launchTemplate:LaunchTemplate": aws(),
    "aws:ec2/natGateway:NatGateway": aws(),
    "aws:ec2/routeTable:RouteTable": aws(),
    "aws:ec2/securityGroup:SecurityGroup": aws(),
    "aws:ec2/subnet:Subnet": aws(),
    "aws:ec2/vpc:Vpc": aws(),
    "aws:ecs/capacityProvider:CapacityProvider": aws(),
    "aws:ecs/cluster:Cluster": aws(),
    "aws:ecs/service:Service": aws(),
    "aws:ecs/taskDefinition:TaskDefinition": aws(),
    "aws:efs/accessPoint:AccessPoint": aws(),
    "aws:efs/fileSystem:FileSystem": aws(),
    "aws:iam/instanceProfile:InstanceProfile": aws(),
    "aws:iam/role:Role": aws(),
    "aws:kms/key:Key": aws(),
    "aws:lb/listener:Listener": aws(),
    "aws:lb/listenerRule:ListenerRule": aws(),
    "aws:lb/loadBalancer:LoadBalancer": aws(),
    "aws:lb/targetGroup:TargetGroup": aws(),
    "aws:s3/bucket:Bucket": aws(),
    "aws:secretsmanager/secret:Secret": aws(),
    "aws:ssm/parameter:Parameter": aws(),

    "alicloud:alb/listener:Listener": alicloud,
    "alicloud:alb/loadBalancer:LoadBalancer": alicloud,
    "alicloud:alb/serverGroup:ServerGroup": alicloud,
    "alicloud:cs/managedKubernetes:ManagedKubernetes": alicloud,
    "alicloud:cs/nodePool:NodePool": alicloud,
    "alicloud:ecs/eipAddress:EipAddress": alicloud,
    "alicloud:ecs/instance:Instance": alicloud,
    "alicloud:ecs/securityGroup:SecurityGroup": alicloud,
    "alicloud:ess/scalingConfiguration:ScalingConfiguration": alicloud,
    "alicloud:ess/scalingGroup:ScalingGroup": alicloud,
    "alicloud:hbr/vault:Vault": alicloud,
    "alicloud:kms/key:Key": alicloud,
    "alicloud:kms/secret:Secret": alicloud,
    "alicloud:log/project:Project": alicloud,
    "alicloud:nas/fileSystem:FileSystem": alicloud,
    "alicloud:ram/policy:Policy": alicloud,
    "alicloud:ram/role:Role": alicloud,
    "alicloud:vpc/flowLog:FlowLog": alicloud,
    "alicloud:vpc/natGateway:NatGateway": alicloud,
    "alicloud:vpc/network:Network": alicloud,
    "alicloud:vpc/switch:Switch": alicloud,

    "gcp:backupdisasterrecovery/backupVault:BackupVault": gcp(),
    "gcp:compute/disk:Disk": gcp(),
    "gcp:compute/globalAddress:GlobalAddress": gcp(),
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": gcp(),
    "gcp:compute/instance:Instance": gcp(),
    "gcp:compute/instanceTemplate:InstanceTemplate": gcp(),
    "gcp:container/cluster:Cluster": gcp("resourceLabels"),
    "gcp:filestore/instance:Instance": gcp(),
    "gcp:secretmanager/secret:Secret": gcp(),
};

/**
 * Every Kubernetes object has `metadata.labels`; only list wrappers and Helm
 * releases (which are not objects of the cluster) do not.
 */
function kubernetesPlacement(type: string): TagPlacement | undefined {
    if (!type.startsWith("kubernetes:") || type.startsWith("kubernetes:helm.sh/")) return undefined;
    if (type.endsWith("List")) return undefined;
    return { dialect: "kubernetes", field: "metadata.labels" };
}

/** Where a custom resource of this type carries tags, or undefined when it cannot. */
export function tagPlacement(type: string): TagPlacement | undefined {
    return taggableTypes[type] ?? kubernetesPlacement(type);
}
