import { secret, usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack({ ignorePreviewNotices: true });

const kmsSecret = "alicloud:kms/secret:Secret";
const key = "alicloud:kms/key:Key";

describe("alicloud-kms-secret-recovery-window", () => {
    test("a recovery window passes; force deletion is blocked", async () => {
        const base = { secretName: "db", secretData: secret("s3cret"), versionId: "v1" };
        expect(await pack.policiesHit([{ type: kmsSecret, inputs: { ...base, recoveryWindowInDays: 30 } }])).not.toContain(
            "alicloud-kms-secret-recovery-window",
        );
        expect(await pack.policiesHit([{ type: kmsSecret, inputs: { ...base, forceDeleteWithoutRecovery: true } }])).toContain(
            "alicloud-kms-secret-recovery-window",
        );
    });
});

describe("alicloud-kms-key-rotation", () => {
    test("symmetric keys must rotate (Disabled when left out); asymmetric keys are not judged", async () => {
        expect(await pack.policiesHit([{ type: key, inputs: { automaticRotation: "Enabled", rotationInterval: "365d" } }])).not.toContain(
            "alicloud-kms-key-rotation",
        );
        expect(await pack.policiesHit([{ type: key, inputs: {} }])).toContain("alicloud-kms-key-rotation");
        expect(await pack.policiesHit([{ type: key, inputs: { keySpec: "Aliyun_SM4", automaticRotation: "Disabled" } }])).toContain(
            "alicloud-kms-key-rotation",
        );
        expect(await pack.policiesHit([{ type: key, inputs: { keySpec: "RSA_2048", keyUsage: "SIGN/VERIFY" } }])).not.toContain("alicloud-kms-key-rotation");
    });
});
