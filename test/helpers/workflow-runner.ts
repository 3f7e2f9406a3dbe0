/**
 * Runs a GitHub workflow's jobs as a hosted runner would, on a fresh clone, up
 * to the first step that needs the Pulumi CLI or a cloud. Every `run:` step
 * executes in bash (`-eo pipefail`, as the runner's default shell) with `${{ }}`
 * expressions substituted, `$GITHUB_OUTPUT`, `$GITHUB_ENV`, `$GITHUB_PATH` and
 * `$GITHUB_STEP_SUMMARY` files read back, and `if:` conditions, `needs`,
 * job outputs and matrices handled. `uses:` steps are stood in for by what they
 * do here: checkout clones, setup-node checks the Node version the workflow asks
 * for is the one on PATH, upload/download-artifact copy, the sticky comment
 * action captures its file. Any other action talks to Pulumi Cloud or a cloud
 * provider: without `standIns` the job stops there; with them, the credential
 * actions succeed without credentials and `pulumi/actions` runs `pulumi` from
 * PATH (a stand-in CLI that records each call) with the action's inputs as flags.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { condition, interpolate, toText, type Status, type Value } from "./expressions";

export interface RunOptions {
    /** The workflow file. */
    workflow: string;
    /** The repository the checkout stand-in clones. */
    origin: string;
    /** The branch checked out (the pull request's head, or main after a merge). */
    ref: string;
    /** The `github` context: event_name, event, base_ref, repository, ... */
    github: Record<string, Value>;
    vars?: Record<string, string>;
    /** Environment every step starts from (PATH with Node, HOME for the npm cache). */
    env: Record<string, string>;
    /** A scratch directory; each job gets its own workspace in it. */
    scratch: string;
    /** Receives one line per job and step, for a failing test's message. */
    log?: (line: string) => void;
    /** Stand in for Pulumi Cloud and the clouds: credential actions pass, `pulumi/actions` runs the `pulumi` on PATH. */
    standIns?: boolean;
}

export interface StepResult {
    name: string;
    outcome: "success" | "failure" | "skipped" | "stopped";
    exitCode?: number;
    /** Wall time of the step, in milliseconds. */
    durationMs?: number;
    outputs: Record<string, string>;
    stdout: string;
    stderr: string;
}

export interface JobResult {
    /** `job` or `job (matrix value)`. */
    name: string;
    /** The job's `environment:` (a protected GitHub environment gates it). */
    environment?: string;
    id: string;
    result: "success" | "failure" | "skipped";
    /** The step that needs the Pulumi CLI or a cloud, where the run stopped. */
    stoppedAt?: string;
    steps: StepResult[];
    outputs: Record<string, string>;
    summary: string;
    workspace?: string;
    matrix?: Value;
}

export interface WorkflowResult {
    jobs: JobResult[];
    /** The pull-request comments the sticky comment action would post. */
    comments: string[];
    /** Uploaded artifacts: name to directory. */
    artifacts: Record<string, string>;
}

interface Step {
    id?: string;
    name?: string;
    if?: string | boolean;
    run?: string;
    uses?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
    shell?: string;
    "working-directory"?: string;
    "continue-on-error"?: boolean | string;
}

interface Job {
    name?: string;
    needs?: string | string[];
    if?: string | boolean;
    environment?: string | { name: string };
    env?: Record<string, unknown>;
    outputs?: Record<string, string>;
    strategy?: { matrix?: Record<string, unknown> };
    defaults?: { run?: { shell?: string; "working-directory"?: string } };
    steps: Step[];
}

function sh(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
        child.on("error", (e) => resolve({ code: 127, stdout, stderr: stderr + String(e) }));
    });
}

