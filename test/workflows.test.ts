/**
 * The GitHub workflows, run. Throwaway repositories hold this project on
 * `main` and the change under test (made relative to whatever the stack files
 * hold, so no edit of a stack file within its schema breaks these tests); the
 * pull-request, deploy and drift workflows run on fresh clones of them through
 * test/helpers/workflow-runner.ts, every `run:` step for real. Pulumi Cloud
 * and the clouds are stood in for: the credential actions pass without
 * credentials, and the `pulumi` on PATH is test/helpers/stand-ins/cli/pulumi,
 * which keeps each stack's state, records every call with the commit it ran
 * at, and fails on demand. Every run links the project's own install when its
 * lockfile is the same (test/helpers/stand-ins/install/npm): `.ci/run`'s own
 * `npm ci` on a fresh clone is the real install of the same lockfile.
 *
 * The pull-request workflow's `npm test` step would run this very test again,
 * and so on without end. The runner sets MULTICLOUD_NESTED_TEST, and
 * package.json's `test` script then runs `jest --listTests` only: the step still
 * proves that the clone's install finds Jest and every test file.
 *
 * Each file also passes @action-validator/cli, the offline schema check.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { parse, parseDocument } from "yaml";
import { condition, evaluate, interpolate, type Value } from "./helpers/expressions";
import { copyProject } from "./helpers/project-copy";
import { readKeyValueFile, runWorkflow, type JobResult, type WorkflowResult } from "./helpers/workflow-runner";

const root = path.resolve(__dirname, "..");
const dir = path.join(root, ".github/workflows");
const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => fs.readFileSync(path.join(dir, file), "utf8");
const load = (file: string) => parse(read(file));
/** What these tests read of a job and its steps, where they go through every one. */
interface Step {
    uses?: string;
    if?: string;
    with?: Record<string, unknown>;
}
interface Job {
    steps: Step[];
    permissions: Record<string, string>;
}

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
        const comment = wf.jobs.plan.steps.find((s: Step) => String(s.uses).startsWith("marocchino/sticky-pull-request-comment"));
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
            env: {
                PATH: `${path.join(temp, "bin")}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
                HOME: os.homedir(),
                RUNNER_TEMP: temp,
                GITHUB_WORKSPACE: cwd,
                GITHUB_BASE_REF: "main",
                ...files,
                ...env,
            },
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
        fs.writeFileSync(
            path.join(bin, "npm"),
            '#!/bin/bash\nwhile [ $# -gt 0 ]; do if [ "$1" = --markdown ]; then echo "## Offline plan of backend-dev" > "$2"; fi; shift; done\n',
            { mode: 0o755 },
        );
        const step = runStep("Offline plan", work, {
            STACKS: '["backend-dev"]',
            BASE_MISSING: "The plan of main failed (exit 1).",
            PATH: `${bin}:/usr/bin:/bin:${path.dirname(process.execPath)}`,
        });
        expect(step.code).toBe(0);
        const comment = fs.readFileSync(path.join(work, "comment.md"), "utf8");
        expect(comment).toBe("## Offline plan of backend-dev\n\n> **No base plan.** The plan of main failed (exit 1).\n");
        expect(step.summary).toBe(comment);
        expect(step.outputs.exit).toBe("0");
    });
});

const gitIn =
    (cwd: string) =>
    (...args: string[]) =>
        execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/**
 * The project as it is on disk (tracked and new files, nothing ignored), committed
 * once and packed: every throwaway repository starts as a local clone of it, and
 * the runner's clones of those send its packed objects as they are.
 */
const projectRepositories = new Set<string>();
function projectRepository(dir: string): string {
    if (projectRepositories.has(dir)) return dir;
    fs.mkdirSync(dir, { recursive: true });
    const git = gitIn(dir);
    copyProject(dir);
    git("init", "--quiet", "--initial-branch=main");
    git("config", "user.email", "ci@example.com");
    git("config", "user.name", "CI");
    git("add", "--all");
    git("commit", "--quiet", "-m", "base");
    git("repack", "-a", "-d", "--quiet");
    projectRepositories.add(dir);
    return dir;
}

/**
 * A throwaway repository: `main` holds the project as it is on disk; `edit` makes
 * the change under test, relative to whatever the files hold, so no edit of a
 * stack file within its schema breaks these tests. For a pull request the change
 * is a branch; for a deploy, the next commit on main (what a merge leaves).
 */
function throwawayRepository(
    project: string,
    dir: string,
    edit: (repo: string) => void,
    as: "branch" | "merge",
): { origin: string; base: string; head: string } {
    const origin = path.join(dir, "origin");
    fs.mkdirSync(dir, { recursive: true });
    execFileSync("git", ["clone", "--quiet", "--local", projectRepository(project), origin], { stdio: "ignore" });
    const git = gitIn(origin);
    git("remote", "remove", "origin");
    git("config", "user.email", "ci@example.com");
    git("config", "user.name", "CI");
    const base = git("rev-parse", "HEAD");
    if (as === "branch") git("checkout", "--quiet", "-b", "change");
    edit(origin);
    git("add", "--all");
    git("commit", "--quiet", "--allow-empty", "-m", "the change under test");
    const head = git("rev-parse", "HEAD");
    if (as === "branch") git("checkout", "--quiet", "main");
    return { origin, base, head };
}

/** Raises a stack's `servers.maxSize` by one from whatever it is (the workload's default when unset): a change within the schema. */
function raiseMaxSize(repo: string, stack: string): void {
    const file = path.join(repo, `stacks/Pulumi.${stack}.yaml`);
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    const servers = doc.getIn(["config", "multicloud:servers"]) as { toJSON(): Record<string, number> } | undefined;
    const current = servers?.toJSON() ?? {};
    doc.setIn(["config", "multicloud:servers", "maxSize"], Math.max(current.maxSize ?? 4, current.minSize ?? 0, current.desiredSize ?? 0) + 1);
    fs.writeFileSync(file, doc.toString());
}

const standIns = path.join(root, "test/helpers/stand-ins");
const nodeBin = path.dirname(process.execPath);
const basePath = [nodeBin, "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter);
/** The npm the stand-in hands everything but a linked `npm ci` to: the first on the runner's PATH. */
const realNpm = execFileSync("bash", ["-c", "command -v npm"], { env: { PATH: basePath }, encoding: "utf8" }).trim();

/** The environment every step starts from: Node, the stand-in CLI, and how this machine reaches the npm registry. */
function runnerEnv(extra: { state: string; linkInstall: boolean }): Record<string, string> {
    return {
        PATH: [path.join(standIns, "cli"), ...(extra.linkInstall ? [path.join(standIns, "install")] : []), basePath].join(path.delimiter),
        HOME: process.env.HOME ?? os.homedir(),
        // The run's own temporary directory (test/global-setup.ts), so what the steps leave there goes with the run.
        TMPDIR: os.tmpdir(),
        LANG: "C.UTF-8",
        npm_config_prefer_offline: "true",
        npm_config_update_notifier: "false",
        MULTICLOUD_NESTED_TEST: "1",
        PULUMI_STAND_IN_STATE: extra.state,
        REAL_NPM: realNpm,
        MULTICLOUD_INSTALLED_ROOT: root,
        DEPLOY_VERIFY_TIMEOUT_SECONDS: "3",
        ...Object.fromEntries(
            Object.entries(process.env).filter(
                (e): e is [string, string] =>
                    /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|https?_proxy|no_proxy|npm_config_(registry|cafile|strict_ssl))$/i.test(e[0]) &&
                    e[1] !== undefined,
            ),
        ),
    };
}

interface Call {
    args: string[];
    cwd: string;
    commit: string;
}

/** The stand-in's state: every stack of the base deployed and verified at the base commit, each with the outputs the deploy verifies. */
function seedState(dir: string, origin: string, base: string, healthUrl: string): string {
    const state = path.join(dir, "pulumi-state");
    fs.mkdirSync(path.join(state, "stacks"), { recursive: true });
    fs.mkdirSync(path.join(state, "previews"), { recursive: true });
    // The stacks that exist: those whose files the base commit has.
    const files = execFileSync("git", ["ls-tree", "-r", "--name-only", base, "stacks/"], { cwd: origin, encoding: "utf8" })
        .split("\n")
        .map((f) => path.basename(f));
    for (const file of files.filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
        const stack = file.replace(/^Pulumi\.|\.yaml$/g, "");
        const history = [{ version: 1, kind: "update", result: "succeeded", environment: { "git.head": base } }];
        fs.writeFileSync(path.join(state, "stacks", `${stack}.json`), JSON.stringify({ tags: {}, history, outputs: {}, resources: [] }));
    }
    fs.writeFileSync(
        path.join(state, "outputs.json"),
        JSON.stringify({ verification: { rollouts: [], healthChecks: [{ name: "entry point", url: healthUrl }] } }),
    );
    return state;
}

const calls = (state: string): Call[] =>
    fs.existsSync(path.join(state, "calls.jsonl"))
        ? fs
              .readFileSync(path.join(state, "calls.jsonl"), "utf8")
              .split("\n")
              .filter(Boolean)
              .map((l) => JSON.parse(l))
        : [];
/** `up backend-dev@1234567` for each call that changes a stack, in order. */
const changes = (state: string, head: string, base: string) =>
    calls(state)
        .filter((c) => ["up", "destroy", "state", "stack"].includes(c.args[0]) && !["tag", "history", "output", "export", "select"].includes(c.args[1]))
        .map((c) => {
            const stack = c.args[c.args.indexOf("--stack") + 1]?.split("/").pop();
            const at = c.commit === head ? "head" : c.commit === base ? "base" : c.commit.slice(0, 7);
            return `${c.args[0] === "state" || c.args[0] === "stack" ? `${c.args[0]} ${c.args[1]}` : c.args[0]} ${stack}@${at}`;
        });

const job = (result: WorkflowResult, id: string): JobResult[] => result.jobs.filter((j) => j.id === id);
/** Every step that ran failed nothing; the log and the failing step's output make a failure readable. */
const expectNoFailedStep = (runs: JobResult[]) => {
    for (const run of runs) {
        const failed = run.steps.filter((s) => s.outcome === "failure");
        expect({
            job: run.name,
            failed: failed.map((s) => ({ step: s.name, exit: s.exitCode, stderr: s.stderr.slice(-2000), stdout: s.stdout.slice(-2000) })),
        }).toEqual({
            job: run.name,
            failed: [],
        });
    }
};

describe("the workflows, run on fresh clones of throwaway repositories, against a stand-in Pulumi CLI", () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "workflows-"));
    const project = path.join(scratch, "project");
    const github = { repository: "acme/multicloud", run_id: "1" };
    const vars = { PULUMI_ORGANIZATION: "acme", AWS_REGION: "eu-west-1" };
    const log: string[] = [];
    let server: http.Server;
    let healthy = "";
    let broken = "";

    interface Scenario {
        repo: { origin: string; base: string; head: string };
        state: string;
        result: WorkflowResult;
    }

    async function deploy(
        name: string,
        edit: (repo: string) => void,
        setUp: (state: string, repo: { base: string; head: string; origin: string }) => void = () => undefined,
    ): Promise<Scenario> {
        const dir = path.join(scratch, name);
        const repo = throwawayRepository(project, dir, edit, "merge");
        const state = seedState(dir, repo.origin, repo.base, healthy);
        setUp(state, repo);
        const result = await runWorkflow({
            workflow: path.join(dir, "origin/.github/workflows/deploy.yml"),
            origin: repo.origin,
            ref: "main",
            github: { ...github, event_name: "push", ref: "refs/heads/main", sha: repo.head, event: { before: repo.base } },
            vars,
            env: runnerEnv({ state, linkInstall: true }),
            scratch: path.join(dir, "runner"),
            standIns: true,
            log: (line) => log.push(`${name}: ${line}`),
        });
        return { repo, state, result };
    }

    const scenarios: Record<string, Promise<Scenario>> = {};
    let pr: Scenario;
    let drift: Scenario;

    beforeAll(async () => {
        server = http.createServer((req, res) => {
            res.statusCode = req.url === "/healthz" ? 200 : 500;
            res.end(req.url === "/healthz" ? "ok" : "broken");
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
        const { port } = server.address() as AddressInfo;
        healthy = `http://127.0.0.1:${port}/healthz`;
        broken = `http://127.0.0.1:${port}/broken`;

        const bothBackends = (repo: string) => {
            raiseMaxSize(repo, "backend-dev");
            raiseMaxSize(repo, "backend-prod");
        };
        scenarios.succeeds = deploy("succeeds", bothBackends);
        scenarios.devFails = deploy("dev-fails", bothBackends, (state, repo) =>
            fs.writeFileSync(path.join(state, "fail.json"), JSON.stringify([{ command: "up", stack: "backend-dev", commit: repo.head }])),
        );
        scenarios.unhealthy = deploy("unhealthy", bothBackends, (state, repo) =>
            fs.writeFileSync(
                path.join(state, `outputs-${repo.head}.json`),
                JSON.stringify({ verification: { rollouts: [], healthChecks: [{ name: "entry point", url: broken }] } }),
            ),
        );
        scenarios.newStack = deploy("new-stack", (repo) =>
            fs.copyFileSync(path.join(repo, "stacks/Pulumi.backend-dev.yaml"), path.join(repo, "stacks/Pulumi.backend-canary.yaml")),
        );
        const nas = (stack: string) =>
            `urn:pulumi:${stack}::multicloud::multicloud:alicloud:SharedStorage$alicloud:nas/fileSystem:FileSystem::backend-files-nas`;
        const replacesNas = (state: string) =>
            fs.writeFileSync(
                path.join(state, "previews", "backend-dev.json"),
                JSON.stringify({
                    steps: [
                        {
                            op: "replace",
                            urn: nas("backend-dev"),
                            oldState: { type: "alicloud:nas/fileSystem:FileSystem", protect: true },
                            newState: { type: "alicloud:nas/fileSystem:FileSystem" },
                            replaceReasons: ["encryptType"],
                        },
                    ],
                }),
            );
        scenarios.door = deploy("door", (repo) => raiseMaxSize(repo, "backend-dev"), replacesNas);
        scenarios.acceptedDoor = deploy(
            "accepted-door",
            (repo) => {
                raiseMaxSize(repo, "backend-dev");
                fs.writeFileSync(
                    path.join(repo, "deploy/accepted-doors.yaml"),
                    `doors:\n  - stack: backend-dev\n    urn: "${nas("backend-dev")}"\n    reason: Re-created encrypted; dev holds no data worth keeping.\n    acceptedBy: "@platform-lead"\n    expires: 2999-12-31\n`,
                );
            },
            replacesNas,
        );
        const filestore = "urn:pulumi:analytics-dev::multicloud::multicloud:gcp:SharedStorage$gcp:filestore/instance:Instance::analytics-files-filestore";
        scenarios.removed = deploy(
            "removed-stack",
            (repo) => {
                fs.rmSync(path.join(repo, "stacks/Pulumi.analytics-dev.yaml"));
                fs.writeFileSync(
                    path.join(repo, "deploy/accepted-doors.yaml"),
                    `doors:\n  - stack: analytics-dev\n    urn: "${filestore}"\n    reason: The analytics dev environment is retired; its files are exported.\n    acceptedBy: "@platform-lead"\n    expires: 2999-12-31\n`,
                );
            },
            (state) => {
                const file = path.join(state, "stacks/analytics-dev.json");
                const seeded = JSON.parse(fs.readFileSync(file, "utf8"));
                seeded.resources = [
                    { urn: "urn:pulumi:analytics-dev::multicloud::pulumi:pulumi:Stack::multicloud-analytics-dev", type: "pulumi:pulumi:Stack" },
                    { urn: filestore, type: "gcp:filestore/instance:Instance", protect: true },
                    { urn: "urn:pulumi:analytics-dev::multicloud::gcp:compute/network:Network::analytics-net", type: "gcp:compute/network:Network" },
                ];
                fs.writeFileSync(file, JSON.stringify(seeded));
            },
        );

        // The pull request: the plan and the comment, the tests beside them.
        const prDir = path.join(scratch, "pr");
        const prRepo = throwawayRepository(
            project,
            prDir,
            (repo) => {
                raiseMaxSize(repo, "backend-dev");
                fs.copyFileSync(path.join(repo, "stacks/Pulumi.backend-prod.yaml"), path.join(repo, "stacks/Pulumi.backend-canary.yaml"));
            },
            "branch",
        );
        const prState = seedState(prDir, prRepo.origin, prRepo.base, healthy);
        const prRun = runWorkflow({
            workflow: path.join(dir, "pull-request.yml"),
            origin: prRepo.origin,
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
            env: runnerEnv({ state: prState, linkInstall: true }),
            scratch: path.join(prDir, "runner"),
            standIns: true,
            log: (line) => log.push(`pull-request: ${line}`),
        }).then((result) => ({ repo: prRepo, state: prState, result }));

        const driftDir = path.join(scratch, "drift");
        const driftRepo = throwawayRepository(project, driftDir, () => undefined, "merge");
        const driftState = seedState(driftDir, driftRepo.origin, driftRepo.base, healthy);
        fs.writeFileSync(path.join(driftState, "fail.json"), JSON.stringify([{ command: "preview", stack: "transactional-prod" }]));
        const driftRun = runWorkflow({
            workflow: path.join(dir, "drift.yml"),
            origin: driftRepo.origin,
            ref: "main",
            github: { ...github, event_name: "schedule", ref: "refs/heads/main", event: {} },
            vars,
            env: runnerEnv({ state: driftState, linkInstall: true }),
            scratch: path.join(driftDir, "runner"),
            standIns: true,
            log: (line) => log.push(`drift: ${line}`),
        }).then((result) => ({ repo: driftRepo, state: driftState, result }));

        [pr, drift] = await Promise.all([prRun, driftRun, ...Object.values(scenarios)]);
    }, 600_000);

    afterAll(() => {
        server?.close();
        // The installs are a gigabyte of small files; removing them must not hold up the suite.
        spawn("rm", ["-rf", scratch], { detached: true, stdio: "ignore" }).unref();
    });

    describe("pull-request.yml", () => {
        test("the plan job runs every step and comments; the tests run in a job of their own", () => {
            const [plan] = job(pr.result, "plan");
            expectNoFailedStep([plan]);
            expect(plan.result).toBe("success");
            const ran = plan.steps.filter((s) => s.outcome === "success").map((s) => s.name);
            expect(ran).toEqual(
                expect.arrayContaining(["npm ci --no-audit --no-fund", "Affected stacks", "Plan of the base branch", "Offline plan", "Pull-request comment"]),
            );
            expect(ran).not.toContain("npm test");
            const [tests] = job(pr.result, "test");
            expectNoFailedStep([tests]);
            // The nested `npm test` lists the test files instead of running this file again.
            expect(tests.steps.find((s) => s.name === "npm test")!.stdout).toMatch(/test\/workflows\.test\.ts/);
        });

        test("the change affects backend-dev, the partner stack that reads it, and the new backend-canary; the base branch's plan is there to compare with", () => {
            const [plan] = job(pr.result, "plan");
            expect(JSON.parse(plan.steps.find((s) => s.name === "Affected stacks")!.outputs.names).sort()).toEqual([
                "backend-canary",
                "backend-dev",
                "partner-dev",
            ]);
            expect(plan.steps.find((s) => s.name === "Plan of the base branch")!.outputs.missing).toBeUndefined();
            expect(plan.steps.find((s) => s.name === "Offline plan")!.outputs.exit).toBe("0");
        });

        test("one comment: the changed stacks, and the new stack's creation said", () => {
            expect(pr.result.comments).toHaveLength(1);
            const comment = pr.result.comments[0];
            expect(comment).toMatch(/backend-dev/);
            expect(comment).toMatch(/\*\*backend-canary\*\* is new: the deploy creates the stack/);
            expect(comment).not.toMatch(/No base plan/);
            expect(fs.readFileSync(path.join(pr.result.artifacts["offline-plan"], "comment.md"), "utf8")).toBe(comment);
        });

        test("the credentialed preview runs for the existing stack only, through pulumi/actions with the pack, and creates nothing", () => {
            const previews = job(pr.result, "preview");
            expect(previews.map((p) => p.name)).toEqual(["pulumi preview backend-dev"]);
            expectNoFailedStep(previews);
            // `npm ci` may install the providers' plugins through the CLI (their packages' install scripts); nothing else may call it.
            const made = calls(pr.state).filter((c) => c.args[0] !== "plugin");
            expect(made.map((c) => c.args.slice(0, 2).join(" "))).toEqual(["preview --stack"]);
            expect(made[0].args).toEqual(
                expect.arrayContaining([
                    "--stack",
                    "acme/backend-dev",
                    "--policy-pack",
                    "policies",
                    "--policy-pack-config",
                    "policies/config/dev.json",
                    "--diff",
                ]),
            );
            expect(fs.existsSync(path.join(pr.state, "stacks/backend-canary.json"))).toBe(false);
        });
    });

    describe("deploy.yml", () => {
        test("both succeed: dev updated and verified, then prod, each at the merged commit, recorded as last good", async () => {
            const { repo, state, result } = await scenarios.succeeds;
            expectNoFailedStep(result.jobs);
            expect(job(result, "dev")[0].environment).toBe("dev");
            expect(job(result, "prod")[0].environment).toBe("prod");
            // Each environment's links follow its workload stacks, in their own project (stacks/links).
            expect(changes(state, repo.head, repo.base)).toEqual(["up backend-dev@head", "up links-dev@head", "up backend-prod@head", "up links-prod@head"]);
            expect(calls(state).find((c) => c.args[0] === "up" && c.args.includes("acme/links-dev"))!.cwd).toMatch(/\/stacks\/links$/);
            for (const stack of ["backend-dev", "backend-prod"]) {
                expect(JSON.parse(fs.readFileSync(path.join(state, `stacks/${stack}.json`), "utf8")).tags["multicloud:last-good-commit"]).toBe(repo.head);
            }
            const tags = execFileSync("git", ["tag", "--list", "deployed/*"], { cwd: repo.origin, encoding: "utf8" }).trim().split("\n").sort();
            expect(tags).toEqual([
                `deployed/backend-dev/${repo.head}`,
                `deployed/backend-prod/${repo.head}`,
                `deployed/links-dev/${repo.head}`,
                `deployed/links-prod/${repo.head}`,
            ]);
            expect(job(result, "dev")[0].summary).toMatch(/\| 1 \(dev\) \| backend-dev \| ✅ deployed \|/);
            expect(job(result, "dev")[0].summary).toMatch(/ok: health entry point: healthy, http:\/\/127\.0\.0\.1:\d+\/healthz: HTTP 200/);
            expect(job(result, "destroy")[0].result).toBe("skipped");
        });

        test("dev fails: dev is re-applied at its last good commit and verified, prod is untouched, the run is red", async () => {
            const { repo, state, result } = await scenarios.devFails;
            expect(changes(state, repo.head, repo.base)).toEqual(["up backend-dev@head", "up backend-dev@base"]);
            expect(calls(state).some((c) => c.args.includes("acme/backend-prod"))).toBe(false);
            const [dev] = job(result, "dev");
            expect(dev.result).toBe("failure");
            expect(dev.summary).toMatch(/\| backend-dev \| ❌ rolled back \| `[0-9a-f]{12}` \|/);
            expect(dev.summary).toContain(`Rolling back: re-applying backend-dev at its last good commit ${repo.base.slice(0, 12)}`);
            expect(job(result, "prod")[0].result).toBe("skipped");
        });

        test("a failed verification rolls back too: the health check answered 500 after the update", async () => {
            const { repo, state, result } = await scenarios.unhealthy;
            expect(changes(state, repo.head, repo.base)).toEqual(["up backend-dev@head", "up backend-dev@base"]);
            const [dev] = job(result, "dev");
            expect(dev.result).toBe("failure");
            expect(dev.summary).toMatch(/FAILED: health entry point: unhealthy, http:\/\/127\.0\.0\.1:\d+\/broken: HTTP 500/);
            expect(dev.summary).toMatch(/❌ rolled back/);
            expect(job(result, "prod")[0].result).toBe("skipped");
        });

        test("a new stack file: the stack is created, then updated and verified", async () => {
            const { repo, state, result } = await scenarios.newStack;
            expectNoFailedStep(result.jobs);
            const select = calls(state).find((c) => c.args[0] === "stack" && c.args[1] === "select")!;
            expect(select.args).toEqual(expect.arrayContaining(["acme/backend-canary", "--create"]));
            expect(changes(state, repo.head, repo.base)).toEqual(["up backend-canary@head", "up links-dev@head"]);
            expect(job(result, "dev")[0].summary).toContain("Created the stack acme/backend-canary");
        });

        test("a one-way door review did not accept is refused before `pulumi up`: nothing changes, nothing is unprotected, the run is red", async () => {
            const { repo, state, result } = await scenarios.door;
            expect(changes(state, repo.head, repo.base)).toEqual([]);
            const [dev] = job(result, "dev");
            expect(dev.result).toBe("failure");
            expect(dev.summary).toMatch(/Refused 1 one-way door\(s\) that review did not accept in .*accepted-doors\.yaml; nothing was changed/);
            expect(dev.summary).toMatch(/alicloud:nas\/fileSystem:FileSystem .*backend-files-nas \(it .*\) would be replaced \(changed: encryptType\)/);
        });

        test("an accepted door on a protected resource: protection is lifted from exactly that URN, then the update", async () => {
            const { repo, state, result } = await scenarios.acceptedDoor;
            expectNoFailedStep(result.jobs);
            expect(changes(state, repo.head, repo.base)).toEqual(["state unprotect backend-dev@head", "up backend-dev@head", "up links-dev@head"]);
            const unprotect = calls(state).find((c) => c.args[0] === "state")!;
            expect(unprotect.args[2]).toBe(
                "urn:pulumi:backend-dev::multicloud::multicloud:alicloud:SharedStorage$alicloud:nas/fileSystem:FileSystem::backend-files-nas",
            );
        });

        test("a removed stack file: destroyed in the approved `destroy` environment, from the commit that had its file, accepted losses unprotected first", async () => {
            const { repo, state, result } = await scenarios.removed;
            const [destroy] = job(result, "destroy");
            expectNoFailedStep([destroy]);
            expect(destroy.environment).toBe("destroy");
            expect(changes(state, repo.head, repo.base)).toEqual([
                "state unprotect analytics-dev@base",
                "destroy analytics-dev@base",
                "stack rm analytics-dev@base",
            ]);
            expect(destroy.summary).toMatch(/### analytics-dev: destroyed/);
            expect(fs.existsSync(path.join(state, "stacks/analytics-dev.json"))).toBe(false);
        });
    });

    describe("drift.yml", () => {
        test("every stack a hosted runner can reach is refreshed and previewed; the private cloud's are left to the Operator", () => {
            const [stacks] = job(drift.result, "stacks");
            expectNoFailedStep([stacks]);
            const names: string[] = JSON.parse(stacks.outputs.stacks).map((s: { name: string }) => s.name);
            expect(names).toEqual(expect.arrayContaining(["backend-dev", "transactional-prod", "analytics-dev"]));
            expect(names.filter((n) => n.startsWith("partner"))).toEqual([]);
            const previews = calls(drift.state).filter((c) => c.args[0] === "preview");
            expect(previews.map((c) => c.args[c.args.indexOf("--stack") + 1]).sort()).toEqual(names.map((n) => `acme/${n}`).sort());
            for (const p of previews) expect(p.args).toEqual(expect.arrayContaining(["--refresh", "--expect-no-changes"]));
        });

        test("the report has one row per stack, and the stack whose preview failed is reported as drift", () => {
            const [report] = job(drift.result, "report");
            expectNoFailedStep([report]);
            const names: string[] = JSON.parse(job(drift.result, "stacks")[0].outputs.stacks).map((s: { name: string }) => s.name);
            for (const name of names) expect(report.summary).toMatch(new RegExp(`^\\| ${name} \\| `, "m"));
            expect(report.summary).toMatch(/^\| transactional-prod \| \*\*drift or a failed preview\*\*/m);
            expect(report.summary).toMatch(/^\| backend-dev \| no drift \|/m);
        });
    });

    test("the runs left a readable log", () => {
        expect(log.some((l) => l.startsWith("pull-request: job offline plan"))).toBe(true);
    });
});

