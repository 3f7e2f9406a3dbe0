/**
 * The organisation stack: what turns the cost tags every workload stack puts on
 * its resources into billing data finance can read, and the budgets that watch it.
 *
 * - AWS (run with the management account's role, where billing lives): the four
 *   cost tags activated as cost allocation tags, so Cost Explorer, budgets and
 *   exports show them; an AWS Data Export in FOCUS 1.0 to S3; budgets and a cost
 *   anomaly monitor per workload and environment, filtered on the cost tags.
 * - GCP (the analytics project, where GCP's own billing export lands in
 *   BigQuery): Storage Transfer Service copies the AWS export into Cloud Storage
 *   by assuming an AWS role with its Google identity (no access keys anywhere);
 *   a BigQuery dataset holds the AWS FOCUS table, Alibaba Cloud's bills, the
 *   private cloud's showback and the view that joins them with GCP's export on
 *   the cost tags; budgets per workload and environment filtered on the
 *   `workload` label and the environment's project.
 *
 * What a cloud offers no API for (Alibaba Cloud's cost allocation tags and bill
 * export, GCP's billing export to BigQuery) is a documented step in docs/cost.md.
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { alicloudBillSchema, awsExport, focusDataPrefix, focusQuery, onpremShowbackSchema, spendViewSql } from "./billing-data";
import { budgetList, parseBudgets } from "./budgets";

const config = new pulumi.Config();
const managementRoleArn = config.require("managementRoleArn");
const billingRegion = config.require("awsBillingRegion");
const costTagKeys = config.requireObject<string[]>("costTagKeys");
const gcpProject = config.require("gcpProject");
const bigqueryLocation = config.require("bigqueryLocation");
const billingAccount = config.require("gcpBillingAccount");
const gcpExportTable =
    config.get("gcpBillingExportTable") || `${gcpProject}.billing_export.gcp_billing_export_resource_v1_${billingAccount.replace(/-/g, "_")}`;
const alertEmails = config.requireObject<string[]>("alertEmails");
const thresholds = config.requireObject<number[]>("alertThresholdPercents");
const anomalyImpactUsd = config.requireNumber("anomalyImpactUsd");
const transferStart = config.require("transferStartDate");
const stackFile = `organization/Pulumi.${pulumi.getStack()}.yaml`;
const budgets = budgetList(parseBudgets(config.requireObject("budgets"), stackFile));
const environments = z
    .record(z.string(), z.object({ gcpProject: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/) }).strict())
    .parse(config.requireObject("environments"));

/** This stack's own resources carry the cost tags too: finance's own tooling is a cost like any other. */
const ownTags = { workload: "finops", environment: "prod", "cost-center": config.require("costCenter"), "managed-by": "pulumi" };

// ---------------------------------------------------------------- AWS (management account)

const management = new aws.Provider("management", {
    region: billingRegion as aws.Region,
    assumeRoles: [{ roleArn: managementRoleArn, sessionName: "multicloud-organization" }],
    defaultTags: { tags: ownTags },
});
const onManagement = { provider: management };
const account = aws.getCallerIdentityOutput({}, onManagement).accountId;
const partition = aws.getPartitionOutput({}, onManagement).partition;

/**
 * A key can be activated only once it has appeared in billing data, about a day
 * after the first tagged resource is created (docs/cost.md): until then AWS
 * refuses it and the update fails; run it again the next day.
 */
const costAllocationTags = costTagKeys.map((key) => new aws.costexplorer.CostAllocationTag(`tag-${key}`, { tagKey: key, status: "Active" }, onManagement));