/** `name=value` lines and `name<<DELIMITER` blocks, as the runner reads `$GITHUB_OUTPUT` and `$GITHUB_ENV`. */
export function readKeyValueFile(file: string): Record<string, string> {
    if (!fs.existsSync(file)) return {};
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const values: Record<string, string> = {};
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (!line) continue;
        const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
        if (heredoc) {
            const body: string[] = [];
            for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]);
            if (i >= lines.length) throw new Error(`Unterminated ${heredoc[1]}<<${heredoc[2]} block in ${file}.`);
            values[heredoc[1]] = body.join("\n");
            continue;
        }
        const eq = line.indexOf("=");
        if (eq < 0) throw new Error(`Invalid line in ${file}: ${line}`);
        values[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return values;
}

function stringMap(values: Record<string, unknown> | undefined, context: Record<string, Value>, status: Status): Record<string, string> {
    return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, String(typeof v === "string" ? (interpolate(v, context, status) ?? "") : v)]));
}

/** Every combination of a matrix's axes (`include`/`exclude` are not used by these workflows and are refused). */
function expand(matrix: Record<string, Value>): Record<string, Value>[] {
    let combos: Record<string, Value>[] = [{}];
    for (const [axis, values] of Object.entries(matrix)) {
        if (axis === "include" || axis === "exclude") throw new Error("The workflow runner does not expand matrix include/exclude.");
        if (!Array.isArray(values)) throw new Error(`Matrix axis ${axis} is not a list: ${JSON.stringify(values)}`);
        combos = combos.flatMap((c) => values.map((v) => ({ ...c, [axis]: v })));
    }
    return combos;
}

export async function runWorkflow(options: RunOptions): Promise<WorkflowResult> {
    const workflow = parse(fs.readFileSync(options.workflow, "utf8")) as { env?: Record<string, unknown>; jobs: Record<string, Job> };
    const log = options.log ?? (() => undefined);
    const results = new Map<string, JobResult[]>();
    const comments: string[] = [];
    const artifacts: Record<string, string> = {};
    const artifactRoot = path.join(options.scratch, "artifacts");
    const pending = Object.keys(workflow.jobs);
    let counter = 0;

    while (pending.length > 0) {
        const ready = pending.find((id) => [workflow.jobs[id].needs ?? []].flat().every((n) => results.has(n)));
        if (!ready) throw new Error(`Jobs wait on each other or on a missing job: ${pending.join(", ")}`);
        pending.splice(pending.indexOf(ready), 1);
        const job = workflow.jobs[ready];
        const needIds = [job.needs ?? []].flat();
        const needs: Record<string, Value> = Object.fromEntries(
            needIds.map((n) => {
                const runs = results.get(n)!;
                const result = runs.some((r) => r.result === "failure") ? "failure" : runs.every((r) => r.result === "skipped") ? "skipped" : "success";
                return [n, { result, outputs: Object.assign({}, ...runs.map((r) => r.outputs)) }];
            }),
        );
        const needsFailed = Object.values(needs).some((n) => (n as { result: string }).result !== "success");
        const base: Record<string, Value> = {
            github: options.github,
            vars: options.vars ?? {},
            secrets: {},
            needs,
            inputs: {},
            env: {},
            runner: { os: "Linux", arch: "X64", temp: path.join(options.scratch, "runner-temp") },
            job: { status: needsFailed ? "failure" : "success" },
        };
        const runs: JobResult[] = [];
        const rawMatrix = job.strategy?.matrix;
        // The job-level `if:` is evaluated before the matrix is expanded, as on GitHub.
        if (!condition(job.if, base, { failed: needsFailed })) {
            runs.push({ name: ready, id: ready, result: "skipped", steps: [], outputs: {}, summary: "" });
        } else {
            const matrixAxes = rawMatrix
                ? (Object.fromEntries(Object.entries(rawMatrix).map(([k, v]) => [k, typeof v === "string" ? interpolate(v, base) : (v as Value)])) as Record<
                      string,
                      Value
                  >)
                : undefined;
            for (const matrix of matrixAxes ? expand(matrixAxes) : [undefined]) {
                const context: Record<string, Value> = { ...base, matrix: matrix ?? {} };
                const name = job.name ? toText(interpolate(job.name, context)) : ready;
                log(`job ${name}`);
                const started = Date.now();
                runs.push(await runJob(ready, name, job, context, workflow.env, options, `${++counter}-${ready}`, { comments, artifacts, artifactRoot }, log));
                log(`job ${name} done in ${Math.round((Date.now() - started) / 1000)} s`);
            }
        }
        results.set(ready, runs);
    }
    return { jobs: [...results.values()].flat(), comments, artifacts };
}

