/**
 * The bot's apply against an in-process stand-in of the CLI: what it calls, in
 * which checkout, and what it concludes when a step fails. The workflow test
 * runs the same code through deploy.yml with a stand-in executable.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAcceptedDoors } from "pulumi-offline-plan";
import { deployWaves, lastGoodCommit, lastGoodTag, summaryMarkdown, type DeployContext, type Verifier } from "./deploy";
import { destroyStack } from "./destroy";
import type { CliResult, PulumiRunner } from "./pulumi-cli";

/** A repository with two commits: the last good one and the one being deployed. */
function repository(): { root: string; good: string; head: string } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
    git("init", "--quiet", "--initial-branch=main");
    git("config", "user.email", "ci@example.com");
    git("config", "user.name", "CI");
    fs.writeFileSync(path.join(root, "version"), "1");
    git("add", "version");
    git("commit", "--quiet", "-m", "good");
    const good = git("rev-parse", "HEAD");
    fs.writeFileSync(path.join(root, "version"), "2");
    git("commit", "--quiet", "-am", "head");
    return { root, good, head: git("rev-parse", "HEAD") };
}

interface Recorded {
    args: string[];
    version: string;
}

/** A CLI whose answers a test scripts: `answer(args, version)` gets the call and the checkout's version file. */
function cli(answer: (args: string[], version: string) => Partial<CliResult> | undefined): { run: PulumiRunner; calls: Recorded[] } {
    const calls: Recorded[] = [];
    const run: PulumiRunner = async (args, options = {}) => {
        const version = options.cwd ? fs.readFileSync(path.join(options.cwd, "version"), "utf8") : "";
        calls.push({ args, version });
        return { code: 0, stdout: args[0] === "preview" ? JSON.stringify({ steps: [] }) : "", stderr: "", ...answer(args, version) };
    };
    return { run, calls };
}

const verification = JSON.stringify({ verification: { rollouts: [], healthChecks: [{ name: "lb", url: "https://lb.example/healthz" }] } });
const healthy: Verifier = async () => ({ ok: true, results: [{ target: "lb", ok: true, state: "healthy", detail: "200" }] });
const doors = parseAcceptedDoors("doors: []", "deploy/accepted-doors.yaml");

function context(root: string, run: PulumiRunner, verify: Verifier = healthy, created: string[] = []): DeployContext {
    return {
        root,
        organization: "acme",
        pulumi: run,
        doors,
        verify,
        log: () => undefined,
        packConfig: (e) => `policies/config/${e}.json`,
        created: new Set(created),
        pushTags: false,
    };
}

const ops = (calls: Recorded[]) =>
    calls.filter((c) => ["up", "preview"].includes(c.args[0])).map((c) => `${c.args[0]} ${c.args[c.args.indexOf("--stack") + 1]} v${c.version}`);

