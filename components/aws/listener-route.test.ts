import { useMockRuntime } from "../../test/helpers/pulumi";
import { ListenerRoute, type ListenerRouteArgs } from "./listener-route";

const run = useMockRuntime();

const args = (changes: Partial<ListenerRouteArgs> = {}): ListenerRouteArgs => ({
    vpcId: "vpc-1",
    listenerArn: "arn:listener",
    paths: ["/api/*"],
    priority: 110,
    port: 8080,
    healthCheckPath: "/healthz",
    ...changes,
});

test("sends the paths to a health-checked target group", async () => {
    new ListenerRoute("rt", args());
    const rule = await run.one("aws:lb/listenerRule:ListenerRule", "rt");
    expect(rule.plain.conditions).toEqual([{ pathPattern: { values: ["/api/*"] } }]);
    expect(rule.plain.priority).toBe(110);
    const tg = await run.one("aws:lb/targetGroup:TargetGroup", "rt");
    expect(tg.plain.healthCheck).toMatchObject({ enabled: true, path: "/healthz" });
});

test("rejects paths that are missing, too many or not absolute", () => {
    expect(() => new ListenerRoute("rtbad1", args({ paths: ["api"] }))).toThrow(
        'ListenerRoute: `paths` must hold 1 to 5 patterns starting with "/"; got ["api"].',
    );
});

test("rejects a priority outside 1..50000", () => {
    expect(() => new ListenerRoute("rtbad2", args({ priority: 0 }))).toThrow("ListenerRoute: `priority` must be a whole number from 1 to 50000; got 0.");
});
