import type * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { catchAllPriority, firstRoutePriority, LoadBalancer } from "./load-balancer";
import { pickNodePort, ServiceRoute, type ServiceRouteArgs } from "./service-route";

const run = useMockRuntime();
const resolved = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

const loadBalancer = (name: string) =>
    new LoadBalancer(name, {
        environment: "dev",
        certificateId: "12345678-eu-central-1",
        targetPort: 8080,
        healthCheckPath: "/healthz",
        vpcId: "vpc-offline",
        zoneMappings: [
            { vswitchId: "vsw-a", zoneId: "eu-central-1a" },
            { vswitchId: "vsw-b", zoneId: "eu-central-1b" },
        ],
    });
const route = (lb: LoadBalancer, changes: Partial<ServiceRouteArgs> = {}): ServiceRouteArgs => ({
    loadBalancer: lb,
    nodePort: 31080,
    scalingGroupId: "asg-nodes",
    nodeSecurityGroupId: "sg-nodes",
    loadBalancerCidrs: ["10.40.0.0/20", "10.40.16.0/20"],
    ...changes,
});

describe("ServiceRoute", () => {
    test("a server group of type Instance over the node pool's scaling group on the node port, health-checked on the load balancer's path", async () => {
        const lb = loadBalancer("rt-group-lb");
        const routed = new ServiceRoute("rt-group", route(lb, { paths: ["/api/*"] }));
        const group = await run.one("alicloud:alb/serverGroup:ServerGroup", "rt-group-targets");
        expect(group.plain).toMatchObject({ serverGroupType: "Instance", protocol: "HTTP", vpcId: "vpc-offline" });
        expect(group.plain.healthCheckConfig).toMatchObject({ healthCheckEnabled: true, healthCheckPath: "/healthz", healthCheckProtocol: "HTTP" });
        const attachment = await run.one("alicloud:ess/albServerGroupAttachment:AlbServerGroupAttachment", "rt-group");
        expect(attachment.plain).toMatchObject({ scalingGroupId: "asg-nodes", port: 31080, weight: 100, forceAttach: true });
        expect(attachment.plain.albServerGroupId).toBe(await resolved(routed.serverGroup.id));
    });

    test("path rules forward their paths to their own group with distinct priorities; the catch-all takes every path last", async () => {
        const lb = loadBalancer("rt-rules-lb");
        const apiRoute = new ServiceRoute("rt-api", route(lb, { paths: ["/api/*", "/v2/*"] }));
        new ServiceRoute("rt-admin", route(lb, { paths: ["/admin/*"], nodePort: 31081 }));
        const webRoute = new ServiceRoute("rt-web", route(lb, { nodePort: 31082 }));
        const rule = async (name: string) => (await run.one("alicloud:alb/rule:Rule", name)).plain;
        const [api, admin, web] = [await rule("rt-api"), await rule("rt-admin"), await rule("rt-web")];
        expect(api.ruleConditions).toEqual([{ type: "Path", pathConfig: { values: ["/api/*", "/v2/*"] } }]);
        const forwardTo = (serverGroupId: string) => [{ order: 1, type: "ForwardGroup", forwardGroupConfig: { serverGroupTuples: [{ serverGroupId }] } }];
        expect(api.ruleActions).toEqual(forwardTo(await resolved(apiRoute.serverGroup.id)));
        expect(web.ruleActions).toEqual(forwardTo(await resolved(webRoute.serverGroup.id)));
        expect(admin.ruleConditions[0].pathConfig.values).toEqual(["/admin/*"]);
        expect([api.priority, admin.priority]).toEqual([firstRoutePriority, firstRoutePriority + 1]);
        expect(web.ruleConditions).toEqual([{ type: "Path", pathConfig: { values: ["/*"] } }]);
        expect(web.priority).toBe(catchAllPriority);
        expect(web.priority).toBeGreaterThan(Math.max(api.priority, admin.priority));
        // Every rule sits on the HTTPS listener; the listener's own default still forwards to the load balancer's group.
        const https = (await run.ofType("alicloud:alb/listener:Listener", "rt-rules-lb")).find((l) => l.plain.listenerProtocol === "HTTPS")!;
        expect(https.plain.defaultActions).toEqual([
            { type: "ForwardGroup", forwardGroupConfig: { serverGroupTuples: [{ serverGroupId: await resolved(lb.serverGroup.id) }] } },
        ]);
        expect(await resolved(lb.serverGroup.id)).not.toBe(await resolved(webRoute.serverGroup.id));
    });

    test("admits the node port on the nodes' security group from each of the load balancer's ranges, and nothing else", async () => {
        new ServiceRoute("rt-sg", route(loadBalancer("rt-sg-lb"), { paths: ["/x/*"] }));
        const rules = (await run.ofType("alicloud:ecs/securityGroupRule:SecurityGroupRule", "rt-sg")).map((r) => r.plain);
        expect(rules.map((r) => [r.securityGroupId, r.type, r.ipProtocol, r.portRange, r.cidrIp, r.policy])).toEqual([
            ["sg-nodes", "ingress", "tcp", "31080/31080", "10.40.0.0/20", "accept"],
            ["sg-nodes", "ingress", "tcp", "31080/31080", "10.40.16.0/20", "accept"],
        ]);
    });

    test("refuses a second catch-all, a node port outside the range, bad paths and open ranges, each naming what is valid", () => {
        const lb = loadBalancer("rt-bad-lb");
        new ServiceRoute("rt-first", route(lb));
        expect(() => new ServiceRoute("rt-second", route(lb, { nodePort: 31090 }))).toThrow(
            'LoadBalancer: rt-second and rt-first both ask for all other traffic of rt-bad-lb; give one of them `paths` (e.g. ["/rt-second/*"]).',
        );
        expect(() => new ServiceRoute("rt-port", route(lb, { paths: ["/p/*"], nodePort: 8080 }))).toThrow(
            "ServiceRoute: `nodePort` must be a port from 30000 to 32767 (the cluster's NodePort range), got 8080.",
        );
        expect(() => new ServiceRoute("rt-path", route(lb, { paths: ["api/*"] }))).toThrow(
            'ServiceRoute: `paths` must hold at most 10 patterns, each starting with "/", got ["api/*"].',
        );
        expect(() => new ServiceRoute("rt-open", route(lb, { paths: ["/o/*"], loadBalancerCidrs: ["0.0.0.0/0"] }))).toThrow(
            'ServiceRoute: `loadBalancerCidrs` must list the ALB\'s private vSwitch ranges (e.g. 10.40.0.0/20), got ["0.0.0.0/0"].',
        );
    });
});

describe("pickNodePort", () => {
    test("a port in the NodePort range from the name alone, whatever else is taken elsewhere", () => {
        const port = pickNodePort("checkout", new Map());
        expect(port).toBeGreaterThanOrEqual(30000);
        expect(port).toBeLessThanOrEqual(32767);
        expect(pickNodePort("checkout", new Map([[30000 + ((port - 30000 + 7) % 2768), "other"]]))).toBe(port);
        expect(pickNodePort("storefront", new Map())).not.toBe(port);
    });

    test("a port another service holds moves the newcomer to the next free one, wrapping at the top", () => {
        const port = pickNodePort("checkout", new Map());
        expect(pickNodePort("checkout", new Map([[port, "checkout"]]))).toBe(port);
        const next = port === 32767 ? 30000 : port + 1;
        expect(pickNodePort("checkout", new Map([[port, "other"]]))).toBe(next);
        const full = new Map(Array.from({ length: 2768 }, (_, i) => [30000 + i, `s${i}`] as [number, string]));
        expect(() => pickNodePort("checkout", full)).toThrow("ServiceRoute: every node port from 30000 to 32767 is taken; checkout gets none.");
    });
});
