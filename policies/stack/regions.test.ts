import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const p = "allowed-regions";

test("the explicit provider's region", async () => {
    const vpc = (region: string) => [{ type: "aws:ec2/vpc:Vpc", inputs: {}, provider: { type: "pulumi:providers:aws", inputs: { region } } }];
    expect(await pack.policiesHit(vpc("eu-west-1"))).not.toContain(p);
    expect(await pack.policiesHit(vpc("us-east-1"))).toContain(p);
});

test("a resource's own region, location or zone; a GCP zone belongs to its region", async () => {
    expect(await pack.policiesHit([{ type: "gcp:container/cluster:Cluster", inputs: { location: "europe-west1-b" } }])).not.toContain(p);
    expect(await pack.policiesHit([{ type: "gcp:container/cluster:Cluster", inputs: { location: "us-central1" } }])).toContain(p);
    expect(await pack.policiesHit([{ type: "gcp:compute/instance:Instance", inputs: { zone: "asia-east1-a" } }])).toContain(p);
    expect(
        await pack.policiesHit([
            { type: "alicloud:vpc/network:Network", inputs: {}, provider: { type: "pulumi:providers:alicloud", inputs: { region: "cn-hangzhou" } } },
        ]),
    ).toContain(p);
});

test("the allowed list is configurable", async () => {
    const config = { [p]: { regions: { aws: ["us-east-1"], gcp: [], alicloud: [] } } };
    const vpc = [{ type: "aws:ec2/vpc:Vpc", inputs: {}, provider: { type: "pulumi:providers:aws", inputs: { region: "us-east-1" } } }];
    expect(await pack.policiesHit(vpc, { policyConfig: config })).not.toContain(p);
});
