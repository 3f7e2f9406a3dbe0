import type { ResourceValidationPolicy } from "@pulumi/policy";
import { cites, framework } from "../controls";

/** ACK cluster types and whether their API server gets a public endpoint when the field is left out. */
const publicByDefault: Record<string, { field: string; defaultPublic: boolean }> = {
    "alicloud:cs/managedKubernetes:ManagedKubernetes": { field: "slbInternetEnabled", defaultPublic: true },
    "alicloud:cs/kubernetes:Kubernetes": { field: "slbInternetEnabled", defaultPublic: true },
    "alicloud:cs/edgeKubernetes:EdgeKubernetes": { field: "slbInternetEnabled", defaultPublic: true },
    "alicloud:cs/serverlessKubernetes:ServerlessKubernetes": { field: "endpointPublicAccessEnabled", defaultPublic: false },
};

export const ackApiNotPublic: ResourceValidationPolicy = {
    name: "alicloud-ack-api-not-public",
    description:
        "ACK clusters must not expose the Kubernetes API server on the internet: set `slbInternetEnabled: false` (it is true when left out) or, for serverless clusters, leave `endpointPublicAccessEnabled` false.",
    severity: "high",
    framework: framework("cis-alicloud:7.9"),
    remediationSteps:
        "Set `slbInternetEnabled: false` on the alicloud.cs.ManagedKubernetes; reach the API through the VPC (VPN, bastion or CI runners in the VPC).",
    url: "https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/control-public-access-to-the-api-server-of-a-cluster",
    tags: ["alicloud", "kubernetes", "network", ...cites("cis-alicloud:7.9"), ...Object.keys(publicByDefault).map((t) => `type:${t}`)],
    validateResource: (args, reportViolation) => {
        const rule = publicByDefault[args.type];
        if (!rule) return;
        const value = args.props[rule.field];
        if (value === true || (value === undefined && rule.defaultPublic))
            reportViolation(`The cluster's API server has a public endpoint (\`${rule.field}\` is ${value ?? "left out, so true"}).`);
    },
};
