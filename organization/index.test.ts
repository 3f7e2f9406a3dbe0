/**
 * The organisation stack as `pulumi preview` would create it, planned offline by
 * the project's own plan (`npm run plan -- --cwd organization --stack
 * organization`), with its own configuration: the resources that turn cost tags
 * into billing data and budgets, read back field by field.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { cli } from "../test/helpers/cli";
import type { PlanResource } from "pulumi-offline-plan";
import type { CostEstimate } from "pulumi-offline-plan";
import { budgetList, parseBudgets } from "./budgets";

const stackFile = path.join(__dirname, "Pulumi.organization.yaml");
const config = (parseYaml(fs.readFileSync(stackFile, "utf8")) as { config: Record<string, unknown> }).config;
const budgets = budgetList(parseBudgets(config["multicloud-organization:budgets"], stackFile));

interface PlanJson {
    resources: PlanResource[];
    cost: CostEstimate;
    outputs: Record<string, unknown>;
}

let plan: PlanJson;
let exitCode: number;
let output: string;
beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "organization-"));
    const json = path.join(dir, "plan.json");
    const run = await cli(["--cwd", "organization", "--stack", "organization", "--json", json]);
    exitCode = run.code;
    output = run.stdout + run.stderr;
    plan = JSON.parse(fs.readFileSync(json, "utf8"));
}, 120_000);

/** A planned resource, read by path as the provider's resource it is. */
type Planned = PlanResource & { inputs: any };
const ofType = (type: string) => plan.resources.filter((r) => r.type === type) as Planned[];
const byUrn = (urn: string | undefined) => plan.resources.find((r) => r.urn === urn?.slice(0, urn.lastIndexOf("::")) || r.urn === urn);
const providerOf = (r: PlanResource) => byUrn(r.provider)!;
const awsCostTags = ["workload", "environment", "cost-center", "managed-by"];

test("plans cleanly as a project of its own", () => {
    expect([exitCode, output]).toEqual([0, expect.stringContaining("Offline plan of multicloud-organization/organization")]);
});

test("runs the AWS side with the management account's role, and no access keys", () => {
    const provider = ofType("pulumi:providers:aws").find((p) => p.name === "management")!;
    expect(JSON.parse(String(provider.inputs.assumeRoles))).toEqual([
        expect.objectContaining({ roleArn: config["multicloud-organization:managementRoleArn"] }),
    ]);
    for (const p of ofType("pulumi:providers:aws")) expect(Object.keys(p.inputs)).not.toEqual(expect.arrayContaining(["accessKey"]));
    for (const r of plan.resources.filter((r) => r.type.startsWith("aws:"))) expect(providerOf(r).name).toBe("management");
});

test("activates the four cost tags as AWS cost allocation tags", () => {
    const tags = ofType("aws:costexplorer/costAllocationTag:CostAllocationTag");
    expect(tags.map((t) => [t.inputs.tagKey, t.inputs.status])).toEqual(awsCostTags.map((key) => [key, "Active"]));
    expect(plan.outputs.activatedCostTags).toEqual(awsCostTags);
});

test("exports AWS cost and usage in FOCUS 1.0 to S3, into a private bucket only the billing services write", () => {
    const [exp] = ofType("aws:bcmdata/export:Export");
    const e = exp.inputs.export;
    expect(e.dataQueries[0].queryStatement).toMatch(/^SELECT .*\bBilledCost\b.*\bTags\b.* FROM FOCUS_1_0_AWS$/);
    const s3 = e.destinationConfigurations[0].s3Destinations[0];
    expect(s3).toMatchObject({ s3Prefix: "focus", s3Region: "us-east-1", s3OutputConfigurations: [{ format: "PARQUET", outputType: "CUSTOM" }] });
    const [bucket] = ofType("aws:s3/bucket:Bucket");
    expect(s3.s3Bucket).toBe(bucket.inputs.bucket);
    expect(exp.dependsOn).toContain(ofType("aws:s3/bucketPolicy:BucketPolicy")[0].urn);
    const [policy] = ofType("aws:s3/bucketPolicy:BucketPolicy");
    const [write, tlsOnly] = JSON.parse(String(policy.inputs.policy)).Statement;
    expect(write.Principal.Service).toEqual(expect.arrayContaining(["bcm-data-exports.amazonaws.com"]));
    expect(write.Resource).toEqual(expect.arrayContaining([`arn:aws:s3:::${bucket.inputs.bucket}/*`]));
    expect(write.Condition.StringLike["aws:SourceArn"]).toEqual(
        expect.arrayContaining([expect.stringMatching(/^arn:aws:bcm-data-exports:us-east-1:\d{12}:export\/\*$/)]),
    );
    expect(tlsOnly).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect(ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0].inputs).toMatchObject({ blockPublicAcls: true, restrictPublicBuckets: true });
});

