import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const deployment = (strategy?: Record<string, unknown>) => [
    { type: "kubernetes:apps/v1:Deployment", inputs: { metadata: { name: "api" }, spec: { ...(strategy ? { strategy } : {}), template: { spec: { containers: [] } } } } },
];

test("k8s-no-recreate-strategy", async () => {
    expect(await pack.policiesHit(deployment({ type: "Recreate" }))).toContain("k8s-no-recreate-strategy");
    expect(await pack.policiesHit(deployment())).not.toContain("k8s-no-recreate-strategy");
});

test("k8s-rolling-update-keeps-capacity: the default 25% maxUnavailable loses capacity; 0 (or \"0%\") keeps it", async () => {
    const p = "k8s-rolling-update-keeps-capacity";
    expect(await pack.policiesHit(deployment())).toContain(p);
    expect(await pack.policiesHit(deployment({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } }))).toContain(p);
    expect(await pack.policiesHit(deployment({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: "0%", maxSurge: 1 } }))).not.toContain(p);
    expect(await pack.policiesHit(deployment({ rollingUpdate: { maxUnavailable: 0 } }))).not.toContain(p);
    const daemonSet = [{ type: "kubernetes:apps/v1:DaemonSet", inputs: { spec: { template: { spec: { containers: [] } } } } }];
    expect(await pack.policiesHit(daemonSet)).toContain(p);
});

test("dev holds it as prod does: config/dev.json leaves it mandatory", async () => {
    const dev = require("../config/dev.json");
    const v = await pack.judge(deployment(), { policyConfig: dev });
    expect(v.find((x) => x.policy === "k8s-rolling-update-keeps-capacity")?.enforcementLevel).toBe("mandatory");
});
