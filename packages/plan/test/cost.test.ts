import { costChange, estimateCost as estimate, hoursPerMonth, quantity, type CostOptions } from "../src/cost";
import { checkBudgets } from "../src/budgets";
import { zonedInstant } from "../src/campaign-windows";
import type { PlanResource } from "../src/plan";
import type { ReviewedPlan } from "../src/model";
import { renderMarkdown, testCostOptions } from "./helpers/facts";

/** The estimate with the test facts' prices, tags and clouds; a test's options on top. */
const estimateCost = (resources: PlanResource[], options: Partial<CostOptions> = {}) => estimate(resources, { ...testCostOptions(), ...options });

const stack = "urn:pulumi:dev::multicloud";
const res = (type: string, name: string, inputs: Record<string, unknown>, extra: Partial<PlanResource> = {}): PlanResource => ({
    urn: `${stack}::${type}::${name}`,
    type,
    name,
    custom: true,
    protect: false,
    aliases: [],
    inputs,
    ...extra,
});
const tagged = (workload: string) => ({ tags: { workload } });
const costTags = (workload: string, environment = "dev", costCenter = `${workload}-cc`) => ({
    workload,
    environment,
    "cost-center": costCenter,
    "managed-by": "pulumi",
});
const { catalogue, rateCards: rates } = testCostOptions().prices;
const awsPrice = (key: "loadBalancerHour" | "natGatewayHour", region = "eu-west-1") => catalogue.prices.aws[region][key]!.usd;
const instanceHour = (cloud: string, type: string, region = catalogue.defaults.regions[cloud]) => catalogue.prices[cloud][region].instanceHour[type].usd;
const noBudgets = { budgets: [] };

