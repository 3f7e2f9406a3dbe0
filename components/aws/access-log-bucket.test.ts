import { useMockRuntime } from "../../test/helpers/pulumi";
import { AccessLogBucket } from "./access-log-bucket";

const run = useMockRuntime();

test("private, encrypted, owner-enforced, expiring; only ELB log delivery may write, only over TLS", async () => {
    new AccessLogBucket("logs", { environment: "prod", prefix: "alb" });
    const block = await run.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "logs");
    expect(block.plain).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    const sse = await run.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "logs");
    expect(sse.plain.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm).toBe("AES256");
    const expiry = await run.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "logs");
    expect(expiry.plain.rules[0].expiration.days).toBe(90);
    const policy = JSON.parse((await run.one("aws:s3/bucketPolicy:BucketPolicy", "logs")).plain.policy);
    expect(policy.Statement[0].Principal.AWS).toBe("arn:aws:iam::156460612806:root");
    expect(policy.Statement[0].Resource).toMatch(/\/alb\/AWSLogs\/123456789012\/\*$/);
    expect(policy.Statement[1]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect((await run.one("aws:s3/bucket:Bucket", "logs")).options.protect).toBe(true);
});

test("rejects a retention below one day", () => {
    expect(() => new AccessLogBucket("logsbad", { environment: "dev", prefix: "alb", retentionDays: 0 })).toThrow(
        "AccessLogBucket: `retentionDays` must be a whole number >= 1; got 0.",
    );
});
