import { unknown, usePolicyPack, type ResourceSpec } from "../../test/helpers/policy";
import { publicEndpoint } from "./private-calls";

const pack = usePolicyPack();
const policy = "no-public-endpoint-calls";
const reported = (message: string) => message.slice(message.indexOf("\n") + 1);

const reference: ResourceSpec = { type: "pulumi:pulumi:StackReference", name: "backend", inputs: { name: "backend-prod" } };
const gateway = (value: unknown, dependsOn = ["backend"]): ResourceSpec => ({
    type: "kubernetes:apps/v1:Deployment",
    name: "gateway",
    inputs: {
        metadata: { namespace: "partner-prod" },
        spec: { template: { spec: { containers: [{ name: "gateway", image: "g", env: [{ name: "BACKEND_ENDPOINT", value }] }] } } },
    },
    dependsOn,
});
const messages = async (resources: ResourceSpec[]) => (await pack.judge(resources)).filter((v) => v.policy === policy).map((v) => reported(v.message));

describe("no-public-endpoint-calls", () => {
    test("a private listener's address passes: a private IPv4 address, an internal load balancer's name", async () => {
        expect(await messages([reference, gateway("https://10.31.0.9")])).toEqual([]);
        expect(await messages([reference, gateway("https://internal-backend-private-nlb-1a2b3c.eu-west-1.elb.amazonaws.com")])).toEqual([]);
        expect(await messages([reference, gateway("http://10.35.0.12:8080")])).toEqual([]);
    });

    test("the backend's public load balancer, from another stack, is a call across the internet", async () => {
        expect(await messages([reference, gateway("alb-8f2k1.eu-central-1.alb.aliyuncsslbintl.com")])).toEqual([
            'Container "gateway": BACKEND_ENDPOINT = alb-8f2k1.eu-central-1.alb.aliyuncsslbintl.com: alb-8f2k1.eu-central-1.alb.aliyuncsslbintl.com is a public load balancer\'s name, so the call to another of our stacks crosses the internet.',
        ]);
        expect(await messages([reference, gateway("https://34.120.7.9")])).toEqual([
            'Container "gateway": BACKEND_ENDPOINT = https://34.120.7.9: 34.120.7.9 is a public address, so the call to another of our stacks crosses the internet.',
        ]);
    });

    test("judged only where the workload reads another stack, and only once the address is known", async () => {
        expect(await messages([reference, gateway("https://34.120.7.9", [])])).toEqual([]);
        expect(await messages([reference, gateway(unknown)])).toEqual([]);
    });
});

test("publicEndpoint reads URLs, hosts with ports and bare names; words and versions are no places", () => {
    expect(publicEndpoint("backend-prod-lb-123.eu-west-1.elb.amazonaws.com")).toBe(
        "backend-prod-lb-123.eu-west-1.elb.amazonaws.com is a public load balancer's name",
    );
    expect(publicEndpoint("203.0.113.7:443")).toBe("203.0.113.7 is a public address");
    expect(publicEndpoint("100.64.3.1")).toBeUndefined();
    expect(publicEndpoint("gateway.apps.onprem.internal")).toBeUndefined();
    expect(publicEndpoint("production")).toBeUndefined();
});
