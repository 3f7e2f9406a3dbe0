import { useMockRuntime } from "../../test/helpers/pulumi";
import { ContainerCluster } from "./container-cluster";

const run = useMockRuntime();
const args = { environment: "dev" as const, namespace: "team-dev", minNodes: 1, maxNodes: 4, podLimit: { cpuMillicores: 2000, memoryMiB: 4096 } };

test("the service account has no automounted token", async () => {
    new ContainerCluster("sa", args);
    const sa = await run.one("kubernetes:core/v1:ServiceAccount", "sa");
    expect(sa.plain.automountServiceAccountToken).toBe(false);
    expect(sa.plain.metadata.namespace).toBe("team-dev");
});

test("the compute quota holds maxNodes full-size pods", async () => {
    new ContainerCluster("quota", args);
    const quota = await run.one("kubernetes:core/v1:ResourceQuota", "quota");
    expect(quota.plain.spec.hard).toEqual({ "requests.cpu": "8000m", "limits.cpu": "8000m", "requests.memory": "16384Mi", "limits.memory": "16384Mi" });
});

test("rejects minNodes above maxNodes", () => {
    expect(() => new ContainerCluster("bad", { ...args, minNodes: 5 })).toThrow("ContainerCluster: `minNodes` (5) must not be above `maxNodes` (4).");
});

test("rejects a size below 1", () => {
    expect(() => new ContainerCluster("zero", { ...args, minNodes: 0 })).toThrow("ContainerCluster: `minNodes` must be a whole number >= 1, got 0.");
});