describe("the bot's apply", () => {
    test("the last good commit is the bot's stack tag, else the newest succeeded update's git.head", async () => {
        const { root, good } = repository();
        const tagged = cli((args) => (args[1] === "tag" ? { stdout: `${good}\n` } : { code: 1 }));
        expect(await lastGoodCommit(context(root, tagged.run), "a-dev")).toBe(good);
        const history = [
            { kind: "update", result: "failed", environment: { "git.head": "f".repeat(40) } },
            { kind: "refresh", result: "succeeded", environment: { "git.head": "e".repeat(40) } },
            { kind: "update", result: "succeeded", environment: { "git.head": good } },
        ];
        const untagged = cli((args) =>
            args[1] === "tag" ? { code: 255, stderr: "not found" } : args[1] === "history" ? { stdout: JSON.stringify(history) } : {},
        );
        expect(await lastGoodCommit(context(root, untagged.run), "a-dev")).toBe(good);
        const none = cli((args) => (args[1] === "tag" ? { code: 255 } : { stdout: "[]" }));
        expect(await lastGoodCommit(context(root, none.run), "a-dev")).toBeUndefined();
    });

    test("a failed update whose rollback also fails to verify: the stack needs a person, and later stacks are not run", async () => {
        const { root, good } = repository();
        const { run, calls } = cli((args, version) => {
            if (args[1] === "tag" && args[2] === "get") return { stdout: good };
            if (args[0] === "up" && version === "2") return { code: 255, stderr: "error: update failed" };
            if (args[1] === "output") return { stdout: verification };
            return undefined;
        });
        const unhealthy: Verifier = async () => ({ ok: false, results: [{ target: "lb", ok: false, state: "unhealthy", detail: "500" }] });
        const waves = [
            { number: 1, environment: "dev", stacks: ["a-dev"] },
            { number: 2, environment: "dev", stacks: ["b-dev"] },
        ];
        const results = await deployWaves(context(root, run, unhealthy), waves);
        expect(results.map((r) => [r.stack, r.outcome])).toEqual([
            ["a-dev", "rollback failed"],
            ["b-dev", "not run"],
        ]);
        expect(ops(calls)).toEqual(["preview acme/a-dev v2", "up acme/a-dev v2", "preview acme/a-dev v1", "up acme/a-dev v1"]);
        expect(results[0].lines).toContain("The rollback did not verify: a-dev needs a person now.");
        expect(summaryMarkdown("Deploy", waves, results)).toMatch(/\| 2 \(dev\) \| b-dev \| ⏸️ not run \| unknown \|/);
        // The checkout of the last good commit is gone again.
        expect(execFileSync("git", ["worktree", "list"], { cwd: root, encoding: "utf8" }).trim().split("\n")).toHaveLength(1);
    });

    test("a new stack whose first update fails has nothing to go back to, and says so", async () => {
        const { root } = repository();
        const { run, calls } = cli((args) => (args[0] === "up" ? { code: 255, stderr: "error: quota exceeded" } : undefined));
        const [result] = await deployWaves(context(root, run, healthy, ["c-dev"]), [{ number: 1, environment: "dev", stacks: ["c-dev"] }]);
        expect(result.outcome).toBe("failed, no rollback");
        expect(calls[0].args).toEqual(["stack", "select", "acme/c-dev", "--create"]);
        expect(result.lines.join("\n")).toMatch(/No last good commit to go back to/);
    });

    test("a preview that fails (a mandatory policy violation) changes nothing: refused, no rollback", async () => {
        const { root } = repository();
        const { run, calls } = cli((args) =>
            args[0] === "preview" ? { code: 255, stderr: "error: preview failed: 1 mandatory policy violation" } : undefined,
        );
        const [result] = await deployWaves(context(root, run), [{ number: 1, environment: "prod", stacks: ["a-prod"] }]);
        expect(result.outcome).toBe("refused");
        expect(calls.some((c) => c.args[0] === "up")).toBe(false);
        expect(result.lines.join("\n")).toContain("1 mandatory policy violation");
        expect(calls.find((c) => c.args[0] === "preview")!.args).toEqual(
            expect.arrayContaining(["--policy-pack", path.join(root, "policies"), "--policy-pack-config", path.join(root, "policies/config/prod.json")]),
        );
    });

    test("a stack that exports nothing to verify does not count as deployed", async () => {
        const { root, good } = repository();
        const { run } = cli((args) => (args[1] === "tag" && args[2] === "get" ? { stdout: good } : args[1] === "output" ? { stdout: "{}" } : undefined));
        const [result] = await deployWaves(context(root, run), [{ number: 1, environment: "dev", stacks: ["a-dev"] }]);
        expect(result.lines.join("\n")).toContain("Cannot verify: the stack's `verification` output could not be read");
        expect(result.outcome).toBe("rollback failed");
    });

    test("Kubernetes rollouts are left to `pulumi up`'s own await; every other rollout and each health check is verified", async () => {
        const { root } = repository();
        const rollouts = [
            { kind: "kubernetes-deployment", namespace: "analytics", name: "converter" },
            { kind: "gcp-region-instance-group-manager", project: "p", region: "europe-west3", name: "workers" },
        ];
        const output = JSON.stringify({ verification: { rollouts, healthChecks: [] } });
        const { run } = cli((args) => (args[1] === "output" ? { stdout: output } : args[1] === "tag" && args[2] === "get" ? { code: 255 } : undefined));
        const seen: unknown[] = [];
        const verify: Verifier = async (v) => {
            seen.push(...v.rollouts);
            return { ok: true, results: [{ target: "gcp workers", ok: true, state: "succeeded", detail: "stable" }] };
        };
        const [result] = await deployWaves(context(root, run, verify), [{ number: 1, environment: "dev", stacks: ["a-dev"] }]);
        expect(seen).toEqual([rollouts[1]]);
        expect(result.lines).toContain(
            "- ok: kubernetes-deployment analytics/converter: awaited by `pulumi up`, which fails when the rollout does not complete",
        );
    });

    test("a verified update records the commit as last good, on the stack and as a deployed/ tag", async () => {
        const { root, head } = repository();
        const { run, calls } = cli((args) =>
            args[1] === "output" ? { stdout: verification } : args[1] === "tag" && args[2] === "get" ? { code: 255 } : undefined,
        );
        const [result] = await deployWaves(context(root, run), [{ number: 1, environment: "dev", stacks: ["a-dev"] }]);
        expect(result.outcome).toBe("deployed");
        expect(calls.find((c) => c.args[2] === "set")!.args).toEqual(["stack", "tag", "set", lastGoodTag, head, "--stack", "acme/a-dev"]);
        expect(execFileSync("git", ["tag", "--list", "deployed/*"], { cwd: root, encoding: "utf8" }).trim()).toBe(`deployed/a-dev/${head}`);
    });
});

describe("destroying a removed stack", () => {
    const state = (resources: object[]) => JSON.stringify({ deployment: { resources } });
    const efs = "urn:pulumi:a-dev::multicloud::aws:efs/fileSystem:FileSystem::files";

    test("a stateful resource review did not accept refuses the destroy: nothing is unprotected or destroyed", async () => {
        const { root } = repository();
        const { run, calls } = cli((args) =>
            args[1] === "export" ? { stdout: state([{ urn: efs, type: "aws:efs/fileSystem:FileSystem", protect: true }]) } : undefined,
        );
        const result = await destroyStack(run, "acme", "a-dev", doors, root);
        expect(result.outcome).toBe("refused");
        expect(result.lines[1]).toBe(`- aws:efs/fileSystem:FileSystem ${efs} (it holds the files written to it), protected`);
        expect(calls.map((c) => c.args[0])).toEqual(["stack"]);
    });

    test("resources kept on delete are no loss; stateless ones need no acceptance", async () => {
        const { root } = repository();
        const resources = [
            { urn: efs, type: "aws:efs/fileSystem:FileSystem", retainOnDelete: true },
            { urn: "urn:pulumi:a-dev::multicloud::aws:ec2/vpc:Vpc::net", type: "aws:ec2/vpc:Vpc" },
        ];
        const { run, calls } = cli((args) => (args[1] === "export" ? { stdout: state(resources) } : undefined));
        const result = await destroyStack(run, "acme", "a-dev", doors, root);
        expect(result.outcome).toBe("destroyed");
        expect(calls.map((c) => c.args.slice(0, 2).join(" "))).toEqual(["stack export", "destroy --yes", "stack rm"]);
    });
});
