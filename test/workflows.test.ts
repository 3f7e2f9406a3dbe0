/**
 * The GitHub workflows, run. A throwaway repository holds this project on
 * `main` and a pull request's branch that raises `maxSize` in
 * stacks/Pulumi.backend-dev.yaml; the pull-request, deploy and drift workflows
 * run on fresh clones of it through test/helpers/workflow-runner.ts, every
 * `run:` step for real, up to the first step that needs the Pulumi CLI or a
 * cloud. The installs use the local npm cache (`npm_config_prefer_offline`).
 *
 * The pull-request workflow's `npm test` step would run this very test again,
 * and so on without end. The runner sets MULTICLOUD_NESTED_TEST, and
 * package.json's `test` script then runs `jest --listTests` only: the step still
 * proves that the clone's install finds Jest and every test file. The nested
 * run leaves out the type check as well, because the outer `npm test` has just
 * type-checked the same files (the clone differs by one YAML value), and a
 * second `tsc` would cost a minute of the suite's five.
 *
 * Each file also passes @action-validator/cli, the offline schema check.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { condition, evaluate, interpolate, type Value } from "./helpers/expressions";
import { readKeyValueFile, runWorkflow, type JobResult, type WorkflowResult } from "./helpers/workflow-runner";

const root = path.resolve(__dirname, "..");
const dir = path.join(root, ".github/workflows");
const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => fs.readFileSync(path.join(dir, file), "utf8");
const load = (file: string) => parse(read(file));

test.each(files)("%s passes action-validator", (file) => {
    expect(() => execFileSync(path.join(root, "node_modules/.bin/action-validator"), [path.join(dir, file)], { stdio: "pipe" })).not.toThrow();
});

test("no workflow holds a long-lived cloud key or installs a directory without a lockfile", () => {
    for (const file of files) {
        expect(read(file)).not.toMatch(/AWS_SECRET_ACCESS_KEY|aws-secret-access-key|credentials_json|ALICLOUD_ACCESS_KEY|PULUMI_ACCESS_TOKEN/);
        expect(read(file)).not.toMatch(/npm ci[^\n]*--prefix/);
        expect(read(file)).not.toMatch(/continue-on-error/);
    }
});

describe("expressions, as a hosted runner evaluates them", () => {
    const context: Record<string, Value> = {
        github: { event: { pull_request: { head: { repo: { full_name: "fork/multicloud" } } } }, repository: "acme/multicloud" },
        steps: { plan: { outputs: { exit: "1" } } },
        matrix: { stack: { name: "backend-dev", clouds: ["alicloud"] } },
        vars: {},
    };

    test("contexts, comparison (case-insensitive strings), logic and functions", () => {
        expect(evaluate("github.event.pull_request.head.repo.full_name == github.repository", context)).toBe(false);
        expect(evaluate("steps.plan.outputs.exit != '' && steps.plan.outputs.exit != '0'", context)).toBe(true);
        expect(evaluate("'ABC' == 'abc'", context)).toBe(true);
        expect(evaluate("contains(matrix.stack.clouds, 'aws') || startsWith(matrix.stack.name, 'backend')", context)).toBe(true);
        expect(evaluate("!contains(matrix.stack.clouds, 'alicloud')", context)).toBe(false);
        expect(evaluate("fromJSON('[1,2]')[1]", context)).toBe(2);
        expect(evaluate("format('{0}/{1} {{x}}', 'acme', matrix.stack.name)", context)).toBe("acme/backend-dev {x}");
        expect(evaluate("toJSON(matrix.stack.clouds)", context)).toBe('[\n  "alicloud"\n]');
        expect(evaluate("vars.MISSING || 'fallback'", context)).toBe("fallback");
    });

    test("`if:` implies success() unless a status function is named", () => {
        expect(condition("vars.MISSING == ''", context, { failed: true })).toBe(false);
        expect(condition("always() && vars.MISSING == ''", context, { failed: true })).toBe(true);
        expect(condition("failure()", context, { failed: true })).toBe(true);
        expect(condition(undefined, context, { failed: false })).toBe(true);
    });

    test("a whole expression keeps its type; embedded ones become text", () => {
        expect(interpolate("${{ fromJSON('[\"a\"]') }}", context)).toEqual(["a"]);
        expect(interpolate("pulumi up ${{ matrix.stack.name }}", context)).toBe("pulumi up backend-dev");
    });

    test("an unsupported function is an error, not a guess", () => {
        expect(() => evaluate("hashFiles('**/package-lock.json')", context)).toThrow(/does not support the function hashfiles/);
    });

    test("a fork's pull request gets no comment and no credentialed preview: its plan is in the job summary", () => {
        const wf = load("pull-request.yml");
        const comment = wf.jobs.plan.steps.find((s: any) => String(s.uses).startsWith("marocchino/sticky-pull-request-comment"));
        const needs = { plan: { result: "failure", outputs: { stacks: '[{"name":"backend-dev"}]' } } };
        const ctx = { ...context, needs, vars: { PULUMI_ORGANIZATION: "acme" } };
        expect(condition(comment.if, ctx, { failed: false })).toBe(false);
        expect(condition(wf.jobs.preview.if, ctx, { failed: true })).toBe(false);
        const own = { ...ctx, github: { ...(context.github as object), repository: "fork/multicloud" } };
        expect(condition(comment.if, own, { failed: false })).toBe(true);
        // The preview runs even though the plan job failed (blocked by the offline plan).
        expect(condition(wf.jobs.preview.if, own, { failed: true })).toBe(true);
    });
});

