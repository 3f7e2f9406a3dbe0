import { useMockRuntime } from "../../test/helpers/pulumi";
import { LoadBalancer, type LoadBalancerArgs, tls12Ciphers } from "./load-balancer";

const run = useMockRuntime();
const args = (changes: Partial<LoadBalancerArgs> = {}): LoadBalancerArgs => ({
    environment: "dev",
    namespace: "team-dev",
    host: "partner.apps.example.internal",
    tlsSecretName: "partner-tls",
    targetPort: 8080,
    healthCheckPath: "/healthz",
    ingressClassName: "nginx",
    ...changes,
});

test("the Service is ClusterIP and routes only to ready pods carrying the load balancer's label", async () => {
    const lb = new LoadBalancer("svc", args());
    const svc = await run.one("kubernetes:core/v1:Service", "svc");
    expect(svc.plain.spec.type).toBe("ClusterIP");
    expect(svc.plain.spec.publishNotReadyAddresses).toBe(false);
    expect(svc.plain.spec.selector).toEqual(lb.podLabels);
    expect(svc.plain.spec.ports[0].targetPort).toBe(8080);
});

test("the Ingress uses the class and TLS secret given, TLS 1.2 suites only, redirects HTTP, logs access", async () => {
    new LoadBalancer("ing", args());
    const ing = await run.one("kubernetes:networking.k8s.io/v1:Ingress", "ing");
    expect(ing.plain.spec.ingressClassName).toBe("nginx");
    expect(ing.plain.spec.tls).toEqual([{ hosts: ["partner.apps.example.internal"], secretName: "partner-tls" }]);
    const a = ing.plain.metadata.annotations;
    expect(a["nginx.ingress.kubernetes.io/ssl-ciphers"]).toBe(tls12Ciphers);
    expect(tls12Ciphers.split(":").every((c) => /GCM|CHACHA20/.test(c))).toBe(true);
    expect(a["nginx.ingress.kubernetes.io/force-ssl-redirect"]).toBe("true");
    expect(a["nginx.ingress.kubernetes.io/enable-access-log"]).toBe("true");
});

test("in dev without a TLS secret, cert-manager issues one", async () => {
    new LoadBalancer("issued", args({ tlsSecretName: undefined }));
    const ing = await run.one("kubernetes:networking.k8s.io/v1:Ingress", "issued");
    expect(ing.plain.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("internal-ca");
    expect(ing.plain.spec.tls[0].secretName).toBe("issued-tls");
});

test("protected in prod", async () => {
    new LoadBalancer("prodlb", args({ environment: "prod" }));
    expect((await run.one("kubernetes:networking.k8s.io/v1:Ingress", "prodlb")).options.protect).toBe(true);
    expect((await run.one("kubernetes:core/v1:Service", "prodlb")).options.protect).toBe(true);
});

test("rejects prod without a TLS secret", () => {
    expect(() => new LoadBalancer("notls", args({ environment: "prod", tlsSecretName: undefined }))).toThrow(
        "LoadBalancer: `tlsSecretName` (a kubernetes.io/tls Secret in the namespace) is required in prod.",
    );
});

test("rejects a host that is not a DNS name", () => {
    expect(() => new LoadBalancer("badhost", args({ host: "partner" }))).toThrow(
        "LoadBalancer: `host` must be a fully qualified DNS name such as partner.apps.example.internal, got partner.",
    );
});

test("rejects a bad port, health path or missing ingress class", () => {
    expect(() => new LoadBalancer("badport", args({ targetPort: 0 }))).toThrow("LoadBalancer: `targetPort` must be a port number 1-65535, got 0.");
    expect(() => new LoadBalancer("badpath", args({ healthCheckPath: "healthz" }))).toThrow(
        'LoadBalancer: `healthCheckPath` must start with "/", got healthz.',
    );
    expect(() => new LoadBalancer("noclass", args({ ingressClassName: "" }))).toThrow(
        "LoadBalancer: `ingressClassName` must name the cluster's ingress class, e.g. nginx.",
    );
});