describe("estimateCost", () => {
    const provider = res("pulumi:providers:aws", "aws-provider", { region: "eu-west-1" });
    const providerRef = `${provider.urn}::[unknown]`;
    const group = "urn:pulumi:dev::multicloud::multicloud:aws:VmGroup::workers";
    const resources: PlanResource[] = [
        provider,
        res("multicloud:aws:VmGroup", "workers", {}, { custom: false }),
        res("aws:ec2/vpc:Vpc", "net", { cidrBlock: "10.10.0.0/16", ...tagged("transactional") }, { provider: providerRef }),
        res("aws:ec2/launchTemplate:LaunchTemplate", "workers-lt", { instanceType: "m6i.large" }, { parent: group, provider: providerRef }),
        res(
            "aws:autoscaling/group:Group",
            "workers-asg",
            { desiredCapacity: 3, minSize: 2, tags: [{ key: "workload", value: "transactional", propagateAtLaunch: true }] },
            { parent: group, provider: providerRef },
        ),
        res("aws:lb/loadBalancer:LoadBalancer", "lb", tagged("transactional"), { provider: providerRef }),
        res("aws:ec2/natGateway:NatGateway", "nat", {}, { provider: providerRef }),
        res("gcp:filestore/instance:Instance", "files", { tier: "BASIC_HDD", fileShares: { capacityGb: 1024 }, labels: { workload: "analytics" } }),
        res("aws:sagemaker/notebookInstance:NotebookInstance", "nb", tagged("transactional")),
    ];
    const estimate = estimateCost(resources, noBudgets);

    it("prices an autoscaling group at desired capacity × the launch template's instance type × 730 h", () => {
        const asg = estimate.byResource.find((r) => r.type === "aws:autoscaling/group:Group")!;
        expect(asg.monthlyUsd).toBeCloseTo(3 * instanceHour("aws", "m6i.large") * hoursPerMonth, 2);
        expect(asg.basis).toContain("m6i.large");
    });

    it("sums per cloud and per workload tag; a resource its cloud could label but that carries no tags counts as untagged", () => {
        const filestore = 1024 * (catalogue.prices.gcp["europe-west1"].sharedStorageGbMonth as any).BASIC_HDD.usd;
        expect(estimate.byWorkload.analytics).toBeCloseTo(filestore, 2);
        expect(estimate.byWorkload.untagged).toBeCloseTo(awsPrice("natGatewayHour") * hoursPerMonth, 2);
        expect(estimate.byCloud.gcp).toBeCloseTo(filestore, 2);
        expect(estimate.monthlyUsd).toBeCloseTo(
            Object.values(estimate.byCloud).reduce((a, b) => a + b, 0),
            1,
        );
        expect(estimate.monthlyUsd).toBeCloseTo(
            Object.values(estimate.byWorkload).reduce((a, b) => a + b, 0),
            1,
        );
    });

    it("leaves free resources out and names a type that costs money but has no price", () => {
        expect(estimate.byResource.map((r) => r.type)).not.toContain("aws:ec2/vpc:Vpc");
        expect(estimate.byResource.map((r) => r.type)).not.toContain("aws:ec2/launchTemplate:LaunchTemplate");
        expect(estimate.unpriced).toEqual(["aws:sagemaker/notebookInstance:NotebookInstance"]);
    });

    it("takes the region from the resource's provider, then the caller's, then the catalogue default; a region without prices is reported, not priced as another", () => {
        const tokyo = res("pulumi:providers:aws", "tokyo", { region: "ap-northeast-1" });
        const lb = res("aws:lb/loadBalancer:LoadBalancer", "lb", {}, { provider: `${tokyo.urn}::id` });
        const inTokyo = estimateCost([tokyo, lb], noBudgets);
        expect(inTokyo.unpricedRegions).toEqual(["aws ap-northeast-1"]);
        expect(inTokyo.byResource[0]).toMatchObject({ monthlyUsd: 0, basis: expect.stringContaining("no prices for aws ap-northeast-1") });
        expect(inTokyo.monthlyUsd).toBe(0);
        const bare = res("aws:lb/loadBalancer:LoadBalancer", "lb", {});
        expect(estimateCost([bare], { regions: { aws: "us-east-2" }, ...noBudgets }).unpricedRegions).toEqual(["aws us-east-2"]);
        const home = estimateCost([bare], noBudgets);
        expect(home.byResource[0].basis).toContain("(eu-west-1)");
        expect(home.unpricedRegions).toEqual([]);
    });

    it("prices an instance type missing from the catalogue as unpriced, not as zero silently", () => {
        const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { instanceType: "m5.huge" }, { parent: group });
        const asg = res("aws:autoscaling/group:Group", "asg", { desiredCapacity: 2 }, { parent: group });
        expect(estimateCost([lt, asg], noBudgets).unpriced).toEqual(["aws:autoscaling/group:Group"]);
    });

    it("falls back to the minimum when the desired capacity is unknown", () => {
        const lt = res("alicloud:ess/scalingConfiguration:ScalingConfiguration", "cfg", { instanceType: "ecs.g7.large" }, { parent: group });
        const ess = res("alicloud:ess/scalingGroup:ScalingGroup", "ess", { desiredCapacity: "[unknown]", minSize: 2 }, { parent: group });
        const priced = estimateCost([lt, ess], noBudgets).byResource[0];
        expect(priced.monthlyUsd).toBeCloseTo(2 * instanceHour("alicloud", "ecs.g7.large") * hoursPerMonth, 2);
        expect(priced.basis).toContain("min size");
    });

    it("prices an ACK node pool at its minimum size × its instance type; an ESS attachment to an ALB server group is free", () => {
        const pool = res("alicloud:cs/nodePool:NodePool", "nodes", {
            instanceTypes: ["ecs.g7.xlarge"],
            scalingConfig: { enable: true, minSize: 3, maxSize: 9 },
        });
        const attachment = res("alicloud:ess/albServerGroupAttachment:AlbServerGroupAttachment", "route-nodes", { port: 31625 });
        const estimate = estimateCost([pool, attachment], noBudgets);
        expect(estimate.unpriced).toEqual([]);
        expect(estimate.byResource).toHaveLength(1);
        expect(estimate.byResource[0].monthlyUsd).toBeCloseTo(3 * instanceHour("alicloud", "ecs.g7.xlarge") * hoursPerMonth, 2);
    });
});