describe("a base branch that cannot be planned is said in the comment, not hidden", () => {
    const steps = load("pull-request.yml").jobs.plan.steps as { name?: string; run?: string }[];
    const script = (name: string) => steps.find((s) => s.name === name)!.run!;
    /** One `run:` step in bash as the runner runs it; the step's env block is given by the caller. */
    function runStep(name: string, cwd: string, env: Record<string, string>) {
        const temp = fs.mkdtempSync(path.join(os.tmpdir(), "step-"));
        const files = { GITHUB_OUTPUT: path.join(temp, "output"), GITHUB_STEP_SUMMARY: path.join(temp, "summary") };
        for (const f of Object.values(files)) fs.writeFileSync(f, "");
        fs.writeFileSync(path.join(temp, "step.sh"), script(name));
        const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", path.join(temp, "step.sh")], {
            cwd,
            env: { PATH: `${path.join(temp, "bin")}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: os.homedir(), RUNNER_TEMP: temp, GITHUB_WORKSPACE: cwd, GITHUB_BASE_REF: "main", ...files, ...env },
            encoding: "utf8",
        });
        return { code: result.status, outputs: readKeyValueFile(files.GITHUB_OUTPUT), summary: fs.readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"), temp };
    }

    test("the base plan step passes, and its output says why there is no base plan, with the log in the summary", () => {
        // A clone without origin/main: `git worktree add` fails, as any base-side failure would.
        const repo = fs.mkdtempSync(path.join(os.tmpdir(), "no-base-"));
        execFileSync("git", ["init", "--quiet", repo]);
        const step = runStep("Plan of the base branch", repo, { STACKS: '["backend-dev"]' });
        expect(step.code).toBe(0);
        expect(step.outputs.missing).toMatch(/^The plan of main failed \(exit \d+\), so nothing is compared with it/);
        expect(step.summary).toMatch(/### Plan of main \(exit \d+\)[\s\S]*origin\/main/);
        expect(fs.existsSync(path.join(repo, "base-plan.json"))).toBe(false);
    });

    test("the offline plan step adds that sentence to the comment it posts", () => {
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "comment-"));
        // The plan itself is not what this checks: a stand-in writes a one-line report where --markdown points.
        const bin = path.join(work, "stand-in-bin");
        fs.mkdirSync(bin);
        fs.writeFileSync(path.join(bin, "npm"), '#!/bin/bash\nwhile [ $# -gt 0 ]; do if [ "$1" = --markdown ]; then echo "## Offline plan of backend-dev" > "$2"; fi; shift; done\n', { mode: 0o755 });
        const step = runStep("Offline plan", work, { STACKS: '["backend-dev"]', BASE_MISSING: "The plan of main failed (exit 1).", PATH: `${bin}:/usr/bin:/bin:${path.dirname(process.execPath)}` });
        expect(step.code).toBe(0);
        const comment = fs.readFileSync(path.join(work, "comment.md"), "utf8");
        expect(comment).toBe("## Offline plan of backend-dev\n\n> **No base plan.** The plan of main failed (exit 1).\n");
        expect(step.summary).toBe(comment);
        expect(step.outputs.exit).toBe("0");
    });
});

describe("the workflows, run on a fresh clone of a throwaway repository", () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "workflows-"));
    const origin = path.join(scratch, "origin");
    const git = (...args: string[]) => execFileSync("git", args, { cwd: origin, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    const log: string[] = [];
    let pr: WorkflowResult;
    let deploy: WorkflowResult;
    let drift: WorkflowResult;
    let baseSha: string;

    /** The project as it is on disk (tracked and new files, nothing ignored), committed as main. */
    function makeOrigin() {
        const listed = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
        for (const file of listed) {
            const from = path.join(root, file);
            if (!fs.existsSync(from) || fs.lstatSync(from).isSymbolicLink() || !fs.statSync(from).isFile()) continue;
            fs.mkdirSync(path.dirname(path.join(origin, file)), { recursive: true });
            fs.copyFileSync(from, path.join(origin, file));
            fs.chmodSync(path.join(origin, file), fs.statSync(from).mode);
        }
        git("init", "--quiet", "--initial-branch=main");
        git("config", "user.email", "ci@example.com");
        git("config", "user.name", "CI");
        git("add", "--all");
        git("commit", "--quiet", "-m", "base");
        baseSha = git("rev-parse", "HEAD");
        git("checkout", "--quiet", "-b", "change");
        const stackFile = path.join(origin, "stacks/Pulumi.backend-dev.yaml");
        const before = fs.readFileSync(stackFile, "utf8");
        const after = before.replace(/maxSize: 3\b/, "maxSize: 4");
        if (after === before) throw new Error("stacks/Pulumi.backend-dev.yaml no longer has maxSize: 3; pick another one-value change for this test.");
        fs.writeFileSync(stackFile, after);
        git("commit", "--quiet", "-am", "backend-dev: maxSize 4");
        git("checkout", "--quiet", "main");
    }

    beforeAll(async () => {
        makeOrigin();
        const env: Record<string, string> = {
            PATH: [path.dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter),
            HOME: process.env.HOME ?? os.homedir(),
            LANG: "C.UTF-8",
            npm_config_prefer_offline: "true",
            npm_config_update_notifier: "false",
            MULTICLOUD_NESTED_TEST: "1",
            // How this machine reaches the npm registry (its proxy and certificate authorities) is
            // the network the runner sits on, not the runner's environment: pass it through.
            ...Object.fromEntries(
                Object.entries(process.env).filter(
                    (e): e is [string, string] => /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|https?_proxy|no_proxy|npm_config_(registry|cafile|strict_ssl))$/i.test(e[0]) && e[1] !== undefined,
                ),
            ),
        };
        const github = { repository: "acme/multicloud", run_id: "1" };
        const vars = { PULUMI_ORGANIZATION: "acme", AWS_REGION: "eu-west-1" };
        const at = (name: string) => fs.mkdirSync(path.join(scratch, name), { recursive: true });
        for (const name of ["pr", "deploy", "drift"]) at(name);
        const say = (prefix: string) => (line: string) => log.push(`${prefix}: ${line}`);
        [pr, deploy, drift] = await Promise.all([
            runWorkflow({
                workflow: path.join(dir, "pull-request.yml"),
                origin,
                ref: "change",
                github: {
                    ...github,
                    event_name: "pull_request",
                    base_ref: "main",
                    head_ref: "change",
                    ref: "refs/pull/7/merge",
                    event: { number: 7, pull_request: { number: 7, head: { repo: { full_name: "acme/multicloud" } } } },
                },
                vars,
                env,
                scratch: path.join(scratch, "pr"),
                log: say("pull-request"),
            }),
            runWorkflow({
                workflow: path.join(dir, "deploy.yml"),
                origin,
                ref: "change",
                github: { ...github, event_name: "push", ref: "refs/heads/main", event: { before: baseSha } },
                vars,
                env,
                scratch: path.join(scratch, "deploy"),
                log: say("deploy"),
            }),
            runWorkflow({
                workflow: path.join(dir, "drift.yml"),
                origin,
                ref: "main",
                github: { ...github, event_name: "schedule", ref: "refs/heads/main", event: {} },
                vars,
                env,
                scratch: path.join(scratch, "drift"),
                log: say("drift"),
            }),
        ]);
    }, 480_000);

    // Three installs are over a gigabyte of small files; removing them must not hold up the suite.
    afterAll(() => spawn("rm", ["-rf", scratch], { detached: true, stdio: "ignore" }).unref());

    const job = (result: WorkflowResult, id: string): JobResult[] => result.jobs.filter((j) => j.id === id);
    /** Every step that ran failed nothing; the log and the failing step's output make a failure readable. */
    const expectNoFailedStep = (runs: JobResult[]) => {
        for (const run of runs) {
            const failed = run.steps.filter((s) => s.outcome === "failure");
            expect({ job: run.name, failed: failed.map((s) => ({ step: s.name, exit: s.exitCode, stderr: s.stderr.slice(-2000), stdout: s.stdout.slice(-2000) })) }).toEqual({
                job: run.name,
                failed: [],
            });
        }
    };

    describe("pull-request.yml", () => {
        test("the plan job runs every step: install, tests, affected stacks, base plan, offline plan, artifact, comment", () => {
            const [plan] = job(pr, "plan");
            expectNoFailedStep([plan]);
            expect(plan.result).toBe("success");
            expect(plan.stoppedAt).toBeUndefined();
            const ran = plan.steps.filter((s) => s.outcome === "success").map((s) => s.name);
            expect(ran).toEqual(
                expect.arrayContaining(["npm ci --no-audit --no-fund", "npm test", "Affected stacks", "Plan of the base branch", "Offline plan", "Pull-request comment"]),
            );
            expect(plan.steps.find((s) => s.name === "Nothing to plan")!.outcome).toBe("skipped");
            expect(plan.steps.find((s) => s.name === "Blocked by a mandatory violation or a one-way door")!.outcome).toBe("skipped");
        });

        test("the nested `npm test` lists the test files instead of running them again", () => {
            const tests = job(pr, "plan")[0].steps.find((s) => s.name === "npm test")!;
            expect(tests.stdout).toMatch(/test\/workflows\.test\.ts/);
            expect(tests.stdout).not.toMatch(/Tests:\s+\d+/);
        });

        test("the change affects backend-dev only, and the base branch's plan is there to compare with", () => {
            const [plan] = job(pr, "plan");
            const affected = plan.steps.find((s) => s.name === "Affected stacks")!;
            expect(JSON.parse(affected.outputs.names)).toEqual(["backend-dev"]);
            expect(plan.steps.find((s) => s.name === "Plan of the base branch")!.outputs.missing).toBeUndefined();
            expect(fs.existsSync(path.join(plan.workspace!, "base-plan.json"))).toBe(true);
            expect(plan.steps.find((s) => s.name === "Offline plan")!.outputs.exit).toBe("0");
        });

        test("one comment, naming the changed stack; the job summary and the artifact hold the same report", () => {
            expect(pr.comments).toHaveLength(1);
            expect(pr.comments[0]).toMatch(/backend-dev/);
            expect(pr.comments[0]).not.toMatch(/No base plan/);
            expect(job(pr, "plan")[0].summary).toContain(pr.comments[0].trim());
            expect(fs.readFileSync(path.join(pr.artifacts["offline-plan"], "comment.md"), "utf8")).toBe(pr.comments[0]);
            expect(fs.existsSync(path.join(pr.artifacts["offline-plan"], "plan.json"))).toBe(true);
        });

        test("the credentialed preview runs per affected stack and stops at its first credential step", () => {
            const previews = job(pr, "preview");
            expect(previews.map((p) => p.name)).toEqual(["pulumi preview backend-dev"]);
            expectNoFailedStep(previews);
            expect(previews[0].stoppedAt).toBe("pulumi/auth-actions@v2");
        });
    });

    describe("deploy.yml", () => {
        test("the affected job lists the changed stack in the deploy matrix, and the up job starts for it", () => {
            const [affected] = job(deploy, "affected");
            expectNoFailedStep([affected]);
            expect(JSON.parse(affected.outputs.stacks).map((s: { name: string }) => s.name)).toEqual(["backend-dev"]);
            expect(affected.summary).toMatch(/\| backend-dev \| alicloud \| this workflow \|/);
            const up = job(deploy, "up");
            expect(up.map((u) => u.name)).toEqual(["pulumi up backend-dev"]);
            expectNoFailedStep(up);
            expect(up[0].stoppedAt).toBe("pulumi/auth-actions@v2");
        });
    });

    describe("drift.yml", () => {
        test("every stack a hosted runner can reach is checked; the private cloud's are left to the Operator", () => {
            const [stacks] = job(drift, "stacks");
            expectNoFailedStep([stacks]);
            const names = JSON.parse(stacks.outputs.stacks).map((s: { name: string }) => s.name);
            expect(names).toEqual(expect.arrayContaining(["backend-dev", "transactional-prod", "analytics-dev"]));
            expect(names.filter((n: string) => n.startsWith("partner"))).toEqual([]);
            const previews = job(drift, "preview");
            expect(previews.map((p) => p.name).sort()).toEqual(names.map((n: string) => `drift of ${n}`).sort());
            for (const p of previews) expect(p.stoppedAt).toBe("pulumi/auth-actions@v2");
        });

        test("the report has one row per stack", () => {
            const [report] = job(drift, "report");
            expectNoFailedStep([report]);
            const names: string[] = JSON.parse(job(drift, "stacks")[0].outputs.stacks).map((s: { name: string }) => s.name);
            for (const name of names) expect(report.summary).toMatch(new RegExp(`^\\| ${name} \\| `, "m"));
        });
    });

    test("the runs left a readable log", () => {
        expect(log.some((l) => l.startsWith("pull-request: job test and offline plan"))).toBe(true);
    });
});

describe("what the workflow files promise", () => {
    test("the credentialed preview: pulumi/actions at its current major, pinned CLI, policy pack and its configuration per environment, result in the pull request", () => {
        const preview = load("pull-request.yml").jobs.preview;
        const step = preview.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
        expect(step.uses).toBe("pulumi/actions@v7");
        expect(step.with).toMatchObject({
            command: "preview",
            "pulumi-version": "3.270.0",
            policyPacks: "policies",
            policyPackConfigs: "policies/config/${{ matrix.stack.environment }}.json",
            "comment-on-pr": true,
        });
        expect(preview.permissions).toMatchObject({ "id-token": "write", "pull-requests": "write" });
        expect(preview.if).toMatch(/^always\(\) && /);
    });

    test("OIDC credentials for every cloud a stack uses, in the preview, the deploy and the drift check", () => {
        const jobs = [load("pull-request.yml").jobs.preview, load("deploy.yml").jobs.up, load("drift.yml").jobs.preview];
        for (const j of jobs) {
            const uses = j.steps.map((s: any) => ({ uses: s.uses, if: s.if }));
            expect(uses).toEqual(
                expect.arrayContaining([
                    { uses: "pulumi/auth-actions@v2", if: undefined },
                    { uses: "aws-actions/configure-aws-credentials@v4", if: "contains(matrix.stack.clouds, 'aws')" },
                    { uses: "google-github-actions/auth@v2", if: "contains(matrix.stack.clouds, 'gcp')" },
                    { uses: "aliyun/configure-aliyun-credentials-action@v1", if: "contains(matrix.stack.clouds, 'alicloud')" },
                ]),
            );
            expect(j.permissions["id-token"]).toBe("write");
        }
    });

    test("the deploy: pulumi up with the pack, in dependency order, one stack at a time, never cancelled", () => {
        const up = load("deploy.yml").jobs.up;
        const step = up.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
        expect(step.with).toMatchObject({ command: "up", "pulumi-version": "3.270.0", policyPacks: "policies" });
        expect(up.strategy).toMatchObject({ "max-parallel": 1, "fail-fast": true });
        expect(up.concurrency).toEqual({ group: "pulumi-up-${{ matrix.stack.name }}", "cancel-in-progress": false });
    });

    test("the drift check refreshes, expects no changes and runs on a schedule", () => {
        const wf = load("drift.yml");
        expect(wf.on.schedule[0].cron).toMatch(/^[\d*]+ [\d*]+ /);
        const step = wf.jobs.preview.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
        expect(step.with).toMatchObject({ command: "preview", refresh: true, "expect-no-changes": true, "pulumi-version": "3.270.0" });
    });

    test("every pinned CLI version is the release of the @pulumi/pulumi SDK in use", () => {
        const sdk = JSON.parse(fs.readFileSync(path.join(root, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;
        const pins = files.flatMap((file) => [...read(file).matchAll(/pulumi-version: (\S+)/g)].map((m) => m[1]));
        expect(pins.length).toBeGreaterThanOrEqual(3);
        expect(new Set(pins)).toEqual(new Set([sdk]));
    });

    test("Node comes from .nvmrc (22) in every job that sets it up", () => {
        expect(fs.readFileSync(path.join(root, ".nvmrc"), "utf8").trim()).toBe("22");
        for (const file of files) {
            for (const j of Object.values<any>(load(file).jobs)) {
                for (const s of j.steps.filter((s: any) => String(s.uses).startsWith("actions/setup-node"))) expect(s.with["node-version-file"]).toBe(".nvmrc");
            }
        }
    });

    test("the pull-request plan job uses no secrets and no pull_request_target, so it is safe on forks", () => {
        const wf = load("pull-request.yml");
        expect(JSON.stringify(wf.jobs.plan)).not.toMatch(/secrets\./);
        expect(wf.on.pull_request_target).toBeUndefined();
    });
});
