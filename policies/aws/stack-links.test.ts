/**
 * Stack policies that follow a resource to the one it depends on (a rule to its
 * security group or listener). The helper sends dependencies as the engine does.
 */
import { usePolicyPack, type ResourceSpec } from "../../test/helpers/policy";

const pack = usePolicyPack();

type Linked = ResourceSpec & { name: string };

const policiesHit = (resources: Linked[]) => pack.policiesHit(resources);

const webGroup: Linked = {
    name: "lb-sg",
    type: "aws:ec2/securityGroup:SecurityGroup",
    inputs: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] },
};
const webOnLb = "aws-security-group-internet-web-only-on-load-balancers";

describe("aws-security-group-internet-web-only-on-load-balancers", () => {
    test("443 from the internet on a load balancer's group passes", async () => {
        const alb: Linked = { name: "alb", type: "aws:lb/loadBalancer:LoadBalancer", inputs: { securityGroups: ["sg"] }, dependsOn: ["lb-sg"] };
        expect(await policiesHit([webGroup, alb])).not.toContain(webOnLb);
    });
    test("443 from the internet on a group no load balancer uses is blocked, inline or as a separate rule", async () => {
        expect(await policiesHit([webGroup])).toContain(webOnLb);
        const group: Linked = { name: "app-sg", type: "aws:ec2/securityGroup:SecurityGroup", inputs: {} };
        const rule: Linked = {
            name: "r",
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            inputs: { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" },
            dependsOn: ["app-sg"],
        };
        expect(await policiesHit([group, rule])).toContain(webOnLb);
    });
});

const rulesPolicy = "aws-lb-http-listener-rules-redirect-to-https";

describe("aws-lb-http-listener-rules-redirect-to-https", () => {
    const http: Linked = {
        name: "http",
        type: "aws:lb/listener:Listener",
        inputs: { protocol: "HTTP", port: 80, defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }] },
    };
    const https: Linked = {
        name: "https",
        type: "aws:lb/listener:Listener",
        inputs: { protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", defaultActions: [{ type: "forward" }] },
    };
    const rule = (listener: string, action: Record<string, unknown>): Linked => ({
        name: `rule-${listener}`,
        type: "aws:lb/listenerRule:ListenerRule",
        inputs: { actions: [action], conditions: [] },
        dependsOn: [listener],
    });
    test("forwarding rules on an HTTPS listener and redirecting rules on an HTTP listener pass", async () => {
        expect(await policiesHit([https, rule("https", { type: "forward" })])).not.toContain(rulesPolicy);
        expect(await policiesHit([http, rule("http", { type: "redirect", redirect: { protocol: "HTTPS" } })])).not.toContain(rulesPolicy);
    });
    test("a forwarding rule on an HTTP listener is blocked", async () => {
        expect(await policiesHit([http, rule("http", { type: "forward" })])).toContain(rulesPolicy);
    });
});
