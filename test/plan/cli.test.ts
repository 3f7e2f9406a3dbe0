/**
 * The plan's CLI as this project runs it (`npm run plan`): secrets in every output
 * with this project's policy pack, its exit codes on the pack's violations and
 * configuration, and this project's configuration errors.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { secretPlaceholder } from "pulumi-offline-plan";
import { cli, fixture } from "../helpers/cli";
import { planFixture } from "./plan-fixtures";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
const [json, packConfig] = [path.join(dir, "plan.json"), path.join(dir, "config.json")];
type Run = Awaited<ReturnType<typeof cli>>;
/** The plans with this project's pack, started together when the tests start; each test waits for its own. */
let runs: Record<"secrets" | "violation" | "refusedConfig", Promise<Run>>;
beforeAll(() => {
    fs.writeFileSync(packConfig, JSON.stringify({ "aws-ecs-service-minimum-healthy-percent": { minimumHealthyPercent: "lots" } }));
    runs = {
        // With the policy pack: policies see secret values, so the plan must mask what they say too.
        secrets: cli(["--cwd", planFixture("efs-program"), "--stack", "enc", "--policy-pack", "policies", "--json", json]),
        violation: cli(["--cwd", planFixture("efs-program"), "--stack", "dev", "--policy-pack", "policies"]),
        refusedConfig: cli(["--cwd", planFixture("esm-program"), "--stack", "dev", "--policy-pack", "policies", "--policy-pack-config", packConfig]),
    };
});

describe("secrets", () => {
    test("a secure: value is a secret everywhere: inputs, outputs, JSON and terminal", async () => {
        const { code, stdout, stderr } = await runs.secrets;
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

describe("exit codes", () => {
    test("1 on a mandatory violation, named in the output", async () => {
        const { code, stdout } = await runs.violation;
        expect(code).toBe(1);
        expect(stdout).toMatch(/\[mandatory\] multicloud\/aws-efs-encrypted/);
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

test("policy pack configuration that a policy's schema refuses is bad usage (exit 2), as the CLI refuses it", async () => {
    const { code, stderr } = await runs.refusedConfig;
    expect(code).toBe(2);
    expect(stderr).toContain(
        'Policy pack config for "aws-ecs-service-minimum-healthy-percent" (pack multicloud) is invalid: /minimumHealthyPercent must be integer',
    );
});