describe("what the workflow files promise", () => {
    test("the credentialed preview: pulumi/actions at its current major, pinned CLI, policy pack and its configuration per environment, result in the pull request", () => {
        const preview = load("pull-request.yml").jobs.preview;
        const step = preview.steps.find((s: Step) => String(s.uses).startsWith("pulumi/actions@"));
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
        const matrixJobs = [load("pull-request.yml").jobs.preview, load("drift.yml").jobs.preview];
        const deployJobs = Object.entries<Job>(load("deploy.yml").jobs).filter(([id]) => id !== "affected");
        const credentials = (clouds: string) => [
            { uses: "pulumi/auth-actions@v2", if: undefined },
            { uses: "aws-actions/configure-aws-credentials@v4", if: `contains(${clouds}, 'aws')` },
            { uses: "google-github-actions/auth@v2", if: `contains(${clouds}, 'gcp')` },
            { uses: "aliyun/configure-aliyun-credentials-action@v1", if: `contains(${clouds}, 'alicloud')` },
        ];
        for (const j of matrixJobs)
            expect(j.steps.map((s: Step) => ({ uses: s.uses, if: s.if }))).toEqual(expect.arrayContaining(credentials("matrix.stack.clouds")));
        expect(deployJobs.map(([id]) => id)).toEqual(["dev", "prod", "destroy"]);
        for (const [id, j] of deployJobs) {
            expect(j.steps.map((s: Step) => ({ uses: s.uses, if: s.if }))).toEqual(
                expect.arrayContaining(credentials(`fromJSON(needs.affected.outputs.${id}-clouds)`)),
            );
        }
        for (const j of [...matrixJobs, ...deployJobs.map(([, j]) => j)]) expect(j.permissions["id-token"]).toBe("write");
    });

    test("the deploy: dev, then prod only after dev succeeded, then destroy, each in its GitHub environment, one deploy at a time and never cancelled", () => {
        const wf = load("deploy.yml");
        expect(wf.concurrency).toEqual({ group: "deploy", "cancel-in-progress": false });
        expect(wf.jobs.prod.needs).toEqual(["affected", "dev"]);
        expect(wf.jobs.destroy.needs).toEqual(["affected", "dev", "prod"]);
        expect({ dev: wf.jobs.dev.environment, prod: wf.jobs.prod.environment, destroy: wf.jobs.destroy.environment }).toEqual({
            dev: "dev",
            prod: "prod",
            destroy: "destroy",
        });
        for (const id of ["dev", "prod", "destroy"]) {
            const cli = wf.jobs[id].steps.find((s: Step) => String(s.uses).startsWith("pulumi/actions@"));
            expect(cli.with).toEqual({ "pulumi-version": "3.270.0" });
        }
        const needs = (dev: string, prod = "skipped") => ({
            affected: { result: "success", outputs: { dev: '["a-dev"]', prod: '["a-prod"]', destroy: '["x"]' } },
            dev: { result: dev },
            prod: { result: prod },
        });
        const prodRuns = (dev: string) => condition(wf.jobs.prod.if, { needs: needs(dev) }, { failed: dev === "failure" });
        expect({ success: prodRuns("success"), skipped: prodRuns("skipped"), failure: prodRuns("failure"), cancelled: prodRuns("cancelled") }).toEqual({
            success: true,
            skipped: true,
            failure: false,
            cancelled: false,
        });
        expect(condition(wf.jobs.destroy.if, { needs: needs("success", "failure") }, { failed: true })).toBe(false);
        expect(condition(wf.jobs.destroy.if, { needs: needs("skipped", "success") }, { failed: false })).toBe(true);
    });

    test("CODEOWNERS guards the accepted one-way doors", () => {
        const owners = fs.readFileSync(path.join(root, ".github/CODEOWNERS"), "utf8");
        expect(owners).toMatch(/^\/deploy\/accepted-doors\.yaml\s+@\S+/m);
    });

    test("the drift check refreshes, expects no changes and runs on a schedule", () => {
        const wf = load("drift.yml");
        expect(wf.on.schedule[0].cron).toMatch(/^[\d*]+ [\d*]+ /);
        const step = wf.jobs.preview.steps.find((s: Step) => String(s.uses).startsWith("pulumi/actions@"));
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
            for (const j of Object.values<Job>(load(file).jobs)) {
                for (const s of j.steps.filter((s: Step) => String(s.uses).startsWith("actions/setup-node")))
                    expect(s.with?.["node-version-file"]).toBe(".nvmrc");
            }
        }
    });

    test("the pull-request plan job uses no secrets and no pull_request_target, so it is safe on forks", () => {
        const wf = load("pull-request.yml");
        expect(JSON.stringify(wf.jobs.plan)).not.toMatch(/secrets\./);
        expect(wf.on.pull_request_target).toBeUndefined();
    });
});