async function runJob(
    id: string,
    name: string,
    job: Job,
    context: Record<string, Value>,
    workflowEnv: Record<string, unknown> | undefined,
    options: RunOptions,
    slot: string,
    shared: { comments: string[]; artifacts: Record<string, string>; artifactRoot: string },
    log: (line: string) => void,
): Promise<JobResult> {
    const home = path.join(options.scratch, slot);
    const workspace = path.join(home, "work");
    const temp = path.join(home, "temp");
    fs.mkdirSync(workspace, { recursive: true });
    fs.mkdirSync(temp, { recursive: true });
    const summaryFile = path.join(temp, "step-summary.md");
    fs.writeFileSync(summaryFile, "");
    const github: Record<string, Value> = { ...(context.github as Record<string, Value>), workspace };
    const status: Status = { failed: false };
    const steps: Record<string, Value> = {};
    const stepResults: StepResult[] = [];
    let jobEnv: Record<string, string> = {};
    const addedEnv: Record<string, string> = {};
    const addedPath: string[] = [];
    let stoppedAt: string | undefined;
    const ctx = (): Record<string, Value> => ({ ...context, github, steps, env: { ...jobEnv, ...addedEnv }, runner: { ...(context.runner as object), temp } });
    jobEnv = { ...stringMap(workflowEnv, ctx(), status), ...stringMap(job.env, ctx(), status) };

    for (const [index, step] of job.steps.entries()) {
        const label = step.name ? toText(interpolate(step.name, ctx(), status)) : step.run ? step.run.split("\n")[0] : String(step.uses);
        const stepStarted = Date.now();
        const record = (r: Omit<StepResult, "name">) => {
            stepResults.push({ name: label, durationMs: Date.now() - stepStarted, ...r });
            if (step.id)
                steps[step.id] = {
                    outputs: r.outputs,
                    outcome: r.outcome,
                    conclusion: r.outcome === "failure" && truthyFlag(step["continue-on-error"]) ? "success" : r.outcome,
                };
        };
        if (!condition(step.if, ctx(), status)) {
            record({ outcome: "skipped", outputs: {}, stdout: "", stderr: "" });
            continue;
        }
        const stepEnv = { ...jobEnv, ...addedEnv, ...stringMap(step.env, ctx(), status) };
        const env: Record<string, string> = {
            ...options.env,
            ...stepEnv,
            PATH: [...addedPath, options.env.PATH].join(path.delimiter),
            CI: "true",
            GITHUB_ACTIONS: "true",
            GITHUB_WORKSPACE: workspace,
            GITHUB_EVENT_NAME: toText(github.event_name ?? ""),
            GITHUB_REPOSITORY: toText(github.repository ?? ""),
            GITHUB_BASE_REF: toText(github.base_ref ?? ""),
            GITHUB_HEAD_REF: toText(github.head_ref ?? ""),
            GITHUB_REF: toText(github.ref ?? ""),
            GITHUB_SHA: toText(github.sha ?? ""),
            GITHUB_RUN_ID: toText(github.run_id ?? "1"),
            GITHUB_SERVER_URL: "https://github.com",
            RUNNER_TEMP: temp,
            RUNNER_OS: "Linux",
        };
        if (step.uses) {
            const action = step.uses.replace(/@.*$/, "");
            const inputs = stringMap(step.with, ctx(), status);
            const standIn = await useAction(action, inputs, {
                workspace,
                origin: options.origin,
                ref: options.ref,
                env,
                standIns: options.standIns ?? false,
                ...shared,
            });
            if (standIn === "stop") {
                stoppedAt = label;
                record({ outcome: "stopped", outputs: {}, stdout: "", stderr: "" });
                log(`  stop at ${label}: needs the Pulumi CLI or a cloud`);
                break;
            }
            record({ outcome: standIn.ok ? "success" : "failure", exitCode: standIn.ok ? 0 : 1, outputs: {}, stdout: standIn.message, stderr: "" });
            if (!standIn.ok) status.failed = true;
            log(`  ${standIn.ok ? "ok" : "FAILED"} ${label}`);
            continue;
        }
        const script = toText(interpolate(step.run ?? "", ctx(), status));
        const outputFile = path.join(temp, `output-${index}`);
        const envFile = path.join(temp, `env-${index}`);
        const pathFile = path.join(temp, `path-${index}`);
        const scriptFile = path.join(temp, `step-${index}.sh`);
        for (const f of [outputFile, envFile, pathFile]) fs.writeFileSync(f, "");
        fs.writeFileSync(scriptFile, script);
        const shell = step.shell ?? job.defaults?.run?.shell ?? "bash";
        if (shell !== "bash") throw new Error(`The workflow runner runs bash steps only; ${label} asks for ${shell}.`);
        const cwd = path.resolve(workspace, step["working-directory"] ?? job.defaults?.run?.["working-directory"] ?? ".");
        const run = await sh("bash", ["--noprofile", "--norc", "-eo", "pipefail", scriptFile], {
            cwd,
            env: { ...env, GITHUB_OUTPUT: outputFile, GITHUB_ENV: envFile, GITHUB_PATH: pathFile, GITHUB_STEP_SUMMARY: summaryFile },
        });
        const outputs = readKeyValueFile(outputFile);
        Object.assign(addedEnv, readKeyValueFile(envFile));
        addedPath.unshift(...fs.readFileSync(pathFile, "utf8").split("\n").filter(Boolean).toReversed());
        const ok = run.code === 0;
        record({ outcome: ok ? "success" : "failure", exitCode: run.code, outputs, stdout: run.stdout, stderr: run.stderr });
        log(`  ${ok ? "ok" : `FAILED (exit ${run.code})`} ${label} (${((Date.now() - stepStarted) / 1000).toFixed(1)} s)`);
        if (!ok && !truthyFlag(step["continue-on-error"])) status.failed = true;
    }
    const outputs = stringMap(job.outputs, ctx(), status);
    const environment = typeof job.environment === "object" ? job.environment.name : job.environment;
    return {
        name,
        id,
        environment: environment === undefined ? undefined : toText(interpolate(environment, ctx(), status)),
        result: status.failed ? "failure" : "success",
        stoppedAt,
        steps: stepResults,
        outputs,
        summary: fs.readFileSync(summaryFile, "utf8"),
        workspace,
        matrix: context.matrix,
    };
}

