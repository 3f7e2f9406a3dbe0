import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../contracts";

export interface AccessLogBucketArgs {
    environment: Environment;
    /** Key prefix the load balancer writes under. */
    prefix: string;
    /** Days the logs are kept. */
    retentionDays?: number;
}

/**
 * An S3 bucket for load balancer access logs: private, owner-enforced, encrypted
 * with S3-managed keys (the only kind ELB log delivery supports), writable only by
 * the region's ELB log delivery under the prefix, and expired after retention.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly bucketName: pulumi.Output<string>;
    /** Resolves once the delivery policy exists: ALBs refuse to log to a bucket they cannot write. */
    readonly policy: aws.s3.BucketPolicy;

    constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:aws:AccessLogBucket", name, {}, opts);
        const retentionDays = args.retentionDays ?? 90;
        if (!Number.isInteger(retentionDays) || retentionDays < 1) {
            throw new Error(`AccessLogBucket: \`retentionDays\` must be a whole number >= 1; got ${retentionDays}.`);
        }
        const prod = args.environment === "prod";

        this.bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: false }, { parent: this, protect: prod });
        const bucket = this.bucket.id;
        new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            { parent: this },
        );
        new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            { parent: this },
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-expiry`,
            { bucket, rules: [{ id: "expire-access-logs", status: "Enabled", filter: { prefix: `${args.prefix}/` }, expiration: { days: retentionDays } }] },
            { parent: this },
        );

        const elbAccount = aws.elb.getServiceAccountOutput({}, { parent: this });
        const caller = aws.getCallerIdentityOutput({}, { parent: this });
        const policy = aws.iam.getPolicyDocumentOutput(
            {
                statements: [
                    {
                        sid: "ElbLogDelivery",
                        actions: ["s3:PutObject"],
                        principals: [{ type: "AWS", identifiers: [elbAccount.arn] }],
                        resources: [pulumi.interpolate`${this.bucket.arn}/${args.prefix}/AWSLogs/${caller.accountId}/*`],
                    },
                    {
                        sid: "DenyInsecureTransport",
                        effect: "Deny",
                        actions: ["s3:*"],
                        principals: [{ type: "*", identifiers: ["*"] }],
                        resources: [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`],
                        conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
                    },
                ],
            },
            { parent: this },
        );
        this.policy = new aws.s3.BucketPolicy(`${name}-policy`, { bucket, policy: policy.json }, { parent: this });

        this.bucketName = this.bucket.id;
        this.registerOutputs({ bucketName: this.bucketName });
    }
}
