/**
 * Health checks: an HTTP(S) GET of each URL. 2xx and 3xx are healthy (a
 * redirect is an answer, not followed: a login page behind it says nothing of
 * the service); anything else, a refused connection or no answer in time, is
 * retried a few times before the check is called unhealthy.
 */
import type { CheckResult, Clock, HealthCheck } from "./index";
import { messageOf } from "./errors";

const attempts = 3;
/** No single request waits longer than this, so a hanging endpoint leaves time for the retries. */
const requestTimeoutMs = 10_000;
/** Even when the rollouts used up the time, each URL gets one request of at least this long. */
const minimumRequestMs = 1000;

export async function probe(check: HealthCheck, clock: Clock): Promise<CheckResult> {
    const target = `health ${check.name}`;
    let last = "";
    for (let attempt = 1; ; attempt++) {
        const timeoutMs = Math.min(requestTimeoutMs, Math.max(minimumRequestMs, clock.deadline - clock.now()));
        const answer = await get(check.url, timeoutMs);
        if (answer.healthy) return { target, ok: true, state: "healthy", detail: `${check.url}: ${answer.detail}` };
        last = answer.detail;
        if (attempt >= attempts || clock.now() + clock.pollMs > clock.deadline) {
            return { target, ok: false, state: "unhealthy", detail: `${check.url}: ${last} (${attempt} attempt${attempt > 1 ? "s" : ""})` };
        }
        await clock.sleep(clock.pollMs);
    }
}

async function get(url: string, timeoutMs: number): Promise<{ healthy: boolean; detail: string }> {
    try {
        const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
        // The body is not read; cancelling it frees the connection at once.
        await response.body?.cancel();
        return { healthy: response.status >= 200 && response.status < 400, detail: `HTTP ${response.status}` };
    } catch (error) {
        // Known by name: fetch rejects with a DOMException, which is not an Error of every realm.
        if ((error as { name?: unknown }).name === "TimeoutError") return { healthy: false, detail: `no answer within ${timeoutMs / 1000}s` };
        return { healthy: false, detail: messageOf(error) };
    }
}