function truthyFlag(v: unknown): boolean {
    return v === true || v === "true";
}

const credentialActions = [
    "pulumi/auth-actions",
    "aws-actions/configure-aws-credentials",
    "google-github-actions/auth",
    "aliyun/configure-aliyun-credentials-action",
];

/** The command line pulumi/actions runs for its inputs (the inputs the workflows use; any other is refused, not ignored). */
export function pulumiActionArgs(inputs: Record<string, string>): string[] {
    const known = new Set([
        "command",
        "stack-name",
        "work-dir",
        "pulumi-version",
        "policyPacks",
        "policyPackConfigs",
        "diff",
        "refresh",
        "expect-no-changes",
        "comment-on-pr",
        "edit-pr-comment",
        "always-include-summary",
    ]);
    const unknown = Object.keys(inputs).filter((k) => !known.has(k));
    if (unknown.length > 0) throw new Error(`The workflow runner does not map pulumi/actions inputs ${unknown.join(", ")}.`);
    const args = [inputs.command === "update" ? "up" : inputs.command, "--stack", inputs["stack-name"], "--non-interactive"];
    if (inputs.command === "up") args.push("--yes");
    for (const pack of (inputs.policyPacks ?? "")
        .split("\n")
        .map((p) => p.trim())
        .filter(Boolean))
        args.push("--policy-pack", pack);
    for (const config of (inputs.policyPackConfigs ?? "")
        .split("\n")
        .map((p) => p.trim())
        .filter(Boolean))
        args.push("--policy-pack-config", config);
    if (inputs.diff === "true") args.push("--diff");
    if (inputs.refresh === "true") args.push("--refresh");
    if (inputs["expect-no-changes"] === "true") args.push("--expect-no-changes");
    return args;
}

