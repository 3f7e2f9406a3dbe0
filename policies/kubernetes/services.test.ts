import { unknown, usePolicyPack } from "../../test/helpers/policy";

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

describe("on a public cloud's managed cluster, a node port for a cloud load balancer", () => {
    const onAck = { type: "pulumi:providers:kubernetes", inputs: { kubeconfig: "server: https://c1.cs.eu-central-1.aliyuncs.com:6443" } };
    const nodePortService = (ports: Record<string, unknown>[]) => ({
        type: "kubernetes:core/v1:Service",
        inputs: { metadata: { name: "api" }, spec: { type: "NodePort", ports } },
        provider: onAck,
    });
    const rule = (cidrIp: string) => ({
        type: "alicloud:ecs/securityGroupRule:SecurityGroupRule",
        inputs: { type: "ingress", ipProtocol: "tcp", portRange: "31625/31625", cidrIp, policy: "accept", securityGroupId: "sg-1" },
    });

    test("passes when pinned and opened to private ranges only", async () => {
        expect(await pack.policiesHit([nodePortService([{ port: 8080, nodePort: 31625 }]), rule("10.44.0.0/20")])).not.toContain(p);
    });

    test("is blocked when a rule opens it beyond the private network", async () => {
        const v = await pack.judge([nodePortService([{ port: 8080, nodePort: 31625 }]), rule("10.44.0.0/20"), rule("0.0.0.0/0")]);
        expect(v.find((x) => x.policy === p)?.message).toContain("The Service listens on every node, and node port 31625 is open to 0.0.0.0/0.");
    });

    test("is blocked when no rule of the stack opens it, or when the cluster picks the port", async () => {
        const none = await pack.judge([nodePortService([{ port: 8080, nodePort: 31625 }])]);
        expect(none.find((x) => x.policy === p)?.message).toContain("no firewall rule of the stack opens node port 31625");
        const picked = await pack.judge([nodePortService([{ port: 8080 }]), rule("10.44.0.0/20")]);
        expect(picked.find((x) => x.policy === p)?.message).toContain("pin each `nodePort`");
    });

    test("is not judged while the cluster's kubeconfig is unknown in the preview", async () => {
        const unknownCluster = { ...nodePortService([{ port: 8080 }]), provider: { type: "pulumi:providers:kubernetes", inputs: { kubeconfig: unknown } } };
        expect(await pack.policiesHit([unknownCluster])).not.toContain(p);
    });

    test("is still blocked on the private cloud, whatever the firewall", async () => {
        const onPrem = { ...nodePortService([{ port: 8080, nodePort: 31625 }]), provider: undefined };
        expect(await pack.policiesHit([onPrem, rule("10.44.0.0/20")])).toContain(p);
    });
});
