import { unknown, usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack({ ignorePreviewNotices: true });
const fs = "aws:efs/fileSystem:FileSystem";
const backup = "aws:efs/backupPolicy:BackupPolicy";

describe("aws-efs-encrypted", () => {
    test("encrypted with a customer-managed key passes, also when the key ARN is not known yet", async () => {
        expect(await pack.policiesHit([{ type: fs, inputs: { encrypted: true, kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k" } }])).not.toContain(
            "aws-efs-encrypted",
        );
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
        expect(await pack.policiesHit([{ type: backup, inputs: { fileSystemId: "fs-1", backupPolicy: { status: "ENABLED" } } }])).not.toContain(
            "aws-efs-backup-not-disabled",
        );
        expect(await pack.policiesHit([{ type: backup, inputs: { fileSystemId: "fs-1", backupPolicy: { status: "DISABLED" } } }])).toContain(
            "aws-efs-backup-not-disabled",
        );
    });
    test("dev relaxes it to advisory through the pack's configuration", async () => {
        const v = await pack.judge([{ type: backup, inputs: { fileSystemId: "fs-1", backupPolicy: { status: "DISABLED" } } }], {
            policyConfig: { "aws-efs-backup-not-disabled": "advisory" },
        });
        expect(v.find((x) => x.policy === "aws-efs-backup-not-disabled")?.enforcementLevel).toBe("advisory");
    });
});
