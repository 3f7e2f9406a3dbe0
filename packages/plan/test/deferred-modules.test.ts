/**
 * The runner and the packs start without the modules the SDK loads eagerly but the
 * plan never uses (src/runtime/deferred-modules.cjs).
 */
import { planStack } from "../src/plan";
import { fixture } from "./helpers/cli";
import { useFixturePack } from "./helpers/policy";

const session = useFixturePack("deferred-modules-pack");

test("neither the program's runner nor the pack loads a deferred module", async () => {
    const { plan } = await planStack({ cwd: fixture("deferred-modules"), stack: "dev" }, session());
    expect(plan.resources.map((r) => r.type)).toContain("aws:s3/bucket:Bucket");
    expect(plan.outputs).toEqual({ loaded: [] });
    expect(plan.violations.map((v) => [v.policy, v.message])).toEqual([["modules-loaded", expect.stringContaining("loaded: []")]]);
}, 60_000);
