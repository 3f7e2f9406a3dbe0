/**
 * `npm run bench:pull-request`: how long the pull-request workflow's `offline
 * plan` job takes from its start to the comment, run as a hosted runner runs it
 * (test/helpers/workflow-runner.ts) on a fresh clone of a throwaway repository
 * whose change raises one stack's `servers.maxSize`. Every step is real: the
 * clone, `npm ci` (npm's cache warm, as `setup-node`'s `cache: npm` leaves it),
 * the affected stacks, the base branch's plan and the change's plan. Prints one
 * line per step and the total; numbers are reported, never asserted.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { copyProject } from "../../test/helpers/project-copy";
import { runWorkflow } from "../../test/helpers/workflow-runner";

const root = path.resolve(__dirname, "../..");

function throwaway(dir: string): string {
    const origin = path.join(dir, "origin");
    const git = (...args: string[]) => execFileSync("git", args, { cwd: origin, stdio: "ignore" });
    copyProject(origin);
    git("init", "--quiet", "--initial-branch=main");
    git("add", "--all");
    git("-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "--quiet", "-m", "base");
    git("checkout", "--quiet", "-b", "change");
    const file = path.join(origin, "stacks/Pulumi.backend-dev.yaml");
    const doc = parseDocument(fs.readFileSync(file, "utf8"));
    const current = Number(doc.getIn(["config", "multicloud:servers", "maxSize"]) ?? 4);
    doc.setIn(["config", "multicloud:servers", "maxSize"], current + 1);
    fs.writeFileSync(file, doc.toString());
    git("-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "--quiet", "-am", "change");
    git("checkout", "--quiet", "main");
    return origin;
}

async function main(): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-pull-request-"));
    try {
        const origin = throwaway(dir);
        const workflow = parseDocument(fs.readFileSync(path.join(root, ".github/workflows/pull-request.yml"), "utf8")).toJS() as {
            jobs: Record<string, unknown>;
        };
        // The plan job alone: the tests run in their own job beside it, and the credentialed preview needs the cloud.
        const only = path.join(dir, "plan-job.yml");
        fs.writeFileSync(only, JSON.stringify({ ...workflow, jobs: { plan: workflow.jobs.plan } }));
        const result = await runWorkflow({
            workflow: only,
            origin,
            ref: "change",
            github: {
                repository: "acme/multicloud",
                event_name: "pull_request",
                base_ref: "main",
                head_ref: "change",
                event: { number: 1, pull_request: { number: 1, head: { repo: { full_name: "acme/multicloud" } } } },
            },
            vars: {},
            env: {
                PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
                HOME: os.homedir(),
                LANG: "C.UTF-8",
                npm_config_prefer_offline: "true",
            },
            scratch: path.join(dir, "runner"),
        });
        const [job] = result.jobs;
        let total = 0;
        for (const step of job.steps) {
            total += step.durationMs ?? 0;
            process.stdout.write(`${((step.durationMs ?? 0) / 1000).toFixed(1).padStart(6)} s  ${step.outcome.padEnd(8)} ${step.name}\n`);
            if (step.name === "Pull-request comment") process.stdout.write(`${(total / 1000).toFixed(1).padStart(6)} s  from the job's start to the comment\n`);
        }
        if (job.result !== "success") process.exitCode = 1;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

void main();
