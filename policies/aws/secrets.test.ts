import { secret, unknown, usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack({ ignorePreviewNotices: true });
const param = "aws:ssm/parameter:Parameter";
const policy = "aws-ssm-secret-parameter-secure-string";

describe(policy, () => {
    test("a SecureString under a customer-managed key passes, also when the key is not known yet", async () => {
        expect(await pack.policiesHit([{ type: param, inputs: { name: "/app/dbPassword", type: "SecureString", keyId: "arn:aws:kms:eu-west-1:1:key/k", value: secret("hunter2") } }])).not.toContain(policy);
        expect(await pack.policiesHit([{ type: param, inputs: { name: "/app/api-key", type: "SecureString", keyId: unknown, value: secret("x") } }])).not.toContain(policy);
    });
    test("names that say secret: a String, the default key, or alias/aws/ssm are blocked; no secret value is printed", async () => {
        const v = await pack.judge([{ type: param, inputs: { name: "/app/dbPassword", type: "String", value: secret("hunter2") } }]);
        expect(v.map((x) => x.policy)).toContain(policy);
        expect(JSON.stringify(v)).not.toContain("hunter2");
        expect(await pack.policiesHit([{ type: param, inputs: { name: "/app/SERVICE_TOKEN", type: "SecureString", value: secret("x") } }])).toContain(policy);
        expect(await pack.policiesHit([{ type: param, inputs: { name: "/app/apiKey", type: "SecureString", keyId: "alias/aws/ssm", value: secret("x") } }])).toContain(policy);
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
        expect(await pack.policiesHit([{ type: key, inputs: { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" } }])).not.toContain("aws-kms-key-rotation");
    });
});

describe("aws-cloudwatch-log-group-retention", () => {
    test("a retention passes; left out or 0 (never expire) is blocked", async () => {
        const lg = "aws:cloudwatch/logGroup:LogGroup";
        expect(await pack.policiesHit([{ type: lg, inputs: { retentionInDays: 30 } }])).not.toContain("aws-cloudwatch-log-group-retention");
        expect(await pack.policiesHit([{ type: lg, inputs: {} }])).toContain("aws-cloudwatch-log-group-retention");
        expect(await pack.policiesHit([{ type: lg, inputs: { retentionInDays: 0 } }])).toContain("aws-cloudwatch-log-group-retention");
    });
});
