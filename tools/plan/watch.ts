/**
 * `--watch`: plan again whenever a file of the project or of a policy pack changes,
 * for a reviewer who iterates. The policy packs stay started (restarted only when
 * a pack's own files change) and the next program's runner is started ahead with
 * the SDKs already loaded, so a plan again costs the program and the review, not
 * the start of Node, the SDKs and the packs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PolicySession, warmRunners } from "./plan";

/** Directories whose changes are not the program's: dependencies, VCS, the plan's own output. */
const ignored = /(^|[\\/])(node_modules|\.git|\.plan)([\\/]|$)/;

export interface WatchOptions {
    projectDir: string;
    packDirs: string[];
    startSession: () => Promise<PolicySession> | undefined;
    /** Plans once with the session; returns the exit code a single plan would have. */
    planOnce: (session: Promise<PolicySession> | undefined) => Promise<number>;
    /** Files written by the plan itself (--json, --markdown): never a reason to plan again. */
    outputs: string[];
    log?: (line: string) => void;
}

/** Plans, then plans again on every change, until SIGINT or SIGTERM; resolves with the last plan's exit code. */
export async function watch(options: WatchOptions): Promise<number> {
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const outputs = new Set(options.outputs.map((f) => path.resolve(f)));
    warmRunners.keepWarm();
    let session = options.startSession();
    session?.catch(() => undefined);
    let lastCode = 0;
    let pending: { files: Set<string>; packChanged: boolean } | undefined;
    let stopped = false;
    let restartPacks = false;
    let wake: () => void = () => undefined;

    const planNow = async (reason: string) => {
        const started = performance.now();
        log(`watch: planning (${reason})`);
        try {
            lastCode = await options.planOnce(session);
        } catch (e) {
            // A bad edit is reported and the watch goes on: the next save may fix it. A pack
            // that failed is started afresh for the next plan.
            log(`error: ${(e as Error).message}`);
            lastCode = (e as { exitCode?: number }).exitCode ?? 3;
            restartPacks = true;
        }
        log(`watch: planned in ${((performance.now() - started) / 1000).toFixed(2)} s (exit ${lastCode}); waiting for changes, Ctrl-C to stop`);
    };

    const onChange = (dir: string, isPack: boolean) => (_event: string, file: string | Buffer | null) => {
        const name = file ? path.join(dir, String(file)) : dir;
        if (ignored.test(path.relative(options.projectDir, name)) || outputs.has(path.resolve(name))) return;
        pending ??= { files: new Set(), packChanged: false };
        pending.files.add(path.relative(options.projectDir, name) || name);
        pending.packChanged ||= isPack;
        wake();
    };
    // Each directory on its own, so that dependencies (node_modules) are never walked.
    const watchTree = (dir: string, isPack: boolean) => [
        fs.watch(dir, onChange(dir, isPack)),
        ...fs
            .readdirSync(dir, { withFileTypes: true })
            .filter((e) => e.isDirectory() && !ignored.test(e.name))
            .map((e) => fs.watch(path.join(dir, e.name), { recursive: true }, onChange(path.join(dir, e.name), isPack))),
    ];
    const watchers = [...watchTree(options.projectDir, false), ...options.packDirs.flatMap((dir) => watchTree(path.resolve(dir), true))];
    const finished = new Promise<void>((resolve) => {
        const stop = () => {
            stopped = true;
            wake();
            resolve();
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
    });

    await planNow("start");
    while (!stopped) {
        if (!pending) await new Promise<void>((resolve) => (wake = resolve));
        // Editors write a file in several steps: wait until the changes settle.
        await new Promise((resolve) => setTimeout(resolve, 150));
        if (stopped || !pending) continue;
        const change = pending;
        pending = undefined;
        if (change.packChanged || restartPacks) {
            restartPacks = false;
            const old = session;
            session = options.startSession();
            session?.catch(() => undefined);
            await (await old?.catch(() => undefined))?.stop();
        }
        await planNow(`changed: ${[...change.files].slice(0, 3).join(", ")}${change.files.size > 3 ? ` and ${change.files.size - 3} more` : ""}`);
    }
    await finished;
    watchers.forEach((w) => w.close());
    await (await session?.catch(() => undefined))?.stop();
    warmRunners.stop();
    return lastCode;
}
