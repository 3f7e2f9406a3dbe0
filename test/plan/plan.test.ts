/**
 * The offline plan on small fixture programs: resource capture, secrets, a
 * violation through the real analyzer server, unknowns, and every exit code.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planStack, PolicySession, hasMandatoryViolation, maskViolations } from "../../tools/plan/plan";
import { secretSig, secretSigKey } from "../../tools/plan/capture";
import { policySession } from "../helpers/policy";
import { secretPlaceholder } from "../../tools/plan/project";

const root = path.resolve(__dirname, "../..");
const fixture = (name: string) => path.join(root, "test/fixtures", name);

/** Runs the real CLI as a user does; returns exit code and output. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, ["--import", "tsx", path.join(root, "tools/plan/cli.ts"), ...args], { cwd: root }, (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as NodeJS.ErrnoException & { code: number }).code) : 0, stdout, stderr }),
        );
    });
}

let policies: PolicySession;
beforeAll(async () => {
    policies = await policySession();
}, 60_000);
afterAll(() => policies.stop());

describe("a TypeScript CommonJS program with typed project config", () => {
    test("captures every resource with its type, parent and inputs", async () => {
        const { plan } = await planStack({ cwd: fixture("efs-program"), stack: "enc" }, policies);
        const types = plan.resources.map((r) => r.type);
        expect(types).toEqual(["pulumi:pulumi:Stack", "aws:efs/fileSystem:FileSystem", "aws:ssm/parameter:Parameter"]);
        const efs = plan.resources.find((r) => r.name === "files")!;
        expect(efs.urn).toBe("urn:pulumi:enc::efs-program::pulumi:pulumi:Stack$aws:efs/fileSystem:FileSystem::files");
        expect(efs.parent).toBe(plan.resources[0].urn);
        // The project config's default (encrypted: true) applies when the stack does not set it.
        expect(efs.inputs.encrypted).toBe(true);
    });

    test("a violation reaches the plan through the real analyzer server, attributed to its resource", async () => {
        const { plan } = await planStack({ cwd: fixture("efs-program"), stack: "dev" }, policies);
        const violation = plan.violations.find((v) => v.policy === "aws-efs-encrypted");
        expect(violation).toMatchObject({ policyPack: "multicloud", enforcementLevel: "mandatory" });
        expect(violation!.urn).toMatch(/::files$/);
        expect(hasMandatoryViolation(plan)).toBe(true);
    });

    test("a cloud-assigned output is unknown, as in a real preview; a data source is answered", async () => {
        const { plan } = await planStack({ cwd: fixture("esm-program"), stack: "dev" }, undefined);
        expect(plan.outputs.bucketName).toBe("[unknown]");
        expect(plan.outputs.zoneCount).toBe(3);
    });
});

describe("secrets", () => {
    test("a secure: value is a secret everywhere: inputs, outputs, JSON and terminal", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        const json = path.join(dir, "plan.json");
        // With the policy pack: policies see secret values, so the plan must mask what they say too.
        const { code, stdout, stderr } = await cli(["--cwd", fixture("efs-program"), "--stack", "enc", "--policy-pack", "policies", "--json", json]);
        expect(code).toBeLessThan(2);
        const text = fs.readFileSync(json, "utf8");
        const plan = JSON.parse(text);
        expect(plan.resources.find((r: any) => r.name === "db-password").inputs.value).toBe("[secret]");
        expect(plan.outputs.passwordValue).toBe("[secret]");
        for (const out of [text, stdout, stderr]) {
            expect(out).not.toContain(secretPlaceholder);
            expect(out).not.toContain("Zml4dHVyZS1jaXBoZXJ0ZXh0");
        }
    });
});

describe("an ES-module program (type: module, nodenext imports ending in .js, main: src/)", () => {
    test("runs unchanged, with its own component and a top-level await", async () => {
        const { plan } = await planStack({ cwd: fixture("esm-program"), stack: "dev" }, undefined);
        const bucket = plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        const component = plan.resources.find((r) => r.type === "fixture:storage:Bucket")!;
        expect(component.name).toBe("logs-archive");
        expect(bucket.parent).toBe(component.urn);
        expect(bucket.inputs.forceDestroy).toBe(false);
    });
});

describe("exit codes", () => {
    test("0 when no mandatory violation", async () => {
        const { code, stdout } = await cli(["--cwd", fixture("esm-program"), "--stack", "dev"]);
        expect(code).toBe(0);
        expect(stdout).toContain("aws:s3/bucket:Bucket");
    });

    test("1 on a mandatory violation, named in the output", async () => {
        const { code, stdout } = await cli(["--cwd", fixture("efs-program"), "--stack", "dev", "--policy-pack", "policies"]);
        expect(code).toBe(1);
        expect(stdout).toMatch(/\[mandatory\] multicloud\/aws-efs-encrypted/);
    });

    test("2 for an unknown stack, listing the stacks that exist", async () => {
        const { code, stderr } = await cli(["--cwd", fixture("efs-program"), "--stack", "nope"]);
        expect(code).toBe(2);
        expect(stderr).toContain('Unknown stack "nope"');
        expect(stderr).toContain("Pulumi.nope.yaml");
        expect(stderr).toMatch(/Stacks of efs-program: .*dev/);
    });

    test("2 for a broken YAML stack file, naming file and line", async () => {
        const { code, stderr } = await cli(["--cwd", fixture("efs-program"), "--stack", "broken"]);
        expect(code).toBe(2);
        expect(stderr).toMatch(/Pulumi\.broken\.yaml is not valid YAML \(line \d+, column \d+\)/);
    });

    test("2 when the program throws: one paragraph pointing at the line, no stack trace", async () => {
        const { code, stderr } = await cli(["--cwd", fixture("throws"), "--stack", "dev"]);
        expect(code).toBe(2);
        expect(stderr).toContain("size must be positive");
        expect(stderr).toMatch(/throws\/index\.ts:5/);
        expect(stderr).not.toMatch(/^\s+at /m);
    });

    test("2 for bad usage", async () => {
        const missing = await cli([]);
        expect(missing.code).toBe(2);
        expect(missing.stderr).toContain("--stack NAME");
        const unknown = await cli(["--stack", "x", "--bogus"]);
        expect(unknown.code).toBe(2);
        expect(unknown.stderr).toContain("unknown option '--bogus'");
    });
});

describe("what policies report", () => {
    test("a secret value quoted by a policy is masked", async () => {
        const resource = {
            urn: "urn:pulumi:s::p::aws:ssm/parameter:Parameter::token",
            type: "aws:ssm/parameter:Parameter",
            name: "token",
            custom: true,
            read: false,
            options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [], replaceOnChanges: [], additionalSecretOutputs: [], aliases: [], dependsOn: [] },
            inputs: { value: { [secretSigKey]: secretSig, value: "tok-123456" } },
        };
        const [masked] = maskViolations(
            [{ policyPack: "p", policyPackVersion: "1", policy: "x", description: "d", enforcementLevel: "mandatory", severity: "high", urn: resource.urn, message: "value tok-123456 is weak" }],
            [resource],
        );
        expect(masked.message).toBe("value [secret] is weak");
    });
});

describe("this project's program with a wrong value in a stack file", () => {
    test("exits 2 with the stack file, the key, the value and the valid values, and no location or trace", async () => {
        const { code, stderr } = await cli(["--cwd", fixture("bad-stack"), "--stack", "azure"]);
        expect(code).toBe(2);
        expect(stderr).toContain("Invalid configuration in stacks/Pulumi.azure.yaml (stack azure)");
        expect(stderr).toContain('multicloud:clouds[0] = "azure": valid values: "aws", "gcp", "alicloud", "onprem"');
        expect(stderr).not.toMatch(/failed at|^\s+at /m);
    });
});

describe("a policy pack written elsewhere (plain JavaScript, typed helpers of the SDK)", () => {
    test("runs unchanged through --policy-pack: its name, version, levels and messages reach the plan", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        const json = path.join(dir, "plan.json");
        const { code, stdout } = await cli(["--cwd", fixture("esm-program"), "--stack", "dev", "--policy-pack", fixture("js-pack"), "--json", json]);
        expect(code).toBe(1);
        expect(stdout).toContain("outside@2.3.0 (3 policies)");
        expect(stdout).toContain("logs-archive-bucket: The bucket has no owner tag.");
        const plan = JSON.parse(fs.readFileSync(json, "utf8"));
        const byPolicy = Object.fromEntries(plan.violations.map((v: { policy: string }) => [v.policy, v]));
        expect(byPolicy["s3-owner-tag"]).toMatchObject({ policyPack: "outside", enforcementLevel: "mandatory" });
        expect(byPolicy["s3-owner-tag"].urn).toMatch(/::logs-archive-bucket$/);
        expect(byPolicy["at-most-one-bucket"]).toMatchObject({ enforcementLevel: "advisory", urn: "" });
    });
});

test("a remediating policy fixes a resource before it is judged, as the engine runs Remediate before Analyze", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const [json, config] = [path.join(dir, "plan.json"), path.join(dir, "config.json")];
    fs.writeFileSync(config, JSON.stringify({ "s3-owner-tag-default": "remediate" }));
    const args = ["--cwd", fixture("esm-program"), "--stack", "dev", "--policy-pack", fixture("js-pack"), "--policy-pack-config", config, "--json", json];
    const { code, stdout } = await cli(args);
    expect(code).toBe(0);
    expect(stdout).toContain("[remediated] outside/s3-owner-tag-default: logs-archive-bucket");
    const plan = JSON.parse(fs.readFileSync(json, "utf8"));
    expect(plan.resources.find((r: { name: string }) => r.name === "logs-archive-bucket").inputs.tags).toEqual({ owner: "platform" });
    expect(plan.violations.map((v: { policy: string }) => v.policy)).not.toContain("s3-owner-tag");
    expect(plan.remediations).toEqual([expect.objectContaining({ policyPack: "outside", policy: "s3-owner-tag-default" })]);
});

test("policy pack configuration that a policy's schema refuses is bad usage (exit 2), as the CLI refuses it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const config = path.join(dir, "config.json");
    fs.writeFileSync(config, JSON.stringify({ "aws-ecs-service-minimum-healthy-percent": { minimumHealthyPercent: "lots" } }));
    const { code, stderr } = await cli(["--cwd", fixture("esm-program"), "--stack", "dev", "--policy-pack", "policies", "--policy-pack-config", config]);
    expect(code).toBe(2);
    expect(stderr).toContain('Policy pack config for "aws-ecs-service-minimum-healthy-percent" (pack multicloud) is invalid: /minimumHealthyPercent must be integer');
});