test("copies the export into Cloud Storage with Storage Transfer Service assuming an AWS role by its Google identity", () => {
    const [job] = ofType("gcp:storage/transferJob:TransferJob");
    const source = job.inputs.transferSpec.awsS3DataSource;
    expect(source).toMatchObject({ path: "focus/" });
    expect(source).not.toHaveProperty("awsAccessKey");
    expect(source).not.toHaveProperty("credentialsSecret");
    const [role] = ofType("aws:iam/role:Role");
    expect(job.propertyDependencies?.transferSpec).toContain(role.urn);
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0];
    expect(trust).toMatchObject({ Action: "sts:AssumeRoleWithWebIdentity", Principal: { Federated: "accounts.google.com" } });
    expect(Object.keys(trust.Condition.StringEquals)).toEqual(["accounts.google.com:sub"]);
    expect(job.inputs.transferSpec.gcsDataSink.bucketName).toBe(ofType("gcp:storage/bucket:Bucket")[0].inputs.name);
    expect(ofType("aws:iam/accessKey:AccessKey")).toEqual([]);
});

test("holds the spend of every cloud in one BigQuery dataset of the analytics project, joined on the cost tags", () => {
    const [dataset] = ofType("gcp:bigquery/dataset:Dataset");
    expect(dataset.inputs).toMatchObject({ datasetId: "finops", location: "EU" });
    expect(providerOf(dataset).inputs.project).toBe("marketplace-analytics");
    const tables = Object.fromEntries(ofType("gcp:bigquery/table:Table").map((t) => [t.inputs.tableId, t.inputs]));
    expect(Object.keys(tables).sort()).toEqual(["alicloud_bills", "aws_focus", "onprem_showback", "spend"]);
    expect(tables.aws_focus.externalDataConfiguration).toMatchObject({ sourceFormat: "PARQUET", hivePartitioningOptions: { mode: "AUTO" } });
    expect(tables.aws_focus.externalDataConfiguration.sourceUris[0]).toBe("gs://marketplace-analytics-billing-landing/aws/focus/multicloud-focus/data/*");
    expect(JSON.parse(tables.alicloud_bills.schema).map((f: { name: string }) => f.name)).toEqual(
        expect.arrayContaining(["tags", "pretax_amount", "billing_cycle"]),
    );
    expect(JSON.parse(tables.onprem_showback.schema).map((f: { name: string }) => f.name)).toEqual(
        expect.arrayContaining(["workload", "environment", "cost_center", "usd"]),
    );
    const view = tables.spend.view.query as string;
    for (const source of ["gcp_billing_export_resource_v1_01A2B3_C4D5E6_F7A8B9", "finops.aws_focus", "finops.alicloud_bills", "finops.onprem_showback"])
        expect(view).toContain(source);
    for (const cloud of ["gcp", "aws", "alicloud", "onprem"]) expect(view).toContain(`'${cloud}' AS cloud`);
    expect(view).toContain("AS cost_center");
    expect(plan.outputs.spendViewId).toBe("marketplace-analytics.finops.spend");
});

