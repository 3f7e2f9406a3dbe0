import type { PolicyPackServer } from "pulumi-offline-plan";

export default async function globalTeardown(): Promise<void> {
    const servers = (globalThis as { policyPackServers?: PolicyPackServer[] }).policyPackServers ?? [];
    await Promise.all(servers.map((s) => s.stop()));
}
