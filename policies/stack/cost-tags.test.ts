import { unknown, usePolicyPack, type ResourceSpec } from "../../test/helpers/policy";
import { catalog, providers } from "../catalog/catalog";
import { costAllocationTags } from "./cost-tags";

const pack = usePolicyPack();
const p = "cost-allocation-tags";
const tags = { workload: "analytics", environment: "prod", "cost-center": "cc", "managed-by": "pulumi" };
const asList = Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true }));

/** What the policy reported, after the description the engine puts first. */
const reported = (message: string) => message.slice(message.indexOf("\n") + 1);

/** The policy's messages for one resource: none when it complies. */
async function messages(type: string, inputs: Record<string, unknown>, extra: Partial<ResourceSpec> = {}): Promise<string[]> {
    const violations = await pack.judge([{ type, inputs, ...extra }]);
    return violations.filter((v) => v.policy === p).map((v) => reported(v.message));
}

const missingAll = "workload, environment, cost-center, managed-by";

/** A sample of every provider and every form the catalog knows, with the untagged and the tagged inputs. */
const samples: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
    ["aws:sns/topic:Topic", {}, { tags }, `Missing or empty cost-allocation tags in \`tags\`: ${missingAll}.`],
    ["aws:ecr/repository:Repository", {}, { tags }, `Missing or empty cost-allocation tags in \`tags\`: ${missingAll}.`],
    ["aws:cloudwatch/metricAlarm:MetricAlarm", {}, { tags }, `Missing or empty cost-allocation tags in \`tags\`: ${missingAll}.`],
    ["aws:autoscaling/group:Group", { tags: asList.slice(1) }, { tags: asList }, "Missing or empty cost-allocation tags in `tags`: workload."],
    ["gcp:pubsub/subscription:Subscription", { tags }, { labels: tags }, `Missing or empty cost-allocation labels in \`labels\`: ${missingAll}.`],
    ["gcp:artifactregistry/repository:Repository", {}, { labels: tags }, `Missing or empty cost-allocation labels in \`labels\`: ${missingAll}.`],
    [
        "gcp:container/cluster:Cluster",
        { labels: tags },
        { resourceLabels: tags },
        `Missing or empty cost-allocation labels in \`resourceLabels\`: ${missingAll}.`,
    ],
    [
        "gcp:container/nodePool:NodePool",
        { nodeConfig: {} },
        { nodeConfig: { resourceLabels: tags } },
        `Missing or empty cost-allocation labels in \`nodeConfig.resourceLabels\`: ${missingAll}.`,
    ],
    [
        "gcp:sql/databaseInstance:DatabaseInstance",
        { settings: { tier: "db-f1-micro" } },
        { settings: { userLabels: tags } },
        `Missing or empty cost-allocation labels in \`settings.userLabels\`: ${missingAll}.`,
    ],
    ["alicloud:ecs/keyPair:KeyPair", {}, { tags }, `Missing or empty cost-allocation tags in \`tags\`: ${missingAll}.`],
    ["alicloud:log/alert:Alert", { labels: [] }, { labels: asList }, `Missing or empty cost-allocation labels in \`labels\`: ${missingAll}.`],
    [
        "kubernetes:core/v1:ConfigMap",
        { metadata: {} },
        { metadata: { labels: tags } },
        `Missing or empty cost-allocation labels in \`metadata.labels\`: ${missingAll}.`,
    ],
    [
        "kubernetes:apps/v1:DeploymentPatch",
        { metadata: { labels: { app: "a" } } },
        { metadata: { labels: tags } },
        `Missing or empty cost-allocation labels in \`metadata.labels\`: ${missingAll}.`,
    ],
    // A custom resource: no SDK knows the kind, and it is judged like any other Kubernetes object.
    [
        "kubernetes:velero.io/v1:Schedule",
        { metadata: { name: "nightly" } },
        { metadata: { labels: tags } },
        `Missing or empty cost-allocation labels in \`metadata.labels\`: ${missingAll}.`,
    ],
    [
        "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
        {},
        { metadata: { labels: tags } },
        `Missing or empty cost-allocation labels in \`metadata.labels\`: ${missingAll}.`,
    ],
];

test.each(samples)("%s: untagged is blocked with the missing keys, tagged passes", async (type, untagged, tagged, message) => {
    expect(await messages(type, untagged)).toEqual([message]);
    expect(await messages(type, tagged)).toEqual([]);
});

test("an empty value is a missing tag, whitespace included (an SQS queue with an empty cost-center)", async () => {
    expect(await messages("aws:sqs/queue:Queue", { tags: { ...tags, "cost-center": "" } })).toEqual([
        "Missing or empty cost-allocation tags in `tags`: cost-center.",
    ]);
    expect(await messages("alicloud:vpc/network:Network", { tags: { ...tags, "cost-center": " " } })).toEqual([
        "Missing or empty cost-allocation tags in `tags`: cost-center.",
    ]);
});

test("an unknown value is not judged; an unknown map is not judged; untaggable types are not judged", async () => {
    expect(await messages("alicloud:vpc/network:Network", { tags: { ...tags, "cost-center": unknown } })).toEqual([]);
    expect(await messages("alicloud:vpc/network:Network", { tags: unknown })).toEqual([]);
    expect(await messages("gcp:sql/databaseInstance:DatabaseInstance", { settings: unknown })).toEqual([]);
    expect(await messages("alicloud:vpc/network:Network", { tags: { ...tags, workload: unknown, "cost-center": "" } })).toEqual([
        "Missing or empty cost-allocation tags in `tags`: cost-center.",
    ]);
    expect(await messages("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "r" })).toEqual([]);
    expect(await messages("kubernetes:core/v1:ConfigMapList", { items: [] })).toEqual([]);
    expect(await messages("kubernetes:velero.io/v1:ScheduleList", { items: [] })).toEqual([]);
    expect(await messages("kubernetes:helm.sh/v3:Release", { chart: "c" })).toEqual([]);
    expect(await messages("random:index/randomPet:RandomPet", {})).toEqual([]);
});

test("the keys are configurable", async () => {
    const v = await pack.judge([{ type: "aws:ec2/vpc:Vpc", inputs: { tags } }], { policyConfig: { [p]: { keys: ["owner"] } } });
    expect(v.filter((x) => x.policy === p).map((x) => reported(x.message))).toEqual(["Missing or empty cost-allocation tags in `tags`: owner."]);
});

test("the policy's metadata counts the taggable types it judges per provider, thousands in all", () => {
    const counts = providers.map((provider) => Object.keys(catalog.tags[provider]).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    expect(costAllocationTags.tags).toEqual(expect.arrayContaining(providers.map((provider, i) => `types:${provider}=${counts[i]}`)));
});
