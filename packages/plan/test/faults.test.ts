/**
 * Packs written to fail: the plan ends naming the pack, what it was judging and the
 * pack's own exit code, or what it waited for past the limit (exit 4), and leaves
 * no process behind.
 */
import { execFileSync } from "node:child_process";
import { PolicyPackServer, exitListenerCount } from "../src/analyzer";
import { cli, fixture } from "./helpers/cli";

const packProcesses = (pack: string) =>
    String(execFileSync("ps", ["-eo", "pid,args"]))
        .split("\n")
        .filter((line) => line.includes("run-policy-pack") && line.includes(fixture(pack)));

test("a pack that exits while judging a resource: its name, its exit code and the resource (exit 4)", async () => {
    const { code, stderr } = await cli(["--cwd", fixture("efs-program"), "--stack", "dev", "--policy-pack", fixture("crashing-pack")]);
    expect(code).toBe(4);
    expect(stderr).toContain("Policy pack crashing (test/fixtures/crashing-pack) exited with code 7 while answering Analyze of");
    expect(stderr).toMatch(/Analyze of urn:pulumi:dev::efs-program::pulumi:pulumi:Stack\$aws:efs\/fileSystem:FileSystem::files/);
    expect(packProcesses("crashing-pack")).toEqual([]);
});

test("a policy that never returns: the call past --policy-timeout names what it waited for; the pack is gone (exit 4)", async () => {
    const { code, stderr } = await cli(["--cwd", fixture("efs-program"), "--stack", "dev", "--policy-pack", fixture("hanging-pack"), "--policy-timeout", "2"]);
    expect(code).toBe(4);
    expect(stderr).toContain(
        "Policy pack hanging (test/fixtures/hanging-pack) gave no answer within 2 s to Analyze of urn:pulumi:dev::efs-program::pulumi:pulumi:Stack$aws:efs/fileSystem:FileSystem::files",
    );
    expect(stderr).toContain("--policy-timeout SECONDS (or PLAN_POLICY_TIMEOUT)");
    expect(packProcesses("hanging-pack")).toEqual([]);
});

test("starting packs adds one process exit handler in all, not one per pack", async () => {
    const before = exitListenerCount();
    const first = await PolicyPackServer.start(fixture("provider-pack"));
    const afterOne = exitListenerCount();
    const more = await Promise.all([PolicyPackServer.start(fixture("provider-pack")), PolicyPackServer.start(fixture("provider-pack"))]);
    expect(exitListenerCount()).toBe(afterOne);
    expect(afterOne - before).toBeLessThanOrEqual(1);
    await Promise.all([first, ...more].map((s) => s.stop()));
    const pids = [first, ...more].map((s) => s.pid);
    expect(pids).not.toContain(undefined);
    // Its own packs only: another test file may be running the same fixture pack meanwhile.
    const running = pids.filter((pid) => {
        try {
            process.kill(pid!, 0);
            return true;
        } catch {
            return false;
        }
    });
    expect(running).toEqual([]);
}, 60_000);

test("a program that ends its own process is named with its exit code and its last words (exit 2)", async () => {
    const { code, stderr } = await cli(["--cwd", fixture("exits"), "--stack", "dev"]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("error: The program of stack dev exited with code 9 before it finished: giving up: the license server is unreachable");
});
