import * as fs from "node:fs";
import type { PolicyPackServer } from "pulumi-offline-plan";

export default async function globalTeardown(): Promise<void> {
    const servers = (globalThis as { policyPackServers?: PolicyPackServer[] }).policyPackServers ?? [];
    await Promise.all(servers.map((s) => s.stop()));
    if (process.env.STACK_PLANS_DIR) fs.rmSync(process.env.STACK_PLANS_DIR, { recursive: true, force: true });
    if (process.env.MULTICLOUD_TEST_TMPDIR) fs.rmSync(process.env.MULTICLOUD_TEST_TMPDIR, { recursive: true, force: true });
}
