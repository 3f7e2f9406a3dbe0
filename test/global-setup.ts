/**
 * Starts one policy pack server per Jest worker, as the CLI starts a pack, so that
 * every policy test file in a worker shares it (a worker runs its files one at a
 * time, so their Configure calls never interleave). Test files find their worker's
 * server through POLICY_PACK_PORTS; global-teardown.ts stops them.
 *
 * It also makes the run's directory for the stacks' plans (test/helpers/stack-plans.ts),
 * STACK_PLANS_DIR, always a new one: a run started by a test inherits its parent's
 * environment, and plans its own project.
 *
 * Every temporary directory of the run, the tests' and those of the processes they
 * start, is made under one directory of the run (TMPDIR, which os.tmpdir() reads),
 * so global-teardown.ts removes them all, whichever test made them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PolicyPackServer } from "pulumi-offline-plan";

export default async function globalSetup(config: { maxWorkers: number }): Promise<void> {
    process.env.MULTICLOUD_TEST_TMPDIR = fs.mkdtempSync(path.join(os.tmpdir(), "multicloud-test-"));
    process.env.TMPDIR = process.env.MULTICLOUD_TEST_TMPDIR;
    // By its real directory, as test/helpers/policy.ts names it; the compiled copy itself is shared by content.
    const packDir = fs.realpathSync(path.resolve(__dirname, "../policies"));
    const servers = await Promise.all(Array.from({ length: Math.max(1, config.maxWorkers) }, () => PolicyPackServer.start(packDir)));
    (globalThis as { policyPackServers?: PolicyPackServer[] }).policyPackServers = servers;
    process.env.POLICY_PACK_PORTS = servers.map((s) => s.port).join(",");
    process.env.STACK_PLANS_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "stack-plans-"));
}
