/**
 * Runs one stack's program in a child process (runner.ts) under the mock runtime and
 * returns what it registered; a program that throws is reported at its own line.
 */
import { fork, type ChildProcess } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { PlanError } from "../errors";
import type { Project } from "../project";
import type { RunnerJob, RunnerResult } from "./runner-protocol";

const runnerPath = path.join(__dirname, "runner.ts");
const tsxLoader = pathToFileURL(require.resolve("tsx")).href;

interface RunnerProcess {
    child: ChildProcess;
    /** What the runner printed, for errors and --verbose. */
    output: () => string;
}

/**
 * Runner processes started ahead of their job, so that planning several stacks
 * (`--all`) does not wait for Node and the SDKs to load: after one program ran, the next runner loads the SDKs that program used.
 * Off unless `keepWarm` is called, so a single plan starts nothing it does not use.
 */
class WarmRunners {
    private enabled = false;
    private spare?: { key: string; runner: RunnerProcess };

    keepWarm(): void {
        this.enabled = true;
    }

    /** A runner for the project: the spare one when it was started for the same project and options. */
    take(project: Project): RunnerProcess {
        const key = runnerKey(project);
        const spare = this.spare;
        this.spare = undefined;
        if (spare && spare.key === key && spare.runner.child.exitCode === null) {
            const { child } = spare.runner;
            for (const handle of handlesOf(child)) handle.ref();
            return spare.runner;
        }
        spare?.runner.child.kill();
        return startRunner(project, []);
    }

    /** After a run: start the next runner, loading what the last program loaded. */
    prepare(project: Project, packages: string[]): void {
        if (!this.enabled || this.spare) return;
        const runner = startRunner(project, packages);
        // A spare that nobody takes must not keep the plan alive.
        for (const handle of handlesOf(runner.child)) handle.unref();
        this.spare = { key: runnerKey(project), runner };
    }

    stop(): void {
        this.spare?.runner.child.kill();
        this.spare = undefined;
    }
}

/** What keeps the plan's own process waiting for a child: the process, its IPC channel, its output pipes. */
function handlesOf(child: ChildProcess): { ref(): void; unref(): void }[] {
    return [child, child.channel as unknown as { ref(): void; unref(): void } | undefined, child.stdout as unknown as { ref(): void; unref(): void }, child.stderr as unknown as { ref(): void; unref(): void }].filter(
        (h): h is { ref(): void; unref(): void } => Boolean(h),
    );
}

export const warmRunners = new WarmRunners();
// Nor outlive it, however the plan ends.
process.once("exit", () => warmRunners.stop());

function runnerExecArgv(project: Project): string[] {
    const nodeargs = (project.runtimeOptions.nodeargs ?? "").split(/\s+/).filter(Boolean);
    // A large program under mocks holds every resource in one heap: allow it most of the machine,
    // unless the project or the user chose a limit.
    // A larger young generation cuts the garbage collector's work on the SDK's many
    // short-lived promises (5,000 services: 80.7 s to 58.7 s).
    const given = [...nodeargs, process.env.NODE_OPTIONS ?? ""].join(" ");
    const heap = [
        ...(given.includes("--max-old-space-size") ? [] : [`--max-old-space-size=${Math.floor((os.totalmem() / 2 ** 20) * 0.6)}`]),
        ...(given.includes("--max-semi-space-size") ? [] : ["--max-semi-space-size=64"]),
    ];
    return ["--import", tsxLoader, ...heap, ...nodeargs];
}

const runnerKey = (project: Project) => JSON.stringify([project.dir, runnerExecArgv(project)]);

function startRunner(project: Project, preload: string[]): RunnerProcess {
    const child = fork(runnerPath, [], {
        cwd: project.dir,
        execArgv: runnerExecArgv(project),
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        env: { ...process.env, MULTICLOUD_PLAN_PRELOAD: JSON.stringify(preload) },
        serialization: "advanced",
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += String(d)));
    child.stderr!.on("data", (d) => (output += String(d)));
    return { child, output: () => output };
}

/** Runs the program of one stack in a child process and returns what it registered. */
export async function runProgram(project: Project, job: RunnerJob, verbose = false): Promise<Extract<RunnerResult, { ok: true }>> {
    const { child, output: printed } = warmRunners.take(project);
    let ended = "";
    const result = await new Promise<RunnerResult | undefined>((resolve) => {
        let received: RunnerResult | undefined;
        child.on("message", (m: RunnerResult) => (received = m));
        child.on("exit", (code, signal) => {
            ended = code !== null ? `exited with code ${code}` : `was killed by ${signal}`;
            resolve(received);
        });
        child.send(job);
    });
    const output = printed();
    if (verbose && output.trim()) process.stderr.write(output);
    if (result?.ok) warmRunners.prepare(project, result.stats.packages);
    if (!result) {
        const outOfMemory = /heap out of memory|Allocation failed/i.test(output);
        throw new PlanError(
            2,
            outOfMemory
                ? `The program of stack ${job.stack} ran out of memory. Give it more with runtime.options.nodeargs: "--max-old-space-size=MB" in Pulumi.yaml, or NODE_OPTIONS.`
                : `The program of stack ${job.stack} ${ended} before it finished${lastLine(output) ? `: ${lastLine(output)}` : "."}`,
            output.trim(),
        );
    }
    if (!result.ok && result.runError) {
        throw new PlanError(2, result.error.message.trim(), result.error.stack);
    }
    if (!result.ok && result.kind === "program" && !job.withStackTraces) {
        return runProgram(project, { ...job, withStackTraces: true }, verbose);
    }
    if (!result.ok) {
        const where = firstUserFrame(result.error.stack, project.dir);
        throw new PlanError(
            2,
            `The program of stack ${job.stack} failed${where ? ` at ${where}` : ""}: ${result.error.message.trim()}`,
            result.error.stack ?? output.trim(),
        );
    }
    return result;
}

const lastLine = (text: string) => text.trim().split("\n").filter(Boolean).pop() ?? "";

/** The first stack frame in the user's own files, so an error points at the failing line without a trace. */
function firstUserFrame(stack: string | undefined, projectDir: string): string | undefined {
    if (!stack) return undefined;
    for (const line of stack.split("\n").slice(1)) {
        const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?$/.exec(line.trim());
        if (!m) continue;
        const file = m[1].replace(/^file:\/\//, "");
        if (file.includes("node_modules") || !file.startsWith(projectDir)) continue;
        return `${path.relative(process.cwd(), file)}:${m[2]}`;
    }
    return undefined;
}

