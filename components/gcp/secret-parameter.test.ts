import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { maskForDisplay } from "pulumi-offline-plan/runtime";
import { SecretParameter } from "./secret-parameter";

const run = useMockRuntime();

test("the value travels only as a secret, in the secret version", async () => {
    new SecretParameter("p1", { environment: "dev", value: pulumi.secret("s3cret-value") });
    const version = await run.one("gcp:secretmanager/secretVersion:SecretVersion", "p1");
    expect(version.plain.secretData).toBe("s3cret-value");
    for (const r of await run.ofType("", "p1")) expect(JSON.stringify(maskForDisplay(r.inputs))).not.toContain("s3cret-value");
});

test("consumers get read-only access", async () => {
    new SecretParameter("p2", { environment: "dev", value: pulumi.secret("v"), accessors: ["serviceAccount:w@p.iam.gserviceaccount.com"] });
    const binding = await run.one("gcp:secretmanager/secretIamMember:SecretIamMember", "p2");
    expect(binding.plain).toMatchObject({ role: "roles/secretmanager.secretAccessor", member: "serviceAccount:w@p.iam.gserviceaccount.com" });
});

test("prod: secret and version protected, deletion protection on", async () => {
    new SecretParameter("p3", { environment: "prod", value: pulumi.secret("v") });
    const secret = await run.one("gcp:secretmanager/secret:Secret", "p3");
    expect(secret.plain.deletionProtection).toBe(true);
    expect(secret.options.protect).toBe(true);
    expect((await run.one("gcp:secretmanager/secretVersion:SecretVersion", "p3")).options.protect).toBe(true);
});

test("rejects a plain string value", () => {
    expect(() => new SecretParameter("bad", { environment: "dev", value: "plain" as any })).toThrow(
        "SecretParameter: `value` must be a Pulumi secret (pulumi.secret(...) or `pulumi config set --secret`), not a plain string.",
    );
});
