import { unknown, usePolicyPack, type ResourceSpec } from "../../test/helpers/policy";

const shared = usePolicyPack();
/**
 * The shared pack, with fields set to undefined left out (as the engine sends them)
 * and the SDK's "can't run during preview" notices, which a value not known yet
 * raises, left out of the policies hit.
 */
const pack = {
    judge: (resources: ResourceSpec[], options?: JudgeOptions) => shared.judge(JSON.parse(JSON.stringify(resources)), options),
    async policiesHit(resources: ResourceSpec[], options?: JudgeOptions): Promise<string[]> {
        const violations = await this.judge(resources, options);
        return [...new Set(violations.filter((v) => !v.message.includes("can't run policy")).map((v) => v.policy))].sort();
    },
};
type JudgeOptions = Parameters<typeof shared.judge>[1];
const fs = "aws:efs/fileSystem:FileSystem";
const backup = "aws:efs/backupPolicy:BackupPolicy";

describe("aws-efs-encrypted", () => {
    test("encrypted with a customer-managed key passes, also when the key ARN is not known yet", async () => {
        expect(await pack.policiesHit([{ type: fs, inputs: { encrypted: true, kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k" } }])).not.toContain("aws-efs-encrypted");
        expect(await pack.policiesHit([{ type: fs, inputs: { encrypted: true, kmsKeyId: unknown } }])).not.toContain("aws-efs-encrypted");
    });
    test("unencrypted, left out, or on the AWS-managed key is blocked", async () => {
        for (const inputs of [{ encrypted: false }, {}, { encrypted: true }]) {
            expect(await pack.policiesHit([{ type: fs, inputs }])).toContain("aws-efs-encrypted");
        }
    });
});

describe("aws-efs-backup-not-disabled", () => {
    test("ENABLED passes; DISABLED is blocked", async () => {
        expect(await pack.policiesHit([{ type: backup, inputs: { fileSystemId: "fs-1", backupPolicy: { status: "ENABLED" } } }])).not.toContain("aws-efs-backup-not-disabled");
        expect(await pack.policiesHit([{ type: backup, inputs: { fileSystemId: "fs-1", backupPolicy: { status: "DISABLED" } } }])).toContain("aws-efs-backup-not-disabled");
    });
    test("dev relaxes it to advisory through the pack's configuration", async () => {
        const v = await pack.judge([{ type: backup, inputs: { fileSystemId: "fs-1", backupPolicy: { status: "DISABLED" } } }], { policyConfig: { "aws-efs-backup-not-disabled": "advisory" } });
        expect(v.find((x) => x.policy === "aws-efs-backup-not-disabled")?.enforcementLevel).toBe("advisory");
    });
});
