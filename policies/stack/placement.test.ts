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
    expect(
        await pack.policiesHit([{ ...cm, provider: { type: "pulumi:providers:kubernetes", inputs: { kubeconfig: "server: https://10.0.0.1:6443" } } }]),
    ).not.toContain(p);
});

test("Kubernetes objects on a managed cluster count as that cloud; an unknown kubeconfig is not judged", async () => {
    const cm = (kubeconfig: unknown) => [
        {
            type: "kubernetes:core/v1:ConfigMap",
            inputs: { metadata: { labels: labels("partner") } },
            provider: { type: "pulumi:providers:kubernetes", inputs: { kubeconfig } },
        },
    ];
    expect(await pack.policiesHit(cm("users: [{ user: { exec: { command: gke-gcloud-auth-plugin } } }]"))).toContain(p);
    expect(await pack.policiesHit(cm(unknown))).not.toContain(p);
});

test("allowed clouds come from configuration", async () => {
    const vpc = [{ type: "aws:ec2/vpc:Vpc", inputs: { tags: labels("analytics") } }];
    const v = await pack.judge(vpc);
    expect(v.find((x) => x.policy === p)!.message).toContain(
        '\nWorkload "analytics" must not run on aws (allowed: gcp, alicloud): its change-data-capture converters run on Kubernetes (GKE, ACK); the AWS kit runs container services on ECS and has no Kubernetes path.',
    );
    expect(await pack.policiesHit(vpc, { policyConfig: { [p]: { placement: { analytics: ["gcp", "aws"] } } } })).not.toContain(p);
});

test.each([
    ["transactional", "gcp:compute/disk:Disk"],
    ["transactional", "alicloud:vpc/network:Network"],
    ["backend", "gcp:compute/disk:Disk"],
    ["analytics", "alicloud:vpc/network:Network"],
])("by default %s may run on the cloud of %s", async (workload, type) => {
    const tags = type.startsWith("gcp:") ? { labels: labels(workload) } : { tags: labels(workload) };
    expect(await pack.policiesHit([{ type, inputs: tags }])).not.toContain(p);
});
