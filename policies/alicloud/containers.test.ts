import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack({ ignorePreviewNotices: true });

const policy = "alicloud-ack-api-not-public";

describe("alicloud-ack-api-not-public", () => {
    test("a private API server passes", async () => {
        expect(await pack.policiesHit([{ type: "alicloud:cs/managedKubernetes:ManagedKubernetes", inputs: { slbInternetEnabled: false } }])).not.toContain(
            policy,
        );
        expect(await pack.policiesHit([{ type: "alicloud:cs/serverlessKubernetes:ServerlessKubernetes", inputs: {} }])).not.toContain(policy);
    });
    test("a public endpoint, set or left out (true by default), is blocked", async () => {
        expect(await pack.policiesHit([{ type: "alicloud:cs/managedKubernetes:ManagedKubernetes", inputs: {} }])).toContain(policy);
        expect(await pack.policiesHit([{ type: "alicloud:cs/kubernetes:Kubernetes", inputs: { slbInternetEnabled: true } }])).toContain(policy);
        expect(
            await pack.policiesHit([{ type: "alicloud:cs/serverlessKubernetes:ServerlessKubernetes", inputs: { endpointPublicAccessEnabled: true } }]),
        ).toContain(policy);
    });
});
