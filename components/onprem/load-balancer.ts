import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { Environment, LoadBalancerHandle } from "../contracts";
import { formerly } from "../core/moved";
import { clusterDefaults } from "./cloud";

/**
 * TLS 1.2 AEAD suites only (Mozilla "intermediate"): TLS 1.0 and 1.1 have no suite
 * in common with this list, so the controller admits TLS 1.2 and 1.3 only.
 */
export const tls12Ciphers = [
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");

/** Pods carrying this label, with the load balancer's name as value, receive its traffic. */
export const loadBalancerLabel = "multicloud/load-balancer";

const hostname = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export interface LoadBalancerArgs {
    environment: Environment;
    namespace: pulumi.Input<string>;
    /** The DNS name clients use; the TLS certificate must cover it. */
    host: string;
    /** Name of a kubernetes.io/tls Secret in the namespace; required in prod. In dev, cert-manager issues one when unset. */
    tlsSecretName?: pulumi.Input<string>;
    /** cert-manager ClusterIssuer for dev certificates. */
    clusterIssuer?: string;
    targetPort: number;
    /** The targets' readiness probe path: only ready pods receive traffic. */
    healthCheckPath: string;
    ingressClassName: string;
}

/**
 * The private-cloud load balancer: a ClusterIP Service and an Ingress on the
 * configured ingress class (ingress-nginx annotations), HTTPS only with TLS 1.2+,
 * HTTP redirected, access logs on.
 */
export class LoadBalancer extends pulumi.ComponentResource implements LoadBalancerHandle {
    readonly cloud = "onprem" as const;
    readonly endpoint: pulumi.Output<string>;
    readonly service: k8s.core.v1.Service;
    readonly ingress: k8s.networking.v1.Ingress;
    /** Labels the target pods must carry. */
    readonly podLabels: Record<string, string>;
    readonly targetPort: number;
    readonly healthCheckPath: string;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:onprem:LoadBalancer", name, {}, formerly(opts, "multicloud:kubernetes:LoadBalancer"));
        const prod = args.environment === "prod";
        if (prod && args.tlsSecretName === undefined) {
            throw new Error("LoadBalancer: `tlsSecretName` (a kubernetes.io/tls Secret in the namespace) is required in prod.");
        }
        if (!hostname.test(args.host)) {
            throw new Error(`LoadBalancer: \`host\` must be a fully qualified DNS name such as partner.apps.example.internal, got ${args.host}.`);
        }
        if (!Number.isInteger(args.targetPort) || args.targetPort < 1 || args.targetPort > 65535) {
            throw new Error(`LoadBalancer: \`targetPort\` must be a port number 1-65535, got ${args.targetPort}.`);
        }
        if (!args.healthCheckPath.startsWith("/")) {
            throw new Error(`LoadBalancer: \`healthCheckPath\` must start with "/", got ${args.healthCheckPath}.`);
        }
        if (!args.ingressClassName) {
            throw new Error("LoadBalancer: `ingressClassName` must name the cluster's ingress class, e.g. nginx.");
        }
        this.podLabels = { [loadBalancerLabel]: name };
        this.targetPort = args.targetPort;
        this.healthCheckPath = args.healthCheckPath;

        this.service = new k8s.core.v1.Service(
            `${name}-svc`,
            {
                metadata: { namespace: args.namespace },
                spec: {
                    type: "ClusterIP",
                    selector: this.podLabels,
                    // Pods failing their readiness probe leave the endpoints: the health check.
                    publishNotReadyAddresses: false,
                    ports: [{ name: "http", protocol: "TCP", port: 80, targetPort: args.targetPort }],
                },
            },
            { parent: this, protect: prod },
        );

        const annotations: Record<string, string> = {
            "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
            "nginx.ingress.kubernetes.io/ssl-ciphers": tls12Ciphers,
            "nginx.ingress.kubernetes.io/ssl-prefer-server-ciphers": "true",
            "nginx.ingress.kubernetes.io/enable-access-log": "true",
        };
        if (args.tlsSecretName === undefined) annotations["cert-manager.io/cluster-issuer"] = args.clusterIssuer ?? clusterDefaults.clusterIssuer;

        this.ingress = new k8s.networking.v1.Ingress(
            `${name}-ingress`,
            {
                metadata: { namespace: args.namespace, annotations },
                spec: {
                    ingressClassName: args.ingressClassName,
                    tls: [{ hosts: [args.host], secretName: args.tlsSecretName ?? `${name}-tls` }],
                    rules: [
                        {
                            host: args.host,
                            http: {
                                paths: [
                                    {
                                        path: "/",
                                        pathType: "Prefix",
                                        backend: { service: { name: this.service.metadata.name, port: { name: "http" } } },
                                    },
                                ],
                            },
                        },
                    ],
                },
            },
            // Kubernetes has no deletion protection of its own; in prod the protect option stands in.
            { parent: this, protect: prod },
        );

        this.endpoint = pulumi.output(args.host);
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