test("sets an AWS budget per budgeted workload and environment, filtered on both cost tags, alerting at each threshold", () => {
    const expected = budgets.filter((b) => b.cloud === "aws");
    const planned = ofType("aws:budgets/budget:Budget");
    expect(planned.map((b) => [b.inputs.name, b.inputs.limitAmount])).toEqual(
        expected.map((b) => [`${b.workload}-${b.environment}-aws`, b.monthlyUsd.toFixed(2)]),
    );
    for (const [i, b] of planned.entries()) {
        expect(b.inputs.filterExpression).toEqual({
            ands: [
                { tags: { key: "workload", values: [expected[i].workload], matchOptions: ["EQUALS"] } },
                { tags: { key: "environment", values: [expected[i].environment], matchOptions: ["EQUALS"] } },
            ],
        });
        const actual = (b.inputs.notifications as { notificationType: string; threshold: number }[])
            .filter((n) => n.notificationType === "ACTUAL")
            .map((n) => n.threshold);
        expect(actual).toEqual([50, 80, 100]);
        expect(b.dependsOn).toEqual(expect.arrayContaining(ofType("aws:costexplorer/costAllocationTag:CostAllocationTag").map((t) => t.urn)));
    }
});

test("watches each AWS budgeted workload and environment with a cost anomaly monitor on the cost tags", () => {
    const monitors = ofType("aws:costexplorer/anomalyMonitor:AnomalyMonitor");
    expect(monitors).toHaveLength(budgets.filter((b) => b.cloud === "aws").length);
    for (const m of monitors) {
        expect(m.inputs.monitorType).toBe("CUSTOM");
        const spec = JSON.parse(String(m.inputs.monitorSpecification));
        expect(spec.And.map((e: { Tags: { Key: string } }) => e.Tags.Key)).toEqual(["workload", "environment"]);
    }
    const [subscription] = ofType("aws:costexplorer/anomalySubscription:AnomalySubscription");
    expect(subscription.propertyDependencies?.monitorArnLists?.sort()).toEqual(monitors.map((m) => m.urn).sort());
    expect(subscription.inputs.thresholdExpression.dimension).toMatchObject({ key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", values: ["100"] });
});

test("sets a GCP budget per budgeted workload and environment, filtered on the workload label and that environment's project", () => {
    const expected = budgets.filter((b) => b.cloud === "gcp");
    const planned = ofType("gcp:billing/budget:Budget");
    expect(planned.map((b) => b.inputs.displayName)).toEqual(expected.map((b) => `${b.workload}-${b.environment}-gcp`));
    const projects = new Set<string>();
    for (const [i, b] of planned.entries()) {
        const filter = b.inputs.budgetFilter;
        expect(filter.labels).toEqual({ workload: expected[i].workload });
        expect(filter.projects).toEqual([expect.stringMatching(/^projects\/\d+$/)]);
        projects.add(filter.projects[0]);
        expect(b.inputs.amount).toEqual({ specifiedAmount: { currencyCode: "USD", units: String(expected[i].monthlyUsd) } });
        expect(b.inputs.billingAccount).toBe(config["multicloud-organization:gcpBillingAccount"]);
    }
    // dev and prod are different projects: each budget watches its own environment.
    expect(projects.size).toBe(planned.length);
});

test("its own resources are priced (nothing unpriced) and carry the cost tags through their providers", () => {
    expect(plan.cost.unpriced).toEqual([]);
    expect(plan.cost.byWorkload).toEqual(expect.not.objectContaining({ untagged: expect.anything() }));
    expect(JSON.parse(String(ofType("pulumi:providers:aws")[0].inputs.defaultTags)).tags).toMatchObject({ workload: "finops", "cost-center": "finance" });
});

test("a bad budget stops the plan with the key and what it must be", async () => {
    const run = await cli(["--cwd", "organization", "--stack", "organization", "--config", 'multicloud-organization:budgets={"backend":{"prod":{"aws":-5}}}']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("budgets.backend.prod.aws: a monthly amount in USD, above 0");
});
