/**
 * The flags a Pulumi user expects, and bad input: each mistake is exit 2 with one
 * line that names it, before the program runs (the `throws` fixture's program
 * would fail with its own message if it ran). The flags are planned on a CommonJS
 * program: how a program is loaded is no flag's concern (ES module programs have
 * tests of their own), and it plans in a third of an ES module program's time.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli, fixture } from "./helpers/cli";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "plan-flags-"));
const throwsArgs = ["--cwd", fixture("throws"), "--stack", "dev"];

async function refused(args: string[]): Promise<string> {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).not.toContain("size must be positive");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    return stderr;
}

describe("bad input: exit 2, one line, before the program runs", () => {
    test("an unknown flag", async () => {
        expect(await refused([...throwsArgs, "--bogus"])).toContain("unknown option '--bogus'");
    });

    test("an unknown stack, with the stacks that exist", async () => {
        expect(await refused(["--cwd", fixture("throws"), "--stack", "nope"])).toMatch(/Unknown stack "nope".*Stacks of throws: dev/);
    });

    test("a stack name that is no Pulumi stack name, rather than a path outside the stack directory", async () => {
        const [notAStackName, otherProject] = await Promise.all([
            refused(["--cwd", fixture("throws"), "--stack", "../../x"]),
            refused(["--cwd", fixture("throws"), "--stack", "acme/other/dev"]),
        ]);
        expect(notAStackName).toContain("--stack ../../x is no Pulumi stack name");
        expect(otherProject).toContain("names project other");
    });

    test("a policy pack directory without PulumiPolicy.yaml", async () => {
        expect(await refused([...throwsArgs, "--policy-pack", fixture("throws")])).toContain(`--policy-pack ${fixture("throws")}: no PulumiPolicy.yaml`);
    });

    test("more --policy-pack-config than --policy-pack", async () => {
        const dir = tmp();
        const config = path.join(dir, "c.json");
        fs.writeFileSync(config, "{}");
        const stderr = await refused([...throwsArgs, "--policy-pack", fixture("js-pack"), "--policy-pack-config", config, "--policy-pack-config", config]);
        expect(stderr).toContain("2 --policy-pack-config for 1 policy pack(s)");
    });

    test("an output path that cannot be written", async () => {
        const dir = tmp();
        const [json, markdown] = await Promise.all([
            refused([...throwsArgs, "--json", "/nonexistent-dir/plan.json"]),
            refused([...throwsArgs, "--markdown", dir]),
        ]);
        expect(json).toContain("--json /nonexistent-dir/plan.json: the directory /nonexistent-dir does not exist");
        expect(markdown).toContain(`--markdown ${dir}: is a directory`);
    });

    test("--refresh, with the reason", async () => {
        expect(await refused([...throwsArgs, "--refresh"])).toContain("the offline plan has no cloud access");
    });

    test("a --config without a value, and a policy timeout that is no number", async () => {
        const [config, timeout] = await Promise.all([refused([...throwsArgs, "-c", "size"]), refused([...throwsArgs, "--policy-timeout", "soon"])]);
        expect(config).toContain("--config size: expected key=value");
        expect(timeout).toContain("--policy-timeout soon: expected a number of seconds");
    });
});

describe("flags of pulumi preview", () => {
    test("-c key=value sets configuration on top of the stack file; --non-interactive is accepted", async () => {
        const { code, stdout } = await cli([...throwsArgs, "-c", "size=3", "--non-interactive"]);
        expect(code).toBe(0);
        expect(stdout).toContain("Offline plan of throws/dev");
    });

    test("--config-file reads the configuration from another file, named in its errors", async () => {
        const dir = tmp();
        const good = path.join(dir, "good.yaml");
        fs.writeFileSync(good, "config:\n  throws:size: 4\n");
        const bad = path.join(dir, "bad.yaml");
        fs.writeFileSync(bad, "config: [\n");
        const [planned, badFile] = await Promise.all([cli([...throwsArgs, "--config-file", good]), refused([...throwsArgs, "--config-file", bad])]);
        expect(planned.code).toBe(0);
        expect(badFile).toContain(`${bad} is not valid YAML`);
    });

    test("-s org/project/stack names the stack; --json without a file writes the JSON plan alone to stdout", async () => {
        const { code, stdout } = await cli(["--cwd", fixture("cjs-program"), "-s", "acme/cjs-program/dev", "--json"]);
        expect(code).toBe(0);
        const doc = JSON.parse(stdout);
        expect(doc.stack).toBe("dev");
        expect(doc.outputs.organization).toBe("acme");
        expect(doc.steps.map((s: { op: string }) => s.op)).toEqual(expect.arrayContaining(["create"]));
    });

    test("--suppress-outputs leaves the outputs out of the terminal and the JSON", async () => {
        const json = path.join(tmp(), "plan.json");
        const { code, stdout } = await cli(["--cwd", fixture("cjs-program"), "-s", "dev", "--suppress-outputs", "--json", json]);
        expect(code).toBe(0);
        expect(stdout).not.toContain("Outputs:");
        expect(JSON.parse(fs.readFileSync(json, "utf8")).outputs).toEqual({});
    });

    test("--target plans only the named resource; --target-dependents adds what depends on it", async () => {
        const urn = "urn:pulumi:dev::cjs-program::pulumi:pulumi:Stack$fixture:storage:Bucket::logs-archive";
        const [only, withDependents] = (
            await Promise.all([
                cli(["--cwd", fixture("cjs-program"), "-s", "dev", "-t", urn, "--json"]),
                cli(["--cwd", fixture("cjs-program"), "-s", "dev", "-t", urn, "--target-dependents", "--json"]),
            ])
        ).map((run) => JSON.parse(run.stdout));
        expect(only.resources.map((r: { urn: string }) => r.urn)).toEqual([urn]);
        expect(withDependents.resources.map((r: { name: string }) => r.name)).toEqual(["logs-archive", "logs-archive-bucket"]);
    });

    test("--expect-no-changes: 1 with no base, 0 against an identical base, 1 against a base that differs", async () => {
        const base = path.join(tmp(), "base.json");
        // The plan without a base is written all the same: it is the identical base of the next two.
        const noBase = await cli(["--cwd", fixture("cjs-program"), "-s", "dev", "--json", base, "--expect-no-changes"]);
        expect(noBase.code).toBe(1);
        expect(noBase.stderr).toContain("dev: changes found with --expect-no-changes (no --base: every resource is a create)");
        const [same, changed] = await Promise.all([
            cli(["--cwd", fixture("cjs-program"), "-s", "dev", "--base", base, "--expect-no-changes"]),
            cli(["--cwd", fixture("cjs-program"), "-s", "dev", "-c", "bucketPrefix=audit", "--base", base, "--expect-no-changes"]),
        ]);
        expect(same.code).toBe(0);
        expect(changed.code).toBe(1);
        expect(changed.stderr).toContain(`dev: changes found with --expect-no-changes (against ${base} (dev))`);
    }, 240_000);

    test("each --policy-pack-config configures the --policy-pack in the same position", async () => {
        const dir = tmp();
        const [forJsPack, forProviderPack] = [path.join(dir, "a.json"), path.join(dir, "b.json")];
        fs.writeFileSync(forJsPack, JSON.stringify({ "s3-owner-tag-default": "remediate" }));
        fs.writeFileSync(forProviderPack, JSON.stringify({ "provider-region": "disabled" }));
        const packs = ["--policy-pack", fixture("js-pack"), "--policy-pack", fixture("provider-pack")];
        // Swapped, the first pack's configuration names a policy the second pack does not have.
        const [{ code, stdout }, swapped] = await Promise.all([
            cli(["--cwd", fixture("cjs-program"), "-s", "dev", ...packs, "--policy-pack-config", forJsPack, "--policy-pack-config", forProviderPack]),
            cli(["--cwd", fixture("cjs-program"), "-s", "dev", ...packs, "--policy-pack-config", forProviderPack, "--policy-pack-config", forJsPack]),
        ]);
        expect(code).toBe(0);
        expect(stdout).toContain("[remediated] outside/s3-owner-tag-default");
        expect(stdout).toContain("outside@2.3.0 (3 policies), configured by --policy-pack-config");
        expect(stdout).not.toContain("provider-reader/provider-region");
        expect(swapped.code).toBe(2);
        expect(swapped.stderr).toContain('unknown policy "provider-region" (pack outside)');
    }, 240_000);
});

describe("the JSON, --diff and the stack as pulumi preview takes them", () => {
    const guarded = fixture("guarded-program");

    test("-j writes the JSON to stdout; -s org/NAME names the organization and the stack; newState carries dependencies", async () => {
        const { code, stdout } = await cli(["--cwd", guarded, "-s", "acme/dev", "-j"]);
        expect(code).toBe(0);
        const doc = JSON.parse(stdout);
        expect(doc.stack).toBe("dev");
        const files = doc.steps.find((s: { urn: string }) => s.urn.endsWith("aws:efs/fileSystem:FileSystem::files"));
        const key = doc.steps.find((s: { urn: string }) => s.urn.endsWith("aws:kms/key:Key::files"));
        expect(files.newState.dependencies).toEqual([key.urn]);
        expect(files.newState.propertyDependencies).toEqual({ encrypted: null, kmsKeyId: [key.urn] });
        expect(doc.steps.find((s: { urn: string }) => s.urn.endsWith("aws:ec2/vpc:Vpc::shared"))).toMatchObject({
            op: "read",
            newState: { id: "vpc-0a1b2c3d4e5f60718" },
        });
        expect(await refused(["--cwd", guarded, "-s", "acme/other/dev"])).toContain("names project other");
    });

    test("--diff shows a create's new values and, against a base, a change's old and new values", async () => {
        const base = path.join(tmp(), "base.json");
        // The same plan written as JSON becomes, edited, the base.
        const created = await cli(["--cwd", guarded, "-s", "dev", "--diff", "--json", base]);
        expect(created.stdout).toContain("Properties of dev: every resource is a create");
        expect(created.stdout).toContain(
            '  + aws:ec2/instance:Instance  worker\n      + ami: "ami-0123456789abcdef0"\n      + ebsBlockDevices[0].deleteOnTermination: false',
        );
        expect(created.stdout).toContain('      + kmsKeyId: "[unknown]"');
        const doc = JSON.parse(fs.readFileSync(base, "utf8"));
        const worker = doc.resources.find((r: { name: string }) => r.name === "worker");
        worker.inputs.instanceType = "t3.small";
        const efs = doc.resources.find((r: { type: string }) => r.type === "aws:efs/fileSystem:FileSystem");
        efs.inputs.encrypted = false;
        fs.writeFileSync(base, JSON.stringify(doc));
        const changed = await cli(["--cwd", guarded, "-s", "dev", "--diff", "--base", base, "--allow-one-way-door", "files"]);
        expect(changed.stdout).toContain(`Properties of dev against ${base} (dev)`);
        expect(changed.stdout).toContain('  ~  aws:ec2/instance:Instance  worker\n      ~ instanceType: "t3.small" => "t3.micro"');
        expect(changed.stdout).toContain("  +- aws:efs/fileSystem:FileSystem  files  (replace)\n      ~ encrypted: false => true  [forces replacement]");
        // An unchanged resource is not in the diff.
        expect(changed.stdout.slice(changed.stdout.indexOf("Properties of"))).not.toContain("aws:kms/key:Key");
    }, 120_000);
});
