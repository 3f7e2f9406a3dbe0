import * as pulumi from "@pulumi/pulumi";
import { maskForDisplay } from "pulumi-offline-plan/runtime";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { SecretParameter } from "./secret-parameter";

const run = useMockRuntime();

describe("SecretParameter", () => {
    test("stores the value in a KMS secret only as a secret, version id included", async () => {
        new SecretParameter("sec-value", { environment: "dev", value: pulumi.secret("s3cr3t-value") });
        const secret = await run.one("alicloud:kms/secret:Secret", "sec-value");
        expect(secret.plain.secretData).toBe("s3cr3t-value");
        expect(secret.plain.versionId).toMatch(/^v-[0-9a-f]{16}$/);
        expect(JSON.stringify(maskForDisplay(secret.inputs))).not.toContain("s3cr3t-value");
        expect(maskForDisplay(secret.inputs.versionId)).toBe("[secret]");
    });

    test("is never force-deleted and keeps a recovery window: 7 days in dev, 30 in prod", async () => {
        new SecretParameter("sec-dev", { environment: "dev", value: pulumi.secret("a") });
        new SecretParameter("sec-prod", { environment: "prod", value: pulumi.secret("b") });
        const dev = await run.one("alicloud:kms/secret:Secret", "sec-dev");
        const prod = await run.one("alicloud:kms/secret:Secret", "sec-prod");
        expect(dev.plain).toMatchObject({ forceDeleteWithoutRecovery: false, recoveryWindowInDays: 7 });
        expect(prod.plain).toMatchObject({ forceDeleteWithoutRecovery: false, recoveryWindowInDays: 30 });
    });

    test("encrypts with a key of its own that rotates; in prod the key and secret are protected", async () => {
        new SecretParameter("sec-key", { environment: "prod", value: pulumi.secret("c") });
        const key = await run.one("alicloud:kms/key:Key", "sec-key");
        expect(key.plain).toMatchObject({ automaticRotation: "Enabled", rotationInterval: "365d", deletionProtection: "Enabled", pendingWindowInDays: 30 });
        expect(key.options.protect).toBe(true);
        expect((await run.one("alicloud:kms/secret:Secret", "sec-key")).options.protect).toBe(true);
    });

    test("uses a platform key when given, without creating one", async () => {
        new SecretParameter("sec-shared", { environment: "dev", value: pulumi.secret("d"), encryptionKeyId: "key-platform" });
        expect(await run.ofType("alicloud:kms/key:Key", "sec-shared")).toHaveLength(0);
        expect((await run.one("alicloud:kms/secret:Secret", "sec-shared")).plain.encryptionKeyId).toBe("key-platform");
    });

    test("rejects a recovery window outside 7 to 30 days", () => {
        expect(() => new SecretParameter("sec-window", { environment: "dev", value: pulumi.secret("f"), recoveryWindowInDays: 3 })).toThrow(
            "SecretParameter: `recoveryWindowInDays` must be a whole number of days from 7 to 30, got 3.",
        );
    });

    test("rejects a name KMS does not take", () => {
        expect(() => new SecretParameter("acs/reserved", { environment: "dev", value: pulumi.secret("g") })).toThrow(
            'SecretParameter: the name "acs/reserved" is not a KMS secret name: 1 to 192 letters, digits and / _ + = . @ -, not starting with "acs/".',
        );
    });
});
