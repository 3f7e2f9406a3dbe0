/**
 * Whether a workload serves, asked from inside the cluster: an HTTP GET of its
 * health URL. Healthy is a 2xx answer; a redirect, any other status, a refused or
 * reset connection and no answer within the timeout are not. A few attempts,
 * spaced out, so one dropped connection does not pin a stack.
 */
import type { Health } from "./decide";

export interface ProbeOptions {
    timeoutMs: number;
    attempts: number;
    pauseMs: number;
}

export const defaultProbeOptions: ProbeOptions = { timeoutMs: 5000, attempts: 3, pauseMs: 2000 };

async function once(url: string, timeoutMs: number): Promise<Health> {
    try {
        const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
        await response.body?.cancel();
        const ok = response.status >= 200 && response.status < 300;
        return { ok, detail: `HTTP ${response.status} from ${url}` };
    } catch (err) {
        const error = err as Error & { cause?: { code?: string; message?: string } };
        if (error.name === "TimeoutError" || error.name === "AbortError") return { ok: false, detail: `no answer from ${url} within ${timeoutMs} ms` };
        return { ok: false, detail: `${url} unreachable: ${error.cause?.code ?? error.cause?.message ?? error.message}` };
    }
}

export async function probe(url: string, options: ProbeOptions = defaultProbeOptions): Promise<Health> {
    let last: Health = { ok: false, detail: `${url} was not probed` };
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
        last = await once(url, options.timeoutMs);
        if (last.ok) return last;
        if (attempt < options.attempts) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
    return options.attempts > 1 ? { ok: false, detail: `${last.detail} (${options.attempts} attempts)` } : last;
}
