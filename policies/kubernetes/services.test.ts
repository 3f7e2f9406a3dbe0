import { usePolicyPack } from "../../test/helpers/policy";

const pack = usePolicyPack();
const service = (spec: Record<string, unknown>) => [{ type: "kubernetes:core/v1:Service", inputs: { metadata: { name: "api" }, spec } }];
const p = "k8s-no-node-port-services";

test("a ClusterIP service passes, and so does a LoadBalancer without node ports", async () => {
    expect(await pack.policiesHit(service({ ports: [{ port: 80 }] }))).not.toContain(p);
    expect(await pack.policiesHit(service({ type: "LoadBalancer", allocateLoadBalancerNodePorts: false, ports: [{ port: 443 }] }))).not.toContain(p);
});

test("NodePort, an explicit nodePort and a LoadBalancer's default node ports are blocked", async () => {
    expect(await pack.policiesHit(service({ type: "NodePort", ports: [{ port: 80 }] }))).toContain(p);
    expect(await pack.policiesHit(service({ type: "LoadBalancer", ports: [{ port: 443 }] }))).toContain(p);
    expect(await pack.policiesHit(service({ ports: [{ port: 80, nodePort: 30080 }] }))).toContain(p);
});
