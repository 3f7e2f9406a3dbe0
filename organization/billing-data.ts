/**
 * Actual spend in one place: the BigQuery tables each cloud's bills land in,
 * and the view that joins them on the same cost tags the plan estimates with.
 * Pure: names, schemas and SQL, so a test can read them without a cloud.
 */

/** Where the AWS Data Export writes in S3, and where Storage Transfer Service copies it to in Cloud Storage. */
export const awsExport = {
    name: "multicloud-focus",
    /** The S3 prefix of the export; AWS writes `<prefix>/<name>/data/BILLING_PERIOD=YYYY-MM/*.parquet` under it. */
    s3Prefix: "focus",
    /** The same objects in the landing bucket, keys kept: `aws/focus/<name>/data/...`. */
    gcsPath: "aws/",
};

/** The FOCUS 1.0 columns with AWS columns that finance reads; Data Exports takes a query over `FOCUS_1_0_AWS`. */
export const focusColumns = [
    "BilledCost",
    "BillingAccountId",
    "BillingCurrency",
    "BillingPeriodStart",
    "BillingPeriodEnd",
    "ChargeCategory",
    "ChargeDescription",
    "ChargePeriodStart",
    "ChargePeriodEnd",
    "EffectiveCost",
    "ListCost",
    "RegionId",
    "ResourceId",
    "ServiceName",
    "SubAccountId",
    "Tags",
    "x_ServiceCode",
    "x_UsageType",
];

export const focusQuery = `SELECT ${focusColumns.join(", ")} FROM FOCUS_1_0_AWS`;

/** Where the AWS FOCUS files sit in the landing bucket, for the external table. */
export const focusDataPrefix = (bucket: string) => `gs://${bucket}/${awsExport.gcsPath}${awsExport.s3Prefix}/${awsExport.name}/data/`;

/** Alibaba Cloud's instance bill as its export to OSS writes it, loaded as documented in docs/cost.md. */
export const alicloudBillSchema = [
    { name: "billing_cycle", type: "STRING", mode: "REQUIRED", description: "Billing month, YYYY-MM." },
    { name: "billing_date", type: "DATE", mode: "NULLABLE", description: "Day of the charge." },
    { name: "product_code", type: "STRING", mode: "NULLABLE", description: "Product code (ecs, nas, slb, ...)." },
    { name: "instance_id", type: "STRING", mode: "NULLABLE", description: "The instance billed." },
    { name: "region", type: "STRING", mode: "NULLABLE", description: "Region id." },
    {
        name: "tags",
        type: "STRING",
        mode: "NULLABLE",
        description: 'Instance tags as the bill writes them: "key:workload value:backend; key:environment value:prod".',
    },
    { name: "pretax_amount", type: "NUMERIC", mode: "NULLABLE", description: "Amount after discounts, before tax." },
    { name: "currency", type: "STRING", mode: "NULLABLE", description: "Currency of the amount." },
];

/** The private cloud's monthly showback: pods' requests and claims' storage at the rate card's rates. */
export const onpremShowbackSchema = [
    { name: "month", type: "DATE", mode: "REQUIRED", description: "First day of the month shown back." },
    { name: "workload", type: "STRING", mode: "REQUIRED", description: "The workload label of the namespace." },
    { name: "environment", type: "STRING", mode: "REQUIRED", description: "The environment label of the namespace." },
    { name: "cost_center", type: "STRING", mode: "REQUIRED", description: "The cost-center label of the namespace." },
    { name: "resource", type: "STRING", mode: "NULLABLE", description: "The workload object or claim shown back." },
    { name: "usd", type: "NUMERIC", mode: "REQUIRED", description: "Amount at the rate card's rates." },
    { name: "basis", type: "STRING", mode: "NULLABLE", description: "Requests times rates, as the plan computes it." },
];

export interface SpendViewTables {
    /** `project.dataset.table` of GCP's detailed (resource-level) billing export to BigQuery. */
    gcpExport: string;
    /** `project.dataset` of the tables this stack creates. */
    dataset: string;
    awsTable: string;
    alicloudTable: string;
    onpremTable: string;
}

/**
 * One row per cloud, month, workload, environment and cost center, in USD: the
 * four sources joined on the cost tags every resource carries. AWS writes
 * activated user tags into FOCUS `Tags` (with or without the `user:` prefix,
 * both read); GCP labels arrive as key/value records; Alibaba Cloud's bill
 * writes tags as text; the private cloud is shown back already attributed.
 */
export function spendViewSql(t: SpendViewTables): string {
    const tag = (key: string) => `(SELECT value FROM UNNEST(labels) WHERE key = '${key}')`;
    // Parquet maps reach BigQuery as repeated key/value records.
    const focusTag = (key: string) => `(SELECT kv.value FROM UNNEST(Tags.key_value) kv WHERE kv.key IN ('${key}', 'user:${key}') LIMIT 1)`;
    const aliTag = (key: string) => `REGEXP_EXTRACT(tags, r'key:${key} value:([^;]+)')`;
    return [
        `SELECT 'gcp' AS cloud, DATE_TRUNC(DATE(usage_start_time), MONTH) AS month,`,
        `  ${tag("workload")} AS workload, ${tag("environment")} AS environment, ${tag("cost-center")} AS cost_center,`,
        `  SUM(cost + IFNULL((SELECT SUM(c.amount) FROM UNNEST(credits) c), 0)) AS usd, currency`,
        `FROM \`${t.gcpExport}\``,
        `GROUP BY cloud, month, workload, environment, cost_center, currency`,
        `UNION ALL`,
        `SELECT 'aws' AS cloud, DATE_TRUNC(DATE(ChargePeriodStart), MONTH) AS month,`,
        `  ${focusTag("workload")} AS workload, ${focusTag("environment")} AS environment, ${focusTag("cost-center")} AS cost_center,`,
        `  SUM(BilledCost) AS usd, BillingCurrency AS currency`,
        `FROM \`${t.dataset}.${t.awsTable}\``,
        `GROUP BY cloud, month, workload, environment, cost_center, currency`,
        `UNION ALL`,
        `SELECT 'alicloud' AS cloud, DATE(PARSE_DATE('%Y-%m', billing_cycle)) AS month,`,
        `  ${aliTag("workload")} AS workload, ${aliTag("environment")} AS environment, ${aliTag("cost-center")} AS cost_center,`,
        `  SUM(pretax_amount) AS usd, currency`,
        `FROM \`${t.dataset}.${t.alicloudTable}\``,
        `GROUP BY cloud, month, workload, environment, cost_center, currency`,
        `UNION ALL`,
        `SELECT 'onprem' AS cloud, month, workload, environment, cost_center, SUM(usd) AS usd, 'USD' AS currency`,
        `FROM \`${t.dataset}.${t.onpremTable}\``,
        `GROUP BY cloud, month, workload, environment, cost_center, currency`,
    ].join("\n");
}
