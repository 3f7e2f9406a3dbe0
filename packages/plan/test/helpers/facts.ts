/**
 * The facts of the clouds the tests plan for, as a project would give them: four
 * clouds (Kubernetes objects run on whichever cluster their provider points at,
 * else on a private cloud), cost tags by workload, environment and cost center,
 * the fixture prices, and which of the tests' types hold data.
 */
import * as path from "node:path";
import type { ProjectFacts } from "../../src/facts";
import type { CostOptions } from "../../src/cost";
import { loadPrices } from "../../src/cost";
import { renderMarkdown as markdown, type MarkdownOptions } from "../../src/markdown";
import type { Plan, ReviewedPlan } from "../../src/model";
import { renderTerminal as terminal, type TerminalOptions } from "../../src/render";
import { reviewPlan as review, type ReviewOptions } from "../../src/review";

const fixtures = path.resolve(__dirname, "..", "fixtures");

/** Where each type the tests use keeps its tags, as a provider's schema says: a path, ending `[]` for a key/value list. */
const tagFields: Record<string, string> = {
    "alicloud:cs/nodePool:NodePool": "tags",
    "alicloud:ess/scalingConfiguration:ScalingConfiguration": "tags",
    "alicloud:ess/scalingGroup:ScalingGroup": "tags",
    "alicloud:kms/key:Key": "tags",
    "alicloud:log/project:Project": "tags",
    "alicloud:nas/fileSystem:FileSystem": "tags",
    "alicloud:oss/bucket:Bucket": "tags",
    "aws:appautoscaling/target:Target": "tags",
    "aws:autoscaling/group:Group": "tags[]",
    "aws:backup/vault:Vault": "tags",
    "aws:ec2/launchTemplate:LaunchTemplate": "tags",
    "aws:ec2/natGateway:NatGateway": "tags",
    "aws:ec2/securityGroup:SecurityGroup": "tags",
    "aws:ec2/subnet:Subnet": "tags",
    "aws:ec2/vpc:Vpc": "tags",
    "aws:ecs/capacityProvider:CapacityProvider": "tags",
    "aws:ecs/service:Service": "tags",
    "aws:ecs/taskDefinition:TaskDefinition": "tags",
    "aws:efs/accessPoint:AccessPoint": "tags",
    "aws:efs/fileSystem:FileSystem": "tags",
    "aws:kms/key:Key": "tags",
    "aws:lb/loadBalancer:LoadBalancer": "tags",
    "aws:s3/bucket:Bucket": "tags",
    "aws:sagemaker/notebookInstance:NotebookInstance": "tags",
    "aws:sqs/queue:Queue": "tags",
    "aws:ssm/parameter:Parameter": "tags",
    "gcp:compute/instanceTemplate:InstanceTemplate": "labels",
    "gcp:compute/regionDisk:RegionDisk": "labels",
    "gcp:container/cluster:Cluster": "resourceLabels",
    "gcp:container/nodePool:NodePool": "nodeConfig.resourceLabels",
    "gcp:filestore/instance:Instance": "labels",
    "gcp:secretmanager/secret:Secret": "labels",
    "gcp:storage/bucket:Bucket": "labels",
    "kubernetes:apps/v1:Deployment": "metadata.labels",
    "kubernetes:apps/v1:StatefulSet": "metadata.labels",
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": "metadata.labels",
    "kubernetes:batch/v1:CronJob": "metadata.labels",
    "kubernetes:core/v1:ConfigMap": "metadata.labels",
    "kubernetes:core/v1:Namespace": "metadata.labels",
    "kubernetes:core/v1:PersistentVolumeClaim": "metadata.labels",
    "kubernetes:core/v1:Secret": "metadata.labels",
    "kubernetes:core/v1:Service": "metadata.labels",
};

/** What each stateful type of the tests holds. */
const holds: Record<string, string> = {
    "alicloud:kms/key:Key": "holds keys that data elsewhere is encrypted with",
    "alicloud:nas/fileSystem:FileSystem": "holds the files written to it",
    "alicloud:oss/bucket:Bucket": "holds the objects written to it",
    "aws:backup/vault:Vault": "holds the backups themselves",
    "aws:efs/fileSystem:FileSystem": "holds the files written to it",
    "aws:kms/key:Key": "holds keys that data elsewhere is encrypted or signed with",
    "aws:s3/bucket:Bucket": "holds the objects written to it",
    "aws:sqs/queue:Queue": "holds messages not yet consumed",
    "gcp:compute/regionDisk:RegionDisk": "holds the blocks written to it",
    "gcp:container/cluster:Cluster": "holds the cluster's state and every workload deployed to it",
    "gcp:filestore/instance:Instance": "holds the files written to it",
    "gcp:storage/bucket:Bucket": "holds the objects written to it",
    "kubernetes:core/v1:PersistentVolumeClaim": "holds the files a workload wrote to it",
};

/** The tags at a field: a map, or a list of `{ key, value }`; unknown (undefined) while the field is not known yet. */
function readField(field: string, inputs: Record<string, unknown>): Map<string, unknown> | undefined {
    const list = field.endsWith("[]");
    let value: unknown = inputs;
    for (const key of (list ? field.slice(0, -2) : field).split("."))
        value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    const tags = new Map<string, unknown>();
    if (list) {
        for (const entry of Array.isArray(value) ? value : []) if (typeof entry?.key === "string") tags.set(entry.key, entry.value);
    } else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) tags.set(k, v);
    }
    return tags;
}

export const testFacts: ProjectFacts = {
    cloudTable: { clouds: { aws: "aws", gcp: "gcp", alicloud: "alicloud", kubernetes: "onprem" }, inCluster: ["kubernetes"] },
    statefulHolds: (type) => holds[type],
    costTags: {
        keys: { workload: "workload", environment: "environment", costCenter: "cost-center" },
        taggable: (type) => type in tagFields,
        read: (type, inputs) => (type in tagFields ? readField(tagFields[type], inputs) : undefined),
    },
    prices: { catalogue: path.join(fixtures, "prices.yaml"), rateCards: path.join(fixtures, "rate-card.yaml") },
};

/** The estimate's options from the test facts, with no budgets unless a test gives some. */
export const testCostOptions = (): CostOptions => ({
    prices: loadPrices(testFacts.prices!),
    cloudTable: testFacts.cloudTable,
    costTags: testFacts.costTags,
    budgets: [],
});

/** The review with the test facts; a test's options on top. */
export const reviewPlan = (plan: Plan, options: Partial<ReviewOptions> = {}): ReviewedPlan => review(plan, { facts: testFacts, ...options });

/** The terminal view with the test facts' clouds. */
export const renderTerminal = (plan: ReviewedPlan, options: Partial<TerminalOptions> = {}): string =>
    terminal(plan, { cloudTable: testFacts.cloudTable, ...options });

/** The comment with the test facts; a test's options on top. */
export const renderMarkdown = (plans: ReviewedPlan[], options: Partial<MarkdownOptions> = {}): string => markdown(plans, { facts: testFacts, ...options });
