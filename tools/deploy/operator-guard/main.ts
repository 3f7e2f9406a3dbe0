/**
 * The operator guard: one pass over the Operator's `Stack` objects of a namespace.
 * For each it probes the workload when the verdict depends on it, decides
 * (decide.ts), writes one line to its log, applies the patch and records the
 * Event. Run in the cluster by the gitops stack's CronJob:
 *
 *   GUARD_NAMESPACE=pulumi-operator GUARD_ANNOTATION_DOMAIN=multicloud.example.com \
 *     node --import tsx tools/deploy/operator-guard/main.ts
 *
 * Optional: GUARD_PROBE_TIMEOUT_MS (5000), GUARD_PROBE_ATTEMPTS (3),
 * GUARD_PROBE_PAUSE_MS (2000). Exits 1 when it could not finish an object (the
 * API refused a call), so the Job shows the failure; a failing stack is not one.
 */
import { annotationKeys } from "./annotations";
import { decide, isDriftCheck, probeTarget } from "./decide";
import { connect, isStale } from "./kube";
import { defaultProbeOptions, probe, type ProbeOptions } from "./probe";

function required(env: NodeJS.ProcessEnv, name: string): string {
    const value = env[name];
    if (!value)
        throw new Error(
            `${name} is not set: the guard needs the namespace of the Stack objects (GUARD_NAMESPACE) and the annotation domain (GUARD_ANNOTATION_DOMAIN).`,
        );
    return value;
}

function probeOptions(env: NodeJS.ProcessEnv): ProbeOptions {
    const number = (name: string, fallback: number) => {
        const value = env[name] === undefined ? fallback : Number(env[name]);
        if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of milliseconds or attempts, got ${env[name]}.`);
        return value;
    };
    return {
        timeoutMs: number("GUARD_PROBE_TIMEOUT_MS", defaultProbeOptions.timeoutMs),
        attempts: Math.max(1, number("GUARD_PROBE_ATTEMPTS", defaultProbeOptions.attempts)),
        pauseMs: number("GUARD_PROBE_PAUSE_MS", defaultProbeOptions.pauseMs),
    };
}

export async function runGuard(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<number> {
    const namespace = required(env, "GUARD_NAMESPACE");
    const keys = annotationKeys(required(env, "GUARD_ANNOTATION_DOMAIN"));
    const options = probeOptions(env);
    const api = await connect(namespace);
    const objects = (await api.list()).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const byName = new Map(objects.map((o) => [o.metadata.name, o]));
    let unfinished = 0;
    for (const stack of objects) {
        const name = stack.metadata.name;
        try {
            const url = probeTarget(stack, keys);
            const health = url ? await probe(url, options) : undefined;
            const applying = isDriftCheck(stack) ? byName.get(stack.metadata.annotations?.[keys.driftOf] ?? "") : undefined;
            const decision = decide(stack, { keys, now: new Date(), health, applying });
            log(decision.log);
            if (decision.patch) await api.patch(name, decision.patch);
            if (decision.event) await api.record(byName.get(decision.event.regarding ?? name) ?? stack, decision.event);
        } catch (err) {
            if (isStale(err)) {
                log(`${name}: changed while the guard read it; the next run decides again`);
                continue;
            }
            unfinished++;
            log(`${name}: the guard could not finish: ${err instanceof Error ? err.message : String(err)}`);
        }
    }
    log(`checked ${objects.length} Stack object(s) in ${namespace}${unfinished ? `; ${unfinished} unfinished` : ""}`);
    return unfinished > 0 ? 1 : 0;
}

if (require.main === module) {
    runGuard().then(
        (code) => process.exit(code),
        (err) => {
            console.error(`operator guard: ${err instanceof Error ? err.message : String(err)}`);
            process.exit(2);
        },
    );
}
