/**
 * The one place that sets enforcement levels. Every policy is mandatory unless
 * listed here; a stack relaxes further through the pack's configuration
 * (config/dev.json), never by editing a policy.
 */
import type { EnforcementLevel, Policy } from "@pulumi/policy";

export const enforcementLevels: Record<string, EnforcementLevel> = {
    // A nudge: TLS 1.2 listeners stay compliant (aws-lb-listener-tls-1-2 is the floor).
    "aws-lb-listener-tls-1-3-preferred": "advisory",
};

export function withEnforcementLevels<P extends Policy>(policies: P[]): P[] {
    const names = new Set<string>();
    for (const p of policies) {
        if (names.has(p.name)) throw new Error(`Two policies are named "${p.name}"; policy names must be unique.`);
        names.add(p.name);
    }
    return policies.map((p) => ({ ...p, enforcementLevel: enforcementLevels[p.name] ?? p.enforcementLevel ?? "mandatory" }));
}