async function useAction(
    action: string,
    inputs: Record<string, string>,
    at: {
        workspace: string;
        origin: string;
        ref: string;
        env: Record<string, string>;
        standIns: boolean;
        comments: string[];
        artifacts: Record<string, string>;
        artifactRoot: string;
    },
): Promise<{ ok: boolean; message: string } | "stop"> {
    if (at.standIns && credentialActions.includes(action)) return { ok: true, message: `${action}: stood in, no credentials` };
    if (at.standIns && action === "pulumi/actions") {
        if (!inputs.command) return { ok: true, message: "pulumi/actions without a command installs the CLI: the stand-in is on PATH" };
        const run = await sh("pulumi", pulumiActionArgs(inputs), { cwd: path.resolve(at.workspace, inputs["work-dir"] || "."), env: at.env });
        return { ok: run.code === 0, message: run.stdout + run.stderr };
    }
    switch (action) {
        case "actions/checkout": {
            // fetch-depth 0 is the whole history; anything else a shallow clone of the one commit, as the action does.
            const depth = inputs["fetch-depth"] === "0" ? [] : ["--depth", inputs["fetch-depth"] || "1"];
            const clone = await sh("git", ["clone", "--quiet", ...depth, "--branch", at.ref, `file://${at.origin}`, at.workspace], {
                cwd: path.dirname(at.workspace),
                env: at.env,
            });
            return { ok: clone.code === 0, message: clone.stderr };
        }
        case "actions/setup-node": {
            const wanted = inputs["node-version-file"]
                ? fs.readFileSync(path.join(at.workspace, inputs["node-version-file"]), "utf8").trim()
                : inputs["node-version"];
            const node = await sh("node", ["--version"], { cwd: at.workspace, env: at.env });
            const major = /^v(\d+)\./.exec(node.stdout.trim())?.[1];
            const ok = !!wanted && major === wanted.replace(/^v/, "").split(".")[0];
            return { ok, message: `wanted Node ${wanted}, PATH has ${node.stdout.trim()}` };
        }
        case "actions/upload-artifact": {
            const dest = path.join(at.artifactRoot, inputs.name);
            fs.mkdirSync(dest, { recursive: true });
            const files = inputs.path
                .split("\n")
                .map((p) => p.trim())
                .filter(Boolean);
            let found = 0;
            for (const file of files) {
                const from = path.join(at.workspace, file);
                if (!fs.existsSync(from)) continue;
                fs.cpSync(from, path.join(dest, path.basename(file)), { recursive: true });
                found++;
            }
            at.artifacts[inputs.name] = dest;
            const missing = found === 0 && (inputs["if-no-files-found"] ?? "warn") === "error";
            return { ok: !missing, message: `${found} of ${files.length} paths uploaded` };
        }
        case "actions/download-artifact": {
            const wanted = inputs.name
                ? [inputs.name]
                : Object.keys(at.artifacts).filter((n) => !inputs.pattern || new RegExp(`^${inputs.pattern.replace(/\*/g, ".*")}$`).test(n));
            for (const name of wanted) {
                const target = path.join(at.workspace, inputs.path || ".", inputs.name || inputs["merge-multiple"] === "true" ? "" : name);
                if (at.artifacts[name]) fs.cpSync(at.artifacts[name], target, { recursive: true });
            }
            return { ok: true, message: `${wanted.length} artifacts` };
        }
        case "marocchino/sticky-pull-request-comment": {
            const file = path.join(at.workspace, inputs.path);
            if (!fs.existsSync(file)) return { ok: false, message: `${inputs.path} does not exist` };
            at.comments.push(fs.readFileSync(file, "utf8"));
            return { ok: true, message: `comment ${inputs.header}` };
        }
        default:
            return "stop";
    }
}
