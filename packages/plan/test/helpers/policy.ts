/** A session over a fixture pack for a test file: started in beforeAll, stopped in afterAll. */
import { PolicySession } from "../../src/policy-session";
import { fixture } from "./cli";

/** What the pack must inherit (an environment) is set in a beforeAll declared before this call. */
export function useFixturePack(name: string): () => PolicySession {
    let session: PolicySession | undefined;
    beforeAll(async () => {
        session = await PolicySession.start([fixture(name)]);
    }, 60_000);
    afterAll(() => session?.stop());
    return () => session!;
}
