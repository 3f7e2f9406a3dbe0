import { unknown, usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const p = "workload-placement";
const labels = (workload: string) => ({ workload, environment: "prod", "cost-center": "cc", "managed-by": "pulumi" });

test("the partner workload on a public cloud is blocked, and the message says why", async () => {
    const v = await pack.judge([{ type: "aws:ec2/vpc:Vpc", inputs: { tags: labels("partner") } }]);
    const hit = v.find((x) => x.policy === p)!;
    expect(hit.message).toMatch(/partner connections to banks must stay on the private cloud/);
});

test("the partner workload on the private cloud's Kubernetes passes", async () => {
    const cm = { type: "kubernetes:core/v1:ConfigMap", inputs: { metadata: { labels: labels("partner") } } };
    expect(await pack.policiesHit([cm])).not.toContain(p);
    expect(await pack.policiesHit([{ ...cm, provider: { type: "pulumi:providers:kubernetes", inputs: { kubeconfig: "server: https://10.0.0.1:6443" } } }])).not.toContain(p);
});

test("Kubernetes objects on a managed cluster count as that cloud; an unknown kubeconfig is not judged", async () => {
    const cm = (kubeconfig: unknown) => [
        { type: "kubernetes:core/v1:ConfigMap", inputs: { metadata: { labels: labels("partner") } }, provider: { type: "pulumi:providers:kubernetes", inputs: { kubeconfig } } },
    ];
    expect(await pack.policiesHit(cm("users: [{ user: { exec: { command: gke-gcloud-auth-plugin } } }]"))).toContain(p);
    expect(await pack.policiesHit(cm(unknown))).not.toContain(p);
});

test("active-active clouds come from configuration", async () => {
    const vpc = [{ type: "gcp:compute/disk:Disk", inputs: { labels: labels("backend") } }];
    expect(await pack.policiesHit(vpc)).toContain(p);
    expect(await pack.policiesHit(vpc, { policyConfig: { [p]: { placement: { backend: ["alicloud", "gcp"] } } } })).not.toContain(p);
});
