/**
 * Runs one stack's program in a child process (runner.ts) under the mock runtime and
 * returns what it registered; a program that throws is reported at its own line.
 */
import { fork } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { PlanError } from "../errors";
import type { Project } from "../project";
import type { RunnerJob, RunnerResult } from "./runner-protocol";

const runnerPath = path.join(__dirname, "runner.ts");
const tsxLoader = pathToFileURL(require.resolve("tsx")).href;

/** Runs the program of one stack in a child process and returns what it registered. */
export async function runProgram(project: Project, job: RunnerJob, verbose = false): Promise<Extract<RunnerResult, { ok: true }>> {
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
    const child = fork(runnerPath, [], {
        cwd: project.dir,
        execArgv: ["--import", tsxLoader, ...heap, ...nodeargs],
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        env: { ...process.env, PULUMI_NODEJS_PROJECT: job.project, PULUMI_NODEJS_STACK: job.stack },
        serialization: "advanced",
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += String(d)));
    child.stderr!.on("data", (d) => (output += String(d)));
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
    if (verbose && output.trim()) process.stderr.write(output);
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