describe("attribution as each cloud bills", () => {
    const attributionOf = (resources: PlanResource[], name: string) =>
        estimateCost(resources, noBudgets).byResource.find((r) => r.urn.endsWith(`::${name}`))!.attribution;

    test("GCP: a managed instance group's VMs carry its instance template's labels; a node pool's nodes its nodeConfig.resourceLabels", () => {
        const template = res("gcp:compute/instanceTemplate:InstanceTemplate", "tpl", { machineType: "n2-standard-2", labels: costTags("analytics") });
        const mig = res(
            "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
            "mig",
            { targetSize: 2, versions: [{ instanceTemplate: "[unknown]" }] },
            {
                propertyDependencies: { versions: [template.urn] },
            },
        );
        const pool = res("gcp:container/nodePool:NodePool", "pool", {
            nodeCount: 1,
            location: "europe-west1-b",
            nodeConfig: { machineType: "n2-standard-4", resourceLabels: costTags("analytics", "prod") },
        });
        const resources = [template, mig, pool];
        expect(attributionOf(resources, "mig")).toEqual({
            workload: "analytics",
            environment: "dev",
            costCenter: "analytics-cc",
            via: expect.stringContaining("instance template"),
        });
        expect(attributionOf(resources, "pool")).toMatchObject({
            workload: "analytics",
            environment: "prod",
            via: expect.stringContaining("nodeConfig.resourceLabels"),
        });
    });

    test("GCP: a secret version is billed to its secret; a Cloud NAT gateway, which GCP cannot label, through its stack, and says so", () => {
        const secret = res("gcp:secretmanager/secret:Secret", "secret", { labels: costTags("analytics") });
        const version = res(
            "gcp:secretmanager/secretVersion:SecretVersion",
            "version",
            { secret: "[unknown]" },
            { propertyDependencies: { secret: [secret.urn] } },
        );
        const nat = res("gcp:compute/routerNat:RouterNat", "nat", { region: "europe-west1" });
        const filestore = res("gcp:filestore/instance:Instance", "files", {
            tier: "BASIC_HDD",
            fileShares: { capacityGb: 1024 },
            labels: costTags("analytics"),
        });
        const resources = [secret, version, nat, filestore];
        expect(attributionOf(resources, "version")).toMatchObject({ workload: "analytics", via: expect.stringContaining("secret") });
        expect(attributionOf(resources, "nat")).toEqual({
            workload: "analytics",
            environment: "dev",
            costCenter: "analytics-cc",
            via: "its stack (its cloud cannot label it)",
        });
        const estimate = estimateCost(resources, noBudgets);
        expect(estimate.byWorkload.untagged).toBeUndefined();
        expect(estimate.throughStackUsd).toBeCloseTo(catalogue.prices.gcp["europe-west1"].natGatewayHour!.usd * hoursPerMonth, 2);
    });

    test("AWS: an autoscaling group's instances carry only the tags it propagates at launch; else its launch template's instance tags", () => {
        const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", {
            instanceType: "m6i.large",
            tagSpecifications: [{ resourceType: "instance", tags: costTags("backend", "prod") }],
        });
        const notPropagated = res(
            "aws:autoscaling/group:Group",
            "asg",
            { desiredCapacity: 1, tags: [{ key: "workload", value: "transactional", propagateAtLaunch: false }] },
            {
                propertyDependencies: { launchTemplate: [lt.urn] },
            },
        );
        expect(attributionOf([lt, notPropagated], "asg")).toMatchObject({
            workload: "backend",
            environment: "prod",
            via: expect.stringContaining("launch template"),
        });
        const propagated = res("aws:autoscaling/group:Group", "asg", {
            desiredCapacity: 1,
            tags: Object.entries(costTags("transactional")).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
        });
        expect(attributionOf([lt, propagated], "asg")).toMatchObject({
            workload: "transactional",
            costCenter: "transactional-cc",
            via: expect.stringContaining("propagates at launch"),
        });
    });

    test("AWS: a provider's default tags reach the resources it creates", () => {
        const provider = res("pulumi:providers:aws", "tagged", { region: "eu-west-1", defaultTags: JSON.stringify({ tags: costTags("finops", "prod") }) });
        const lb = res("aws:lb/loadBalancer:LoadBalancer", "lb", {}, { provider: `${provider.urn}::id` });
        expect(attributionOf([provider, lb], "lb")).toMatchObject({ workload: "finops", environment: "prod", via: "its provider's default tags" });
    });

    test("Alibaba Cloud: an ESS group's instances carry its scaling configuration's tags; a log store is billed to its project", () => {
        const groupRes = res("alicloud:ess/scalingGroup:ScalingGroup", "ess", { minSize: 2, tags: costTags("wrong") });
        const config = res(
            "alicloud:ess/scalingConfiguration:ScalingConfiguration",
            "cfg",
            { instanceType: "ecs.g7.large", tags: costTags("backend") },
            {
                propertyDependencies: { scalingGroupId: [groupRes.urn] },
            },
        );
        const project = res("alicloud:log/project:Project", "logs", { tags: costTags("backend", "prod") });
        const store = res("alicloud:log/store:Store", "store", { projectName: "[unknown]" }, { propertyDependencies: { projectName: [project.urn] } });
        const resources = [groupRes, config, project, store];
        expect(attributionOf(resources, "ess")).toMatchObject({ workload: "backend", via: expect.stringContaining("scaling configuration") });
        expect(attributionOf(resources, "store")).toMatchObject({ workload: "backend", environment: "prod", via: expect.stringContaining("log project") });
    });

    test("the private cloud: showback goes by the namespace's labels", () => {
        const ns = res("kubernetes:core/v1:Namespace", "ns", { metadata: { name: "partner-dev", labels: costTags("partner") } });
        const deployment = res(
            "kubernetes:apps/v1:Deployment",
            "gw",
            {
                metadata: { namespace: "partner-dev", labels: costTags("someone-else") },
                spec: { replicas: 2, template: { spec: { containers: [{ resources: { requests: { cpu: "500m", memory: "1Gi" } } }] } } },
            },
            { propertyDependencies: { metadata: [ns.urn] } },
        );
        expect(attributionOf([ns, deployment], "gw")).toMatchObject({
            workload: "partner",
            costCenter: "partner-cc",
            via: expect.stringContaining("namespace"),
        });
    });
});

