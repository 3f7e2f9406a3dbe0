/**
 * The plan's CLI as a user runs it: each exit code, and policy packs written elsewhere.
 * The plans are of a CommonJS program (esm-program's twin): the CLI's part does not
 * depend on how a program is loaded, which the runner's tests cover.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli, fixture } from "./helpers/cli";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
const [elsewhereJson, remediatedJson, remediateConfig] = [path.join(dir, "plan.json"), path.join(dir, "remediated.json"), path.join(dir, "config.json")];
type Run = Awaited<ReturnType<typeof cli>>;
/** The program's plans, started together when the tests start; each test waits for its own. */
let runs: Record<"clean" | "elsewhere" | "remediated", Promise<Run>>;
beforeAll(() => {
    fs.writeFileSync(remediateConfig, JSON.stringify({ "s3-owner-tag-default": "remediate" }));
    const program = ["--cwd", fixture("cjs-program"), "--stack", "dev"];
    runs = {
        clean: cli(program),
        elsewhere: cli([...program, "--policy-pack", fixture("js-pack"), "--json", elsewhereJson]),
        remediated: cli([...program, "--policy-pack", fixture("js-pack"), "--policy-pack-config", remediateConfig, "--json", remediatedJson]),
    };
});

describe("exit codes", () => {
    test("0 when no mandatory violation", async () => {
        const { code, stdout } = await runs.clean;
        expect(code).toBe(0);
        expect(stdout).toContain("aws:s3/bucket:Bucket");
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

describe("a policy pack written elsewhere (plain JavaScript, typed helpers of the SDK)", () => {
    test("runs unchanged through --policy-pack: its name, version, levels and messages reach the plan", async () => {
        const { code, stdout } = await runs.elsewhere;
        expect(code).toBe(1);
        expect(stdout).toContain("outside@2.3.0 (3 policies)");
        expect(stdout).toContain("logs-archive-bucket: The bucket has no owner tag.");
        const plan = JSON.parse(fs.readFileSync(elsewhereJson, "utf8"));
        const byPolicy = Object.fromEntries(plan.violations.map((v: { policy: string }) => [v.policy, v]));
        expect(byPolicy["s3-owner-tag"]).toMatchObject({ policyPack: "outside", enforcementLevel: "mandatory" });
        expect(byPolicy["s3-owner-tag"].urn).toMatch(/::logs-archive-bucket$/);
        expect(byPolicy["at-most-one-bucket"]).toMatchObject({ enforcementLevel: "advisory", urn: "" });
    });
});

test("a remediating policy fixes a resource before it is judged, as the engine runs Remediate before Analyze", async () => {
    const { code, stdout } = await runs.remediated;
    expect(code).toBe(0);
    expect(stdout).toContain("[remediated] outside/s3-owner-tag-default: logs-archive-bucket");
    const plan = JSON.parse(fs.readFileSync(remediatedJson, "utf8"));
    expect(plan.resources.find((r: { name: string }) => r.name === "logs-archive-bucket").inputs.tags).toEqual({ owner: "platform" });
    expect(plan.violations.map((v: { policy: string }) => v.policy)).not.toContain("s3-owner-tag");
    expect(plan.remediations).toEqual([expect.objectContaining({ policyPack: "outside", policy: "s3-owner-tag-default" })]);
});
