/**
 * `--watch`: plans again after each change to the program or a pack, with the runner
 * and the packs kept, and goes on after a plan that fails.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fixture, fixturesDir, planCommand, planEnv, root } from "./helpers/cli";

// Inside the package, so the program and the pack resolve its @pulumi packages.
const dir = fs.mkdtempSync(path.join(fixturesDir, ".watch-"));
const program = path.join(dir, "program");
const pack = path.join(dir, "pack");

const bucketProgram = (tags: string) => `import * as aws from "@pulumi/aws";\nexport const bucket = new aws.s3.Bucket("logs", { tags: ${tags} }).bucket;\n`;

beforeAll(() => {
    fs.mkdirSync(program);
    fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: watched\nruntime: nodejs\n");
    fs.writeFileSync(path.join(program, "package.json"), JSON.stringify({ name: "watched", version: "0.0.0", main: "index.ts" }));
    fs.writeFileSync(path.join(program, "Pulumi.dev.yaml"), "config:\n  aws:region: eu-west-1\n");
    fs.writeFileSync(path.join(program, "index.ts"), bucketProgram("{}"));
    fs.cpSync(fixture("js-pack"), pack, { recursive: true });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The watching plan's output so far, and a way to wait for more. */
function watching(args: string[]) {
    const child: ChildProcess = spawn(process.execPath, [...planCommand, ...args], { cwd: root, env: planEnv, stdio: ["ignore", "pipe", "pipe"] });
    const out = { stdout: "", stderr: "" };
    child.stdout!.on("data", (d) => (out.stdout += String(d)));
    child.stderr!.on("data", (d) => (out.stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    /** Waits for the n-th plan; returns what was printed since the previous one. */
    let seen = { stdout: 0, stderr: 0 };
    const plans = () => out.stderr.match(/^watch: planned .*$/gm) ?? [];
    async function plan(n: number): Promise<{ stdout: string; stderr: string; line: string }> {
        for (let waited = 0; plans().length < n; waited += 50) {
            if (child.exitCode !== null) throw new Error(`the watch ended (code ${child.exitCode}): ${out.stderr}`);
            if (waited > 50_000) throw new Error(`no plan ${n} yet; the watch printed:\n${out.stderr}`);
            await new Promise((r) => setTimeout(r, 50));
        }
        const since = { stdout: out.stdout.slice(seen.stdout), stderr: out.stderr.slice(seen.stderr) };
        seen = { stdout: out.stdout.length, stderr: out.stderr.length };
        return { ...since, line: plans()[n - 1] };
    }
    return { child, plan, exited };
}

test("plans at start, after a change to the program, after a change to the pack, and after a bad stack file, until interrupted", async () => {
    const watch = watching(["--cwd", program, "--stack", "dev", "--policy-pack", pack, "--watch"]);

    const first = await watch.plan(1);
    expect(first.line).toMatch(/^watch: planned at start in [\d.]+ s \(exit 1\)/);
    expect(first.stdout).toContain("The bucket has no owner tag.");

    fs.writeFileSync(path.join(program, "index.ts"), bucketProgram(`{ owner: "payments" }`));
    const second = await watch.plan(2);
    expect(second.line).toMatch(/after a change to .*index\.ts .*\(exit 0\)/);
    expect(second.stdout).not.toContain("The bucket has no owner tag.");

    // The pack is started anew: its new rule judges the same program.
    const packSource = path.join(pack, "index.js");
    fs.writeFileSync(packSource, fs.readFileSync(packSource, "utf8").replace("!bucket.tags.owner", 'bucket.tags.owner !== "platform"'));
    const third = await watch.plan(3);
    expect(third.line).toMatch(/after a change to .*index\.js .*\(exit 1\)/);
    expect(third.stdout).toContain("The bucket has no owner tag.");

    fs.writeFileSync(path.join(program, "Pulumi.dev.yaml"), "config:\n  aws:region: [eu-west-1\n");
    const fourth = await watch.plan(4);
    expect(fourth.line).toMatch(/after a change to .*Pulumi\.dev\.yaml .*\(exit 2\)/);
    expect(fourth.stderr).toMatch(/error: .*Pulumi\.dev\.yaml is not valid YAML/);

    watch.child.kill("SIGINT");
    expect(await watch.exited).toBe(0);
}, 120_000);
