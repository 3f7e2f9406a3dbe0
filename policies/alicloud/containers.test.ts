import { usePolicyPack, type ResourceSpec } from "../../test/helpers/policy";

const shared = usePolicyPack();
/** The shared pack, with the SDK's "can't run during preview" notices left out of the policies hit. */
const pack = {
    async policiesHit(resources: ResourceSpec[]): Promise<string[]> {
        const violations = await shared.judge(JSON.parse(JSON.stringify(resources)));
        return [...new Set(violations.filter((v) => !v.message.includes("can't run policy")).map((v) => v.policy))].sort();
    },
};

const policy = "alicloud-ack-api-not-public";

describe(policy, () => {
    test("a private API server passes", async () => {
        expect(await pack.policiesHit([{ type: "alicloud:cs/managedKubernetes:ManagedKubernetes", inputs: { slbInternetEnabled: false } }])).not.toContain(policy);
        expect(await pack.policiesHit([{ type: "alicloud:cs/serverlessKubernetes:ServerlessKubernetes", inputs: {} }])).not.toContain(policy);
    });
    test("a public endpoint, set or left out (true by default), is blocked", async () => {
        expect(await pack.policiesHit([{ type: "alicloud:cs/managedKubernetes:ManagedKubernetes", inputs: {} }])).toContain(policy);
        expect(await pack.policiesHit([{ type: "alicloud:cs/kubernetes:Kubernetes", inputs: { slbInternetEnabled: true } }])).toContain(policy);
        expect(await pack.policiesHit([{ type: "alicloud:cs/serverlessKubernetes:ServerlessKubernetes", inputs: { endpointPublicAccessEnabled: true } }])).toContain(policy);
    });
});
