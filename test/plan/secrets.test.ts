/**
 * Secrets: this project's stack files hold nothing the Pulumi CLI cannot read,
 * each takes its secrets from an ESC environment kept in environments/, and the
 * plan masks its stand-ins in every output, also where this project's policy pack
 * quotes them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { loadProject, loadStackConfig, secretPlaceholder } from "pulumi-offline-plan";
import { cli, root } from "../helpers/cli";
import { planFixture as fixture } from "./plan-fixtures";

/** Ciphertext that decodes to text is a stand-in: no secrets provider produced it. */
function readableSegments(value: string): string[] {
    return value
        .split(":")
        .filter((s) => /^[A-Za-z0-9+/]{8,}={0,2}$/.test(s))
        .map((s) => Buffer.from(s, "base64"))
        .filter((bytes) => bytes.length >= 6 && [...bytes].every((b) => b >= 0x20 && b < 0x7f))
        .map((bytes) => bytes.toString("latin1"));
}

/** Every `secure:` value and the `encryptionsalt` of a parsed stack file. */
function ciphertexts(node: unknown, key = ""): string[] {
    if (Array.isArray(node)) return node.flatMap((n) => ciphertexts(n));
    if (node !== null && typeof node === "object") return Object.entries(node).flatMap(([k, v]) => ciphertexts(v, k));
    return (key === "secure" || key === "encryptionsalt") && typeof node === "string" ? [node] : [];
}

const stackFiles = fs
    .readdirSync(path.join(root, "stacks"))
    .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
    .map((f) => path.join(root, "stacks", f));

describe("stack files the Pulumi CLI reads as they are", () => {
    test("the check finds the stand-in ciphertext the stack files used to hold", () => {
        const standIn = parse(
            "encryptionsalt: v1:offline0salt:v1:placeholder0000000000000000==\nconfig:\n  x:\n    secure: v1:offline0nonce:v1:c2VjcmV0LWNpcGhlcnRleHQtcGxhY2Vob2xkZXI=\n",
        );
        expect(ciphertexts(standIn).flatMap(readableSegments)).toEqual(expect.arrayContaining(["secret-ciphertext-placeholder"]));
        expect(readableSegments("v1:Gl+8GRvlqkPRMYmr:rNGUGPu0vRjGdj7tkkR0bBGeuXlzCr3QUR/+7p79sA==")).toEqual([]);
    });

    test.each(stackFiles.map((f) => [path.basename(f), f]))("%s holds no ciphertext that decodes to text", (_, file) => {
        const doc = parse(fs.readFileSync(file, "utf8"));
        const readable = ciphertexts(doc).flatMap(readableSegments);
        expect(readable).toEqual([]);
    });

    test.each(stackFiles.map((f) => [path.basename(f), f]))("%s takes its secrets from an ESC environment kept in environments/", (name, file) => {
        const stack = /^Pulumi\.(.+)\.yaml$/.exec(name)![1];
        const doc = parse(fs.readFileSync(file, "utf8"));
        expect(doc.encryptionsalt).toBeUndefined();
        expect(doc.environment).toEqual([`multicloud/${stack}`]);
        const loaded = loadStackConfig(loadProject(root), stack);
        expect(loaded.secretKeys).toContain("multicloud:secrets");
        const secrets = JSON.parse(loaded.config["multicloud:secrets"]) as Record<string, string>;
        expect(Object.keys(secrets).length).toBeGreaterThan(0);
        expect(Object.values(secrets).every((v) => v === secretPlaceholder)).toBe(true);
    });
});

describe("stand-ins are masked in every output", () => {
    test("terminal, JSON and Markdown show [secret], never the stand-in or the ciphertext", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        const json = path.join(dir, "plan.json");
        const markdown = path.join(dir, "comment.md");
        const { code, stdout, stderr } = await cli([
            "--cwd",
            fixture("esc-program"),
            "--stack",
            "dev",
            "--policy-pack",
            "policies",
            "--json",
            json,
            "--markdown",
            markdown,
        ]);
        expect(code).toBeLessThan(2);
        const plan = JSON.parse(fs.readFileSync(json, "utf8"));
        for (const name of ["db-password", "api-key", "outside-token", "connection", "legacy-token", "admin-token"]) {
            expect(plan.resources.find((r: { name: string }) => r.name === name).inputs.value).toBe("[secret]");
        }
        expect(plan.outputs).toEqual({ apiKey: "[secret]", region: "eu-west-1" });
        expect(stdout).toContain('apiKey: "[secret]"');
        const stackFile = fs.readFileSync(path.join(fixture("esc-program"), "Pulumi.dev.yaml"), "utf8");
        const ciphertext = /secure: (\S+)/.exec(stackFile)![1];
        for (const out of [fs.readFileSync(json, "utf8"), fs.readFileSync(markdown, "utf8"), stdout, stderr]) {
            expect(out).not.toContain(secretPlaceholder);
            expect(out).not.toContain(ciphertext);
        }
    });
});
