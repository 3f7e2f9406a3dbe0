import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime, valueOf } from "../../test/helpers/pulumi";
import { SecretParameter } from "./secret-parameter";

const run = useMockRuntime();

test("a SecureString under its own rotated key, the value a secret", async () => {
    new SecretParameter("sp", { environment: "dev", parameterName: "/app/db-password", value: pulumi.secret("hunter2") });
    const param = await run.one("aws:ssm/parameter:Parameter", "sp");
    expect(param.plain).toMatchObject({ type: "SecureString", name: "/app/db-password", value: "hunter2" });
    expect(param.plain.keyId).toMatch(/^arn:aws:kms:/);
    expect(param.hasSecretInput).toBe(true);
    expect(JSON.stringify(param.inputs.value)).not.toBe('"hunter2"');
    expect((await run.one("aws:kms/key:Key", "sp")).plain.enableKeyRotation).toBe(true);
});

test("a shared key is used instead of a new one", async () => {
    new SecretParameter("spshared", {
        environment: "dev",
        parameterName: "/app/token",
        value: pulumi.secret("x"),
        kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
    });
    expect(await run.ofType("aws:kms/key:Key", "spshared")).toHaveLength(0);
    expect((await run.one("aws:ssm/parameter:Parameter", "spshared")).plain.keyId).toBe("arn:aws:kms:eu-west-1:123456789012:key/k");
});

test("the read policy allows reading this parameter and decrypting with its key, nothing else", async () => {
    const secret = new SecretParameter("spread", { environment: "dev", parameterName: "/app/api-key", value: pulumi.secret("x") });
    const doc = JSON.parse(await valueOf(secret.readPolicyJson));
    expect(doc.Statement.map((s: any) => s.Action)).toEqual([["ssm:GetParameter", "ssm:GetParameters"], "kms:Decrypt"]);
    expect(doc.Statement.every((s: any) => s.Effect === "Allow" && s.Resource !== "*")).toBe(true);
});

test("prod: the parameter and the key are protected", async () => {
    new SecretParameter("spprod", { environment: "prod", parameterName: "/app/secret", value: pulumi.secret("x") });
    expect((await run.one("aws:ssm/parameter:Parameter", "spprod")).options.protect).toBe(true);
    expect((await run.one("aws:kms/key:Key", "spprod")).options.protect).toBe(true);
});

test("rejects a parameter name that is not a path", () => {
    expect(() => new SecretParameter("spbad1", { environment: "dev", parameterName: "db password", value: pulumi.secret("x") })).toThrow(
        /^SecretParameter: `parameterName` must be a path .* got "db password"\.$/,
    );
});

test("rejects a plain string value", () => {
    expect(() => new SecretParameter("spbad2", { environment: "dev", parameterName: "/app/x", value: "plain" as any })).toThrow(
        "SecretParameter: `value` must be a Pulumi secret (pulumi.secret(...) or config set with --secret), never a plain string.",
    );
});
