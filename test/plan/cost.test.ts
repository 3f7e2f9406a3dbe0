import * as fs from "node:fs";
import { costChange, estimateCost, hoursPerMonth, loadCatalogue, parseCatalogue, pricesFile } from "../../tools/plan/cost";
import type { PlanResource } from "../../tools/plan/plan";

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
const catalogue = loadCatalogue();
const awsPrice = (key: "loadBalancerHour" | "natGatewayHour", region = "eu-west-1") => catalogue.prices.aws[region][key]!.usd;

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
    const estimate = estimateCost(resources);

    it("prices an autoscaling group at desired capacity × the launch template's instance type × 730 h", () => {
        const asg = estimate.byResource.find((r) => r.type === "aws:autoscaling/group:Group")!;
        const m6i = catalogue.prices.aws["eu-west-1"].instanceHour["m6i.large"].usd;
        expect(asg.monthlyUsd).toBeCloseTo(3 * m6i * hoursPerMonth, 2);
        expect(asg.basis).toContain("m6i.large");
    });

    it("sums per cloud and per workload tag; an untagged resource counts as untagged", () => {
        const filestore = 1024 * (catalogue.prices.gcp["europe-west1"].sharedStorageGbMonth as any).BASIC_HDD.usd;
        expect(estimate.byWorkload.analytics).toBeCloseTo(filestore, 2);
        expect(estimate.byWorkload.untagged).toBeCloseTo(awsPrice("natGatewayHour") * hoursPerMonth, 2);
        expect(estimate.byCloud.gcp).toBeCloseTo(filestore, 2);
        expect(estimate.monthlyUsd).toBeCloseTo(Object.values(estimate.byCloud).reduce((a, b) => a + b, 0), 1);
        expect(estimate.monthlyUsd).toBeCloseTo(Object.values(estimate.byWorkload).reduce((a, b) => a + b, 0), 1);
    });

    it("leaves free resources out and names a type that costs money but has no price", () => {
        expect(estimate.byResource.map((r) => r.type)).not.toContain("aws:ec2/vpc:Vpc");
        expect(estimate.byResource.map((r) => r.type)).not.toContain("aws:ec2/launchTemplate:LaunchTemplate");
        expect(estimate.unpriced).toEqual(["aws:sagemaker/notebookInstance:NotebookInstance"]);
    });

    it("takes the region from the resource's provider, then the caller's, then the catalogue default", () => {
        const tokyo = res("pulumi:providers:aws", "tokyo", { region: "ap-northeast-1" });
        const lb = res("aws:lb/loadBalancer:LoadBalancer", "lb", {}, { provider: `${tokyo.urn}::id` });
        expect(estimateCost([tokyo, lb]).byResource[0].basis).toContain("eu-west-1 prices; none for ap-northeast-1");
        const bare = res("aws:lb/loadBalancer:LoadBalancer", "lb", {});
        expect(estimateCost([bare], { regions: { aws: "us-east-1" } }).byResource[0].basis).toContain("none for us-east-1");
        expect(estimateCost([bare]).byResource[0].basis).toContain("(eu-west-1)");
    });

    it("prices an instance type missing from the catalogue as unpriced, not as zero silently", () => {
        const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { instanceType: "m5.huge" }, { parent: group });
        const asg = res("aws:autoscaling/group:Group", "asg", { desiredCapacity: 2 }, { parent: group });
        expect(estimateCost([lt, asg]).unpriced).toEqual(["aws:autoscaling/group:Group"]);
    });

    it("falls back to the minimum when the desired capacity is unknown", () => {
        const lt = res("alicloud:ess/scalingConfiguration:ScalingConfiguration", "cfg", { instanceType: "ecs.g7.large" }, { parent: group });
        const ess = res("alicloud:ess/scalingGroup:ScalingGroup", "ess", { desiredCapacity: "[unknown]", minSize: 2 }, { parent: group });
        const priced = estimateCost([lt, ess]).byResource[0];
        expect(priced.monthlyUsd).toBeCloseTo(2 * catalogue.prices.alicloud["eu-central-1"].instanceHour["ecs.g7.large"].usd * hoursPerMonth, 2);
        expect(priced.basis).toContain("min size");
    });

    it("prices an ACK node pool at its minimum size × its instance type; an ESS attachment to an ALB server group is free", () => {
        const pool = res("alicloud:cs/nodePool:NodePool", "nodes", { instanceTypes: ["ecs.g7.xlarge"], scalingConfig: { enable: true, minSize: 3, maxSize: 9 } });
        const attachment = res("alicloud:ess/albServerGroupAttachment:AlbServerGroupAttachment", "route-nodes", { port: 31625 });
        const estimate = estimateCost([pool, attachment]);
        expect(estimate.unpriced).toEqual([]);
        expect(estimate.byResource).toHaveLength(1);
        expect(estimate.byResource[0].monthlyUsd).toBeCloseTo(3 * catalogue.prices.alicloud["eu-central-1"].instanceHour["ecs.g7.xlarge"].usd * hoursPerMonth, 2);
    });
});

describe("costChange", () => {
    const lb = res("aws:lb/loadBalancer:LoadBalancer", "lb", tagged("transactional"));
    const nat = res("aws:ec2/natGateway:NatGateway", "nat", tagged("transactional"));
    const base = estimateCost([lb]);
    const head = estimateCost([lb, nat]);

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

describe("the price catalogue", () => {
    it("loads, and every price names its source page and date", () => {
        const text = fs.readFileSync(pricesFile, "utf8");
        const prices = text.split("\n").filter((l) => l.includes("usd:"));
        expect(prices.length).toBeGreaterThan(40);
        for (const line of prices) expect(line).toMatch(/source: https:\/\/\S+, date: \d{4}-\d{2}-\d{2} \}/);
    });

    it("rejects a price without a source", () => {
        const text = fs.readFileSync(pricesFile, "utf8").replace(/natGatewayHour: \{ usd: ([\d.]+), source: \S+,/, "natGatewayHour: { usd: $1,");
        expect(() => parseCatalogue(text, "prices.yaml")).toThrow(/Invalid price catalogue prices.yaml:\n.*prices\.aws\.eu-west-1\.natGatewayHour\.source/);
    });
});
