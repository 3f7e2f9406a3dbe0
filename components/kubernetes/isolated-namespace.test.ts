import { kubernetesName } from "./isolated-namespace";

test("Kubernetes names are DNS-1123 labels", () => {
    expect(kubernetesName("Analytics_GCP-cdc")).toBe("analytics-gcp-cdc");
    expect(kubernetesName("x".repeat(70) + "-")).toHaveLength(63);
});
