import type { OnPremClusterSettings } from "../contracts";
import type { CloudDescriptor } from "../core/cloud";

/** How a stock cluster is set up, for each setting a stack leaves unset. */
export const clusterDefaults: Required<OnPremClusterSettings> = {
    ingressClassName: "nginx",
    ingressControllerNamespace: "ingress-nginx",
    baseDomain: "apps.onprem.internal",
    storageClassName: "nfs-csi",
    clusterIssuer: "internal-ca",
};

/** The settings a stack gave, each unset one at its default. */
export function withClusterDefaults(settings: OnPremClusterSettings = {}): Required<OnPremClusterSettings> {
    const keys = Object.keys(clusterDefaults) as (keyof OnPremClusterSettings)[];
    return Object.fromEntries(keys.map((key) => [key, settings[key] ?? clusterDefaults[key]])) as Required<OnPremClusterSettings>;
}

/** The pod is the instance: its nodes are the cluster's own, so every size is one pod as large as its namespace admits. */
export const podInstanceType = "pod";

export const onprem = {
    id: "onprem",
    title: "private cloud",
    providerTitle: "Kubernetes",
    componentTypePrefix: "multicloud:onprem",
    providerPackage: "kubernetes",
    inCluster: true,
    sizes: { small: podInstanceType, medium: podInstanceType, large: podInstanceType, xlarge: podInstanceType },
    certificate: {
        pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/,
        what: "the name of a kubernetes.io/tls Secret in the workload's namespace",
    },
    lacks: {
        "containerService.paths": 'a load balancer here is one Ingress serving one service at "/"',
        "kit.converterGroup": "a converter group makes a namespace of its own, which a tenancy on the shared cluster may not",
    },
    managedClusterTypes: [],
    // oxlint-disable-next-line typescript/no-require-imports -- a lazy load, which `import` cannot be in CommonJS
    loadKit: () => require("./kit"),
} as const satisfies CloudDescriptor<"onprem">;
