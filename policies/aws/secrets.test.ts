import { secret, unknown, usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack({ ignorePreviewNotices: true });
const param = "aws:ssm/parameter:Parameter";
const policy = "aws-ssm-secret-parameter-secure-string";

describe("aws-ssm-secret-parameter-secure-string", () => {
    test("a SecureString under a customer-managed key passes, also when the key is not known yet", async () => {
        expect(
            await pack.policiesHit([
                { type: param, inputs: { name: "/app/dbPassword", type: "SecureString", keyId: "arn:aws:kms:eu-west-1:1:key/k", value: secret("hunter2") } },
            ]),
        ).not.toContain(policy);
        expect(
            await pack.policiesHit([{ type: param, inputs: { name: "/app/api-key", type: "SecureString", keyId: unknown, value: secret("x") } }]),
        ).not.toContain(policy);
    });
    test("names that say secret: a String, the default key, or alias/aws/ssm are blocked; no secret value is printed", async () => {
        const v = await pack.judge([{ type: param, inputs: { name: "/app/dbPassword", type: "String", value: secret("hunter2") } }]);
        expect(v.map((x) => x.policy)).toContain(policy);
        expect(JSON.stringify(v)).not.toContain("hunter2");
        expect(await pack.policiesHit([{ type: param, inputs: { name: "/app/SERVICE_TOKEN", type: "SecureString", value: secret("x") } }])).toContain(policy);
        expect(
            await pack.policiesHit([{ type: param, inputs: { name: "/app/apiKey", type: "SecureString", keyId: "alias/aws/ssm", value: secret("x") } }]),
        ).toContain(policy);
        expect(await pack.policiesHit([{ type: param, name: "github-credentials", inputs: { type: "String", value: secret("x") } }])).toContain(policy);
    });
    test("a parameter not named like a secret is not judged", async () => {
        expect(await pack.policiesHit([{ type: param, inputs: { name: "/app/region", type: "String", value: "eu-west-1" } }])).not.toContain(policy);
    });
});

describe("aws-kms-key-rotation", () => {
    test("symmetric keys must rotate; asymmetric keys are not judged", async () => {
        const key = "aws:kms/key:Key";
        expect(await pack.policiesHit([{ type: key, inputs: { enableKeyRotation: true } }])).not.toContain("aws-kms-key-rotation");
        expect(await pack.policiesHit([{ type: key, inputs: {} }])).toContain("aws-kms-key-rotation");
        expect(await pack.policiesHit([{ type: key, inputs: { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" } }])).not.toContain(
            "aws-kms-key-rotation",
        );
    });
});

describe("aws-cloudwatch-log-group-retention", () => {
    const lg = "aws:cloudwatch/logGroup:LogGroup";
    const p = "aws-cloudwatch-log-group-retention";
    const messages = async (inputs: Record<string, unknown>, policyConfig?: Record<string, unknown>) =>
        (await pack.judge([{ type: lg, inputs }], policyConfig ? { policyConfig: { [p]: policyConfig } } : {}))
            .filter((v) => v.policy === p)
            .map((v) => v.message.slice(v.message.indexOf("\n") + 1));

    test("a year or more passes, as CloudWatch.16 asks by default", async () => {
        expect(await messages({ retentionInDays: 365 })).toEqual([]);
        expect(await messages({ retentionInDays: 3653 })).toEqual([]);
    });
    test("less than a year is blocked: any retention no longer passes", async () => {
        expect(await messages({ retentionInDays: 30 })).toEqual(["The log group keeps its logs 30 days; at least 365 are required."]);
        expect(await messages({ retentionInDays: 180 })).toEqual(["The log group keeps its logs 180 days; at least 365 are required."]);
    });
    test("left out or 0 (never expire) is blocked for its cost", async () => {
        expect(await messages({})).toEqual(["The log group keeps its logs forever."]);
        expect(await messages({ retentionInDays: 0 })).toEqual(["The log group keeps its logs forever."]);
    });
    test("the minimum is configurable (config/dev.json sets 30)", async () => {
        expect(await messages({ retentionInDays: 30 }, { minRetentionInDays: 30 })).toEqual([]);
        expect(await messages({ retentionInDays: 14 }, { minRetentionInDays: 30 })).toEqual([
            "The log group keeps its logs 14 days; at least 30 are required.",
        ]);
    });
});
