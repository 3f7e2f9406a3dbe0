import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const count = new pulumi.Config().requireNumber("queues");
const tags = { workload: "transactional", environment: "prod", "cost-center": "bench", "managed-by": "pulumi" };
for (let i = 0; i < count; i++) {
    const queue = new aws.sqs.Queue(`queue-${i}`, { sqsManagedSseEnabled: true, messageRetentionSeconds: 345600, tags });
    new aws.sqs.QueuePolicy(`queue-${i}-policy`, {
        queueUrl: queue.url,
        policy: queue.arn.apply((arn) =>
            JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: arn, Condition: { Bool: { "aws:SecureTransport": "false" } } }],
            }),
        ),
    });
}
