import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fixture, root } from "../helpers/cli";

/** A copy of a fixture program that the test may edit, resolving its dependencies from the project's install. */
function editableProgram(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "watched-"));
    for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "index.ts", "package.json"]) fs.copyFileSync(path.join(fixture("efs-program"), f), path.join(dir, f));
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
    return dir;
}

/** The process ids below a process: the packs and the runners the plan started. */
function descendants(pid: number): number[] {
    const rows = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
        .trim()
        .split("\n")
        .map((line) => line.trim().split(/\s+/).map(Number));
    const below = (parent: number): number[] => rows.filter(([, ppid]) => ppid === parent).flatMap(([child]) => [child, ...below(child)]);
    return below(pid);
}

/** Running, not merely an exited process that nobody has reaped yet. */
const alive = (pid: number) => {
    try {
        return !execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).trim().startsWith("Z");
    } catch {
        return false;
    }
};

test("--watch plans again when the program changes, with the packs kept, and leaves nothing running when stopped", async () => {
    const dir = editableProgram();
    const child = spawn(
        process.execPath,
        ["--import", "tsx", path.join(root, "tools/plan/cli.ts"), "--cwd", dir, "--stack", "dev", "--policy-pack", fixture("js-pack"), "--watch"],
        { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    const started: number[] = [];
    child.stdout.on("data", (d) => (stdout += String(d)));
    const planned = (count: number) =>
        new Promise<void>((resolve) => {
            const check = () => {
                if ((stderr.match(/watch: planned in/g) ?? []).length >= count) {
                    child.stderr.off("data", onData);
                    resolve();
                }
            };
            const onData = (d: Buffer) => {
                stderr += String(d);
                check();
            };
            child.stderr.on("data", onData);
            check();
        });
    try {
        await planned(1);
        expect(stdout).toContain("aws:efs/fileSystem:FileSystem");
        expect(stdout).not.toContain("aws:s3/bucket:Bucket");

        fs.appendFileSync(path.join(dir, "index.ts"), `new aws.s3.Bucket("logs-archive", {});\n`);
        await planned(2);
        expect(stderr).toMatch(/watch: planning \(changed: index\.ts\)/);
        // The pack started once is the one that judged the new bucket.
        expect(stdout).toContain("aws:s3/bucket:Bucket");
        expect(stdout).toMatch(/outside\/s3-owner-tag \(1\)\s+logs-archive: The bucket has no owner tag\./);
        expect(stderr).toMatch(/watch: planned in [\d.]+ s \(exit 1\)/);
    } finally {
        started.push(...descendants(child.pid!));
        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
        child.kill("SIGINT");
        expect(await exited).toBe(1);
    }
    // The pack and a warm runner were running; none outlives the plan.
    expect(started.length).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(started.filter(alive)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
});