// Named from the account, so its name and ARN are known before it exists and the policies below read as they will be.
const exportBucketName = pulumi.interpolate`multicloud-focus-export-${account}`;
const exportBucketArn = pulumi.interpolate`arn:${partition}:s3:::${exportBucketName}`;
const exportBucket = new aws.s3.Bucket("focus-export", { bucket: exportBucketName, forceDestroy: false }, { ...onManagement, protect: true });
new aws.s3.BucketPublicAccessBlock(
    "focus-export",
    { bucket: exportBucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    onManagement,
);
new aws.s3.BucketOwnershipControls("focus-export", { bucket: exportBucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, onManagement);
new aws.s3.BucketServerSideEncryptionConfiguration(
    "focus-export",
    { bucket: exportBucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
    onManagement,
);
/** Data Exports writes as the billing services, only for this account's exports. */
const exportWriters = aws.iam.getPolicyDocumentOutput(
    {
        statements: [
            {
                sid: "DataExportsWrite",
                principals: [{ type: "Service", identifiers: ["billingreports.amazonaws.com", "bcm-data-exports.amazonaws.com"] }],
                actions: ["s3:PutObject", "s3:GetBucketPolicy"],
                resources: [exportBucketArn, pulumi.interpolate`${exportBucketArn}/*`],
                conditions: [
                    { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
                    {
                        test: "StringLike",
                        variable: "aws:SourceArn",
                        values: [
                            pulumi.interpolate`arn:${partition}:cur:${billingRegion}:${account}:definition/*`,
                            pulumi.interpolate`arn:${partition}:bcm-data-exports:${billingRegion}:${account}:export/*`,
                        ],
                    },
                ],
            },
            {
                sid: "TlsOnly",
                effect: "Deny",
                principals: [{ type: "*", identifiers: ["*"] }],
                actions: ["s3:*"],
                resources: [exportBucketArn, pulumi.interpolate`${exportBucketArn}/*`],
                conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
            },
        ],
    },
    onManagement,
);
const exportPolicy = new aws.s3.BucketPolicy("focus-export", { bucket: exportBucket.id, policy: exportWriters.json }, onManagement);

new aws.bcmdata.Export(
    "focus",
    {
        export: {
            name: awsExport.name,
            description: "Cost and usage in FOCUS 1.0 for the multicloud spend view (BigQuery, analytics project).",
            dataQueries: [{ queryStatement: focusQuery }],
            destinationConfigurations: [
                {
                    s3Destinations: [
                        {
                            s3Bucket: exportBucketName,
                            s3Prefix: awsExport.s3Prefix,
                            s3Region: billingRegion,
                            s3OutputConfigurations: [{ format: "PARQUET", compression: "PARQUET", outputType: "CUSTOM", overwrite: "OVERWRITE_REPORT" }],
                        },
                    ],
                },
            ],
            refreshCadences: [{ frequency: "SYNCHRONOUS" }],
        },
    },
    { ...onManagement, dependsOn: [exportPolicy] },
);

// ---------------------------------------------------------------- GCP (analytics project)

const analytics = new gcp.Provider("analytics", { project: gcpProject, defaultLabels: ownTags });
const onAnalytics = { provider: analytics };

/** The Google identity Storage Transfer Service runs as in this project; AWS trusts it by its unique id. */
const transferAgent = gcp.storage.getTransferProjectServiceAccountOutput({ project: gcpProject }, onAnalytics);

const transferRole = new aws.iam.Role(
    "storage-transfer",
    {
        description: "Assumed by Google Storage Transfer Service (web identity, no access keys) to copy the FOCUS export.",
        maxSessionDuration: 3600,
        assumeRolePolicy: aws.iam.getPolicyDocumentOutput(
            {
                statements: [
                    {
                        actions: ["sts:AssumeRoleWithWebIdentity"],
                        principals: [{ type: "Federated", identifiers: ["accounts.google.com"] }],
                        conditions: [{ test: "StringEquals", variable: "accounts.google.com:sub", values: [transferAgent.subjectId] }],
                    },
                ],
            },
            onManagement,
        ).json,
    },
    onManagement,
);
new aws.iam.RolePolicy(
    "storage-transfer-read",
    {
        role: transferRole.name,
        policy: aws.iam.getPolicyDocumentOutput(
            {
                statements: [
                    { actions: ["s3:ListBucket", "s3:GetBucketLocation"], resources: [exportBucketArn] },
                    { actions: ["s3:GetObject"], resources: [pulumi.interpolate`${exportBucketArn}/${awsExport.s3Prefix}/*`] },
                ],
            },
            onManagement,
        ).json,
    },
    onManagement,
);

const landing = new gcp.storage.Bucket(
    "billing-landing",
    {
        name: `${gcpProject}-billing-landing`,
        location: bigqueryLocation,
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        versioning: { enabled: true },
        labels: ownTags,
    },
    { ...onAnalytics, protect: true },
);
const sinkAccess = ["roles/storage.objectAdmin", "roles/storage.legacyBucketReader"].map(
    (role) =>
        new gcp.storage.BucketIAMMember(`billing-landing-${role.split(".").pop()}`, { bucket: landing.name, role, member: transferAgent.member }, onAnalytics),
);

const [startYear, startMonth, startDay] = transferStart.split("-").map(Number);
new gcp.storage.TransferJob(
    "aws-focus",
    {
        project: gcpProject,
        description: "Daily copy of the AWS FOCUS export into the billing landing bucket",
        transferSpec: {
            awsS3DataSource: { bucketName: exportBucketName, path: `${awsExport.s3Prefix}/`, roleArn: transferRole.arn },
            gcsDataSink: { bucketName: landing.name, path: awsExport.gcsPath },
            transferOptions: { overwriteWhen: "DIFFERENT" },
        },
        schedule: { scheduleStartDate: { year: startYear, month: startMonth, day: startDay }, repeatInterval: "86400s" },
    },
    { ...onAnalytics, dependsOn: sinkAccess },
);

const dataset = new gcp.bigquery.Dataset(
    "finops",
    {
        datasetId: "finops",
        location: bigqueryLocation,
        description: "Actual spend of every cloud, joined on the cost tags (workload, environment, cost-center).",
        labels: ownTags,
    },
    { ...onAnalytics, protect: true },
);
const datasetRef = pulumi.interpolate`${gcpProject}.${dataset.datasetId}`;
const focusPrefix = landing.name.apply(focusDataPrefix);

const awsFocusTable = new gcp.bigquery.Table(
    "aws-focus",
    {
        datasetId: dataset.datasetId,
        tableId: "aws_focus",
        description: "AWS cost and usage in FOCUS 1.0, read in place from the landing bucket (Parquet, one partition per billing period).",
        labels: ownTags,
        deletionProtection: false,
        externalDataConfiguration: {
            sourceFormat: "PARQUET",
            autodetect: true,
            sourceUris: [pulumi.interpolate`${focusPrefix}*`],
            hivePartitioningOptions: { mode: "AUTO", sourceUriPrefix: focusPrefix },
        },
    },
    onAnalytics,
);

const alicloudBillsTable = new gcp.bigquery.Table(
    "alicloud-bills",
    {
        datasetId: dataset.datasetId,
        tableId: "alicloud_bills",
        description: "Alibaba Cloud instance bills, loaded from their export to OSS (docs/cost.md).",
        labels: ownTags,
        schema: JSON.stringify(alicloudBillSchema),
        timePartitioning: { type: "MONTH", field: "billing_date" },
    },
    { ...onAnalytics, protect: true },
);

const onpremShowbackTable = new gcp.bigquery.Table(
    "onprem-showback",
    {
        datasetId: dataset.datasetId,
        tableId: "onprem_showback",
        description: "The private cloud's showback: requests times the rate card (data/rate-card.yaml).",
        labels: ownTags,
        schema: JSON.stringify(onpremShowbackSchema),
        timePartitioning: { type: "MONTH", field: "month" },
    },
    { ...onAnalytics, protect: true },
);

const spendView = new gcp.bigquery.Table(
    "spend",
    {
        datasetId: dataset.datasetId,
        tableId: "spend",
        description: "Spend per cloud, month, workload, environment and cost center: every cloud's bill in one view.",
        labels: ownTags,
        deletionProtection: false,
        view: {
            useLegacySql: false,
            query: pulumi
                .all([datasetRef, awsFocusTable.tableId, alicloudBillsTable.tableId, onpremShowbackTable.tableId])
                .apply(([ds, awsTable, alicloudTable, onpremTable]) =>
                    spendViewSql({ gcpExport: gcpExportTable, dataset: ds, awsTable, alicloudTable, onpremTable }),
                ),
        },
    },
    onAnalytics,
);

// ---------------------------------------------------------------- budgets and alerts

const percentRules = (type: "ACTUAL" | "FORECASTED") =>
    thresholds.map((threshold) => ({
        comparisonOperator: "GREATER_THAN",
        notificationType: type,
        threshold,
        thresholdType: "PERCENTAGE",
        subscriberEmailAddresses: alertEmails,
    }));

/** A cost filter on our tags: the workload and the environment, both at once. */
const tagFilter = (workload: string, environment: string) => ({
    ands: [
        { tags: { key: "workload", values: [workload], matchOptions: ["EQUALS"] } },
        { tags: { key: "environment", values: [environment], matchOptions: ["EQUALS"] } },
    ],
});

const awsBudgets = budgets.filter((b) => b.cloud === "aws");
for (const b of awsBudgets) {
    new aws.budgets.Budget(
        `aws-${b.workload}-${b.environment}`,
        {
            name: `${b.workload}-${b.environment}-aws`,
            budgetType: "COST",
            timeUnit: "MONTHLY",
            limitAmount: b.monthlyUsd.toFixed(2),
            limitUnit: "USD",
            metrics: "UnblendedCost",
            filterExpression: tagFilter(b.workload, b.environment),
            notifications: [...percentRules("ACTUAL"), ...percentRules("FORECASTED").filter((n) => n.threshold >= 100)],
        },
        { ...onManagement, dependsOn: costAllocationTags },
    );
}

/** One monitor per budgeted workload and environment: an anomaly is reported against the tags that own it. */
const anomalyMonitors = awsBudgets.map(
    (b) =>
        new aws.costexplorer.AnomalyMonitor(
            `anomalies-${b.workload}-${b.environment}`,
            {
                name: `${b.workload}-${b.environment}`,
                monitorType: "CUSTOM",
                monitorSpecification: JSON.stringify({
                    And: [
                        { Tags: { Key: "workload", Values: [b.workload], MatchOptions: ["EQUALS"] } },
                        { Tags: { Key: "environment", Values: [b.environment], MatchOptions: ["EQUALS"] } },
                    ],
                }),
            },
            { ...onManagement, dependsOn: costAllocationTags },
        ),
);

if (anomalyMonitors.length > 0) {
    new aws.costexplorer.AnomalySubscription(
        "anomalies",
        {
            name: "multicloud-cost-anomalies",
            frequency: "DAILY",
            monitorArnLists: anomalyMonitors.map((m) => m.arn),
            subscribers: alertEmails.map((address) => ({ type: "EMAIL", address })),
            thresholdExpression: {
                dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", values: [String(anomalyImpactUsd)], matchOptions: ["GREATER_THAN_OR_EQUAL"] },
            },
        },
        onManagement,
    );
}

for (const b of budgets.filter((b) => b.cloud === "gcp")) {
    const project = environments[b.environment]?.gcpProject;
    if (!project) {
        throw new Error(
            `${stackFile}: budgets.${b.workload}.${b.environment}.gcp has no project: add ${b.environment} to multicloud-organization:environments with its gcpProject.`,
        );
    }
    const number = gcp.organizations.getProjectOutput({ projectId: project }, onAnalytics).number;
    new gcp.billing.Budget(
        `gcp-${b.workload}-${b.environment}`,
        {
            billingAccount,
            displayName: `${b.workload}-${b.environment}-gcp`,
            // A GCP budget filter takes one label, the workload; the environment is its project.
            budgetFilter: { projects: [pulumi.interpolate`projects/${number}`], labels: { workload: b.workload }, calendarPeriod: "MONTH" },
            amount: { specifiedAmount: { currencyCode: "USD", units: String(Math.round(b.monthlyUsd)) } },
            thresholdRules: [
                ...thresholds.map((t) => ({ thresholdPercent: t / 100, spendBasis: "CURRENT_SPEND" })),
                { thresholdPercent: 1, spendBasis: "FORECASTED_SPEND" },
            ],
        },
        onAnalytics,
    );
}

/** Where finance reads actual spend, and where each source lands. */
export const spendViewId = pulumi.interpolate`${datasetRef}.${spendView.tableId}`;
export const focusExportBucket = exportBucketName;
export const landingBucket = landing.url;
export const activatedCostTags = costAllocationTags.map((t) => t.tagKey);