describe("the private cloud's showback from requests and the rate card", () => {
    const card = rates.onprem;
    const ns = res("kubernetes:core/v1:Namespace", "ns", { metadata: { name: "partner-prod", labels: costTags("partner", "prod") } });
    const deployment = res("kubernetes:apps/v1:Deployment", "gw", {
        metadata: { name: "gw-abc", namespace: "partner-prod", labels: costTags("partner", "prod") },
        spec: {
            replicas: 3,
            template: {
                spec: { containers: [{ resources: { requests: { cpu: "250m", memory: "512Mi" } } }, { resources: { limits: { cpu: "1", memory: "1Gi" } } }] },
            },
        },
    });
    const claim = res("kubernetes:core/v1:PersistentVolumeClaim", "files", {
        metadata: { namespace: "partner-prod" },
        spec: { resources: { requests: { storage: "200Gi" } } },
    });
    const estimate = estimateCost([ns, deployment, claim], noBudgets);

    test("a workload costs its pods × requested vCPU and GiB × the rate card's hourly rates (a limit stands for a missing request)", () => {
        const pod = 1.25 * card.vcpuHour.usd + 1.5 * card.memoryGibHour.usd;
        const priced = estimate.byResource.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        expect(priced.monthlyUsd).toBeCloseTo(3 * pod * hoursPerMonth, 2);
        expect(priced).toMatchObject({ cloud: "onprem", basis: expect.stringContaining("3 pods × (1.25 vCPU") });
    });

    test("a volume claim costs its requested GB × the rate card's GB-month, so the private cloud no longer costs $0", () => {
        const priced = estimate.byResource.find((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim")!;
        expect(priced.monthlyUsd).toBeCloseTo(((200 * 2 ** 30) / 1e9) * card.storageGbMonth.usd, 1);
        expect(estimate.byCloud.onprem).toBeGreaterThan(0);
        expect(estimate.byWorkload).toEqual({ partner: estimate.monthlyUsd });
    });

    test("the same workload on a public cloud's cluster is paid for by its nodes, not shown back", () => {
        const gke = res("gcp:container/cluster:Cluster", "gke", {});
        const provider = res("pulumi:providers:kubernetes", "gke-k8s", {}, { propertyDependencies: { kubeconfig: [gke.urn] } });
        const onGke = { ...deployment, provider: `${provider.urn}::id` };
        const priced = estimateCost([gke, provider, onGke], noBudgets);
        expect(priced.byResource.map((r) => r.type)).toEqual(["gcp:container/cluster:Cluster"]);
    });

    test("Kubernetes quantities read as Kubernetes reads them", () => {
        expect([quantity("250m"), quantity("2"), quantity("1.5"), quantity("512Mi"), quantity("1G"), quantity("[unknown]")]).toEqual([
            0.25,
            2,
            1.5,
            512 * 2 ** 20,
            1e9,
            undefined,
        ]);
    });
});

describe("campaign windows, costed from their schedules", () => {
    const now = new Date("2026-10-01T00:00:00Z");
    const campaignsOf = (resources: PlanResource[]) => estimateCost(resources, { ...noBudgets, now }).campaigns;
    const amsterdam = (d: number, h: number, m = 0) => zonedInstant(2026, 11, d, h, m, "Europe/Amsterdam").getTime();

    test("GCP: an autoscaler's scaling schedule raises the group above its minimum for the schedule's duration", () => {
        const template = res("gcp:compute/instanceTemplate:InstanceTemplate", "tpl", { machineType: "n2-standard-4", labels: costTags("analytics", "prod") });
        const mig = res(
            "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
            "mig",
            { region: "europe-west1" },
            { propertyDependencies: { versions: [template.urn] } },
        );
        const autoscaler = res(
            "gcp:compute/regionAutoscaler:RegionAutoscaler",
            "as",
            {
                autoscalingPolicy: {
                    minReplicas: 3,
                    maxReplicas: 12,
                    scalingSchedules: [
                        { name: "black-friday-2026", minRequiredReplicas: 8, schedule: "0 0 27 11 * 2026", timeZone: "Europe/Amsterdam", durationSec: 345540 },
                    ],
                },
            },
            { propertyDependencies: { target: [mig.urn] } },
        );
        const [campaign] = campaignsOf([template, mig, autoscaler]);
        expect(campaign).toMatchObject({ campaign: "black-friday-2026", cloud: "gcp", workload: "analytics", environment: "prod", ended: false });
        expect(campaign.start).toBe(new Date(amsterdam(27, 0)).toISOString());
        expect(campaign.hours).toBeCloseTo(345540 / 3600, 2);
        expect(campaign.usd).toBeCloseTo(5 * instanceHour("gcp", "n2-standard-4") * (345540 / 3600), 1);
    });

    test("Alibaba Cloud: a pair of ESS scheduled tasks opens and closes a window on the group's instance type", () => {
        const groupRes = res("alicloud:ess/scalingGroup:ScalingGroup", "ess", { minSize: 3, desiredCapacity: 3 });
        const config = res(
            "alicloud:ess/scalingConfiguration:ScalingConfiguration",
            "cfg",
            { instanceType: "ecs.g7.xlarge", tags: costTags("backend", "prod") },
            {
                propertyDependencies: { scalingGroupId: [groupRes.urn] },
            },
        );
        const task = (edge: string, at: string, minValue: number) =>
            res(
                "alicloud:ess/scheduledTask:ScheduledTask",
                `ess-bf-${edge}`,
                { launchTime: at, minValue, scheduledTaskName: `bf-${edge}` },
                { propertyDependencies: { scalingGroupId: [groupRes.urn] } },
            );
        const [campaign] = campaignsOf([groupRes, config, task("start", "2026-11-26T23:00Z", 8), task("end", "2026-11-30T22:59Z", 3)]);
        expect(campaign).toMatchObject({
            campaign: "bf",
            cloud: "alicloud",
            workload: "backend",
            start: "2026-11-26T23:00:00.000Z",
            end: "2026-11-30T22:59:00.000Z",
        });
        expect(campaign.usd).toBeCloseTo(5 * instanceHour("alicloud", "ecs.g7.xlarge") * campaign.hours, 1);
    });

    test("AWS: an ECS service's scheduled actions cost the extra tasks' share of the cluster's instances", () => {
        const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { instanceType: "m6i.xlarge" });
        const asg = res(
            "aws:autoscaling/group:Group",
            "asg",
            { desiredCapacity: 2, tags: Object.entries(costTags("transactional", "prod")).map(([key, value]) => ({ key, value, propagateAtLaunch: true })) },
            {
                propertyDependencies: { launchTemplate: [lt.urn] },
            },
        );
        const capacity = res("aws:ecs/capacityProvider:CapacityProvider", "cp", {}, { propertyDependencies: { autoScalingGroupProvider: [asg.urn] } });
        const task = res("aws:ecs/taskDefinition:TaskDefinition", "task", { containerDefinitions: JSON.stringify([{ cpu: 1024, memory: 2048 }]) });
        const service = res(
            "aws:ecs/service:Service",
            "svc",
            { desiredCount: 3, tags: costTags("transactional", "prod") },
            {
                propertyDependencies: { taskDefinition: [task.urn], capacityProviderStrategies: [capacity.urn] },
            },
        );
        const target = res("aws:appautoscaling/target:Target", "scaling", { minCapacity: 3 }, { propertyDependencies: { resourceId: [service.urn] } });
        const action = (edge: string, at: string, minCapacity: number) =>
            res(
                "aws:appautoscaling/scheduledAction:ScheduledAction",
                `svc-bf-${edge}`,
                { name: `svc-bf-${edge}`, schedule: `at(${at})`, timezone: "Europe/Amsterdam", scalableTargetAction: { minCapacity } },
                {
                    propertyDependencies: { resourceId: [target.urn] },
                },
            );
        const [campaign] = campaignsOf([
            lt,
            asg,
            capacity,
            task,
            service,
            target,
            action("start", "2026-11-27T00:00:00", 9),
            action("end", "2026-11-30T23:59:00", 3),
        ]);
        // 1 vCPU and 2 GiB of an m6i.xlarge (4 vCPU, 16 GiB): a quarter of the instance per task.
        expect(campaign.hours).toBeCloseTo((amsterdam(30, 23, 59) - amsterdam(27, 0)) / 3_600_000, 2);
        expect(campaign.usd).toBeCloseTo(6 * 0.25 * instanceHour("aws", "m6i.xlarge") * campaign.hours, 1);
        expect(campaign.basis).toContain("6 extra × task (0.25 of a m6i.xlarge)");
    });

    test("the private cloud: CronJobs that patch an HPA cost the extra pods at the rate card; a suspended pair is a campaign that is over", () => {
        const deployment = res("kubernetes:apps/v1:Deployment", "gw", {
            metadata: { name: "gw-abc", labels: costTags("partner", "prod") },
            spec: { replicas: 3, template: { spec: { containers: [{ resources: { requests: { cpu: "1", memory: "1Gi" } } }] } } },
        });
        const hpa = res(
            "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
            "hpa",
            { spec: { minReplicas: 3, maxReplicas: 9, scaleTargetRef: { name: "gw-abc" } } },
            {
                propertyDependencies: { spec: [deployment.urn] },
            },
        );
        const parent = `${stack}::multicloud:kubernetes:HpaSchedule::gw-campaigns`;
        const job = (edge: string, schedule: string, min: number, suspend = false) =>
            res(
                "kubernetes:batch/v1:CronJob",
                `gw-campaigns-bf-${edge}`,
                {
                    metadata: { name: `gw-campaigns-bf-${edge}` },
                    spec: {
                        schedule,
                        timeZone: "Europe/Amsterdam",
                        suspend,
                        jobTemplate: { spec: { template: { spec: { containers: [{ args: ["patch", "hpa", `--patch={"spec":{"minReplicas":${min}}}`] }] } } } },
                    },
                },
                { parent, propertyDependencies: { spec: [hpa.urn] } },
            );
        const [campaign] = campaignsOf([deployment, hpa, job("start", "0 0 27 11 *", 6), job("end", "59 23 30 11 *", 3)]);
        const pod = rates.onprem.vcpuHour.usd + rates.onprem.memoryGibHour.usd;
        expect(campaign).toMatchObject({ campaign: "bf", cloud: "onprem", start: new Date(amsterdam(27, 0)).toISOString() });
        expect(campaign.usd).toBeCloseTo(3 * pod * campaign.hours, 1);
        expect(campaignsOf([deployment, hpa, job("start", "0 0 27 11 *", 6, true), job("end", "59 23 30 11 *", 3, true)])).toEqual([]);
    });

    test("a window already over is shown as ended; the monthly figure never includes a campaign", () => {
        const groupRes = res("alicloud:ess/scalingGroup:ScalingGroup", "ess", { minSize: 1, desiredCapacity: 1 });
        const config = res(
            "alicloud:ess/scalingConfiguration:ScalingConfiguration",
            "cfg",
            { instanceType: "ecs.g7.large", tags: costTags("backend") },
            { propertyDependencies: { scalingGroupId: [groupRes.urn] } },
        );
        const task = (edge: string, at: string, minValue: number) =>
            res(
                "alicloud:ess/scheduledTask:ScheduledTask",
                `t-${edge}`,
                { launchTime: at, minValue, scheduledTaskName: `sale-${edge}` },
                { propertyDependencies: { scalingGroupId: [groupRes.urn] } },
            );
        const resources = [groupRes, config, task("start", "2026-05-01T00:00Z", 4), task("end", "2026-05-02T00:00Z", 1)];
        const estimate = estimateCost(resources, { ...noBudgets, now });
        expect(estimate.campaigns).toEqual([expect.objectContaining({ campaign: "sale", ended: true, hours: 24 })]);
        expect(estimate.monthlyUsd).toBeCloseTo(instanceHour("alicloud", "ecs.g7.large") * hoursPerMonth, 2);
    });
});

describe("budgets", () => {
    const budgets = [
        { workload: "transactional", environment: "prod", cloud: "aws", monthlyUsd: 500 },
        { workload: "analytics", environment: "prod", cloud: "gcp", monthlyUsd: 1000 },
    ];

    test("an estimate above its workload's budget is exceeded; one within is not; a month with campaigns counts", () => {
        const checks = checkBudgets(
            [
                { workload: "transactional", environment: "prod", cloud: "aws", monthlyUsd: 640 },
                { workload: "analytics", environment: "prod", cloud: "gcp", monthlyUsd: 950 },
                { workload: "transactional", environment: "prod", cloud: "gcp", monthlyUsd: 10 },
                { workload: "partner", environment: "prod", cloud: "onprem", monthlyUsd: 98 },
            ],
            [{ workload: "analytics", environment: "prod", cloud: "gcp", month: "2026-11", usd: 102.5 }],
            budgets,
        );
        expect(checks).toEqual([
            expect.objectContaining({ workload: "transactional", cloud: "aws", budgetUsd: 500, exceeded: true }),
            expect.objectContaining({ workload: "analytics", budgetUsd: 1000, campaignMonth: { month: "2026-11", usd: 1052.5 }, exceeded: true }),
            // A workload with budgets but none for this cloud: said so, never counted as exceeded.
            expect.objectContaining({ workload: "transactional", cloud: "gcp", budgetUsd: undefined, exceeded: false }),
        ]);
    });

    test("a pull request whose estimate would pass a workload's budget says so in the comment", () => {
        const lb = res("aws:lb/loadBalancer:LoadBalancer", "lb", { tags: costTags("transactional", "prod") });
        const nat = res("aws:ec2/natGateway:NatGateway", "nat", { tags: costTags("transactional", "prod") });
        const cost = estimateCost([lb, nat], { budgets: [{ workload: "transactional", environment: "prod", cloud: "aws", monthlyUsd: 40 }] });
        expect(cost.budgets).toEqual([expect.objectContaining({ exceeded: true, budgetUsd: 40 })]);
        const plan: ReviewedPlan = {
            project: "multicloud",
            stack: "transactional-prod",
            stackFile: "stacks/Pulumi.transactional-prod.yaml",
            resources: [lb, nat],
            violations: [],
            remediations: [],
            outputs: {},
            policyPacks: [],
            stackReferences: [],
            cost,
        };
        const comment = renderMarkdown([plan]);
        expect(comment).toContain(`⚠️ **Over budget:** \`transactional\` prod on aws: $${cost.monthlyUsd.toFixed(2)} a month, above its budget of $40.00.`);
        const within = renderMarkdown([
            { ...plan, cost: estimateCost([lb, nat], { budgets: [{ workload: "transactional", environment: "prod", cloud: "aws", monthlyUsd: 400 }] }) },
        ]);
        expect(within).not.toContain("Over budget");
        expect(within).toContain("Within budget: `transactional` prod on aws");
    });

    test("the comment says how much goes through the stack and which campaign windows are to come", () => {
        const nat = res("gcp:compute/routerNat:RouterNat", "nat", { region: "europe-west1" });
        const template = res("gcp:compute/instanceTemplate:InstanceTemplate", "tpl", { machineType: "n2-standard-2", labels: costTags("analytics", "prod") });
        const mig = res(
            "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
            "mig",
            { region: "europe-west1", targetSize: 1 },
            { propertyDependencies: { versions: [template.urn] } },
        );
        const schedule = { name: "spring-sale", minRequiredReplicas: 3, schedule: "0 6 1 4 * 2027", timeZone: "UTC", durationSec: 86400 };
        const autoscaler = res(
            "gcp:compute/regionAutoscaler:RegionAutoscaler",
            "as",
            { autoscalingPolicy: { minReplicas: 1, scalingSchedules: [schedule] } },
            { propertyDependencies: { target: [mig.urn] } },
        );
        const cost = estimateCost([nat, template, mig, autoscaler], { budgets: [], now: new Date("2027-01-01T00:00:00Z") });
        const plan: ReviewedPlan = {
            project: "multicloud",
            stack: "analytics-prod",
            stackFile: "stacks/Pulumi.analytics-prod.yaml",
            resources: [],
            violations: [],
            remediations: [],
            outputs: {},
            policyPacks: [],
            stackReferences: [],
            cost,
        };
        const comment = renderMarkdown([plan]);
        expect(comment).toContain(`$${cost.throughStackUsd.toFixed(2)} of it is attributed through the stack: its cloud cannot label those resources.`);
        expect(comment).toContain(
            `Campaign windows to come, beyond the monthly figure: \`spring-sale\` +$${cost.campaigns[0].usd.toFixed(2)} (2027-04-01 to 2027-04-02).`,
        );
        expect(cost.campaigns[0].usd).toBeCloseTo(2 * instanceHour("gcp", "n2-standard-2") * 24, 2);
    });
});

describe("costChange", () => {
    const lb = res("aws:lb/loadBalancer:LoadBalancer", "lb", tagged("transactional"));
    const nat = res("aws:ec2/natGateway:NatGateway", "nat", tagged("transactional"));
    const base = estimateCost([lb], noBudgets);
    const head = estimateCost([lb, nat], noBudgets);

    it("reports the change in total, per cloud, per workload and per resource", () => {
        const change = costChange(base, head);
        const natMonthly = Math.round(awsPrice("natGatewayHour") * hoursPerMonth * 100) / 100;
        expect(change.deltaUsd).toBeCloseTo(natMonthly, 2);
        expect(change.byCloud.aws.deltaUsd).toBeCloseTo(natMonthly, 2);
        expect(change.byWorkload.transactional.deltaUsd).toBeCloseTo(natMonthly, 2);
        expect(change.byResource).toEqual([expect.objectContaining({ urn: nat.urn, baseUsd: 0 })]);
        expect(change.deltaPercent).toBeGreaterThan(100);
    });

    it("treats a missing base as zero", () => {
        const change = costChange(undefined, head);
        expect(change.baseUsd).toBe(0);
        expect(change.deltaUsd).toBe(head.monthlyUsd);
        expect(change.deltaPercent).toBeUndefined();
    });
});
