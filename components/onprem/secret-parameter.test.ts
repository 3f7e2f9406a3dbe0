import * as pulumi from "@pulumi/pulumi";
import { maskForDisplay } from "pulumi-offline-plan/runtime";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { SecretParameter } from "./secret-parameter";

const run = useMockRuntime();
const args = { environment: "dev" as const, namespace: "team-dev", value: pulumi.secret("s3cr3t-value") };

test("an Opaque Secret whose value travels only as a secret", async () => {
    new SecretParameter("token", args);
    const secret = await run.one("kubernetes:core/v1:Secret", "token");
    expect(secret.plain.type).toBe("Opaque");
    expect(secret.plain.stringData).toEqual({ value: "s3cr3t-value" });
    expect(secret.hasSecretInput).toBe(true);
    expect(JSON.stringify(maskForDisplay(secret.inputs))).not.toContain("s3cr3t-value");
});

test("immutable in dev; mutable but protected in prod", async () => {
    new SecretParameter("devsecret", args);
    new SecretParameter("prodsecret", { ...args, environment: "prod" });
    const dev = await run.one("kubernetes:core/v1:Secret", "devsecret");
    const prod = await run.one("kubernetes:core/v1:Secret", "prodsecret");
    expect([dev.plain.immutable, dev.options.protect]).toEqual([true, false]);
    expect([prod.plain.immutable, prod.options.protect]).toEqual([false, true]);
});

test("the name is generated, so a new value rolls consumers onto a new Secret", async () => {
    const p = new SecretParameter("generated", args);
    expect((await run.one("kubernetes:core/v1:Secret", "generated")).plain.metadata.name).toBeUndefined();
    expect(p.envName).toBe("GENERATED");
});

test("rejects a plain string", () => {
    expect(() => new SecretParameter("plain", { ...args, value: "x" as any })).toThrow(
        "SecretParameter: `value` must be a Pulumi secret (pulumi.secret(...) or a secret config value).",
    );
});

test("rejects a bad key", () => {
    expect(() => new SecretParameter("badkey", { ...args, key: "a/b" })).toThrow("SecretParameter: `key` may hold letters, digits, '-', '_' and '.', got a/b.");
});
